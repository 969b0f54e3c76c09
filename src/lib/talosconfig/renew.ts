// talosconfig renew: re-issue the client certificates of the chosen contexts that one CA issued. Roles (O=os:…) are
// kept because the subject is; a rotated key keeps Talos's PEM label (`ED25519 PRIVATE KEY`). One atomic save.
import type {AgeOptions} from '../files/index.js'
import {AuthctlError} from '../output/errors.js'
import {type CertAndKey, parseCa} from '../pki/load.js'
import {type DetectedProfile, renewCertificate, type RenewOptions} from '../pki/renew.js'
import {decodeBase64} from './cert.js'
import type {TalosconfigLocation} from './locate.js'
import {editTalosconfig, selectContext} from './store.js'

export interface RenewedContext {
  context: string
  keyRotated: boolean
  notAfter: string
  profile: DetectedProfile
}

export interface RenewContextsResult {
  renewed: RenewedContext[]
  skipped: Array<{context: string; reason: string}>
  path: string
}

export interface RenewContextsRequest extends Omit<RenewOptions, 'keyPem' | 'keySource'> {
  ca: CertAndKey
  context?: string
  all?: boolean
  age?: AgeOptions
  onWarning?: (message: string) => void
}

const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64')

export async function renewContexts(location: TalosconfigLocation, request: RenewContextsRequest): Promise<RenewContextsResult> {
  const ca = parseCa(request.ca)
  return editTalosconfig(location, async (config) => {
    const result: RenewContextsResult = {path: location.path, renewed: [], skipped: []}
    const names = request.all ? [...config.contexts.keys()] : [selectContext(config, request.context).name]
    for (const name of names) {
      const context = config.contexts.get(name)!
      if (!context.crt) {
        result.skipped.push({context: name, reason: 'no client certificate'})
        continue
      }
      const certPem = decodeBase64(context.crt, `context ${JSON.stringify(name)} crt`).toString('utf8')
      const keyPem = context.key ? decodeBase64(context.key, `context ${JSON.stringify(name)} key`).toString('utf8') : undefined
      let outcome
      try {
        outcome = await renewCertificate(certPem, ca, {...request, keyPem, keySource: `context ${JSON.stringify(name)} key`})
      } catch (error) {
        if ((error as AuthctlError).code !== 'OTHER_CA') throw error
        result.skipped.push({context: name, reason: `another CA: ${(error as Error).message.replace(/^.*?: /, '')}`})
        continue
      }
      if (!outcome.renewed) {
        result.skipped.push({context: name, reason: `${outcome.reason} (expires ${outcome.notAfter})`})
        continue
      }
      if (request.rotateKey && !keyPem) throw new AuthctlError(`context ${JSON.stringify(name)} has no key to replace`, {code: 'NO_KEY'})
      context.crt = base64(outcome.certPem)
      if (outcome.keyPem) context.key = base64(outcome.keyPem)
      result.renewed.push({context: name, keyRotated: Boolean(outcome.keyPem), notAfter: outcome.notAfter, profile: outcome.profile})
    }
    return {result, save: result.renewed.length > 0}
  }, {age: request.age, onWarning: request.onWarning})
}
