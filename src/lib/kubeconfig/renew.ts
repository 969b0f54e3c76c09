// kubeconfig renew-credentials: re-issue the client certificates of the chosen users that one CA issued, embedded
// (client-certificate-data) or on disk (client-certificate, with client-key beside it), and skip the others with a
// reason. The kubeconfig files and the certificate and key files change in one all-or-nothing write under the
// kubeconfig locks; any failure leaves every file as it was.
import {readInput} from '../files/read.js'
import {AuthctlError} from '../output/errors.js'
import type {CertAndKey} from '../pki/load.js'
import {type DetectedProfile, renewCertificate, type RenewOptions} from '../pki/renew.js'
import {parseCa} from '../pki/load.js'
import {editKubeconfig} from './edit-session.js'
import type {CommandContext} from './commands.js'
import {resolveUserPaths} from './resolve.js'
import type {Body} from './schema.js'

export interface UserSelection {
  context?: string
  user?: string
  all?: boolean
}

export interface RenewedUser {
  user: string
  /** `embedded`, or the certificate file replaced. */
  certificate: string
  keyRotated: boolean
  notAfter: string
  profile: DetectedProfile
}

export interface RenewCredentialsResult {
  renewed: RenewedUser[]
  skipped: Array<{user: string; reason: string}>
  files: string[]
}

export interface RenewCredentialsRequest extends Omit<RenewOptions, 'keyPem' | 'keySource'> {
  ca: CertAndKey
  select: UserSelection
}

function chosenUsers(users: Map<string, unknown>, contexts: Map<string, {body: Body}>, current: string, select: UserSelection): string[] {
  if (select.all) return [...users.keys()]
  if (select.user !== undefined) {
    if (!users.has(select.user)) throw new AuthctlError(`user ${JSON.stringify(select.user)} not found in the kubeconfig`, {code: 'NOT_FOUND'})
    return [select.user]
  }
  const name = select.context ?? current
  if (!name) throw new AuthctlError('no current context is set', {code: 'NO_CONTEXT', hint: 'pass --context, --user or --all'})
  const context = contexts.get(name)
  if (!context) throw new AuthctlError(`context ${JSON.stringify(name)} not found in the kubeconfig`, {code: 'NOT_FOUND'})
  const user = String(context.body.user ?? '')
  if (!users.has(user)) throw new AuthctlError(`user ${JSON.stringify(user)} of context ${JSON.stringify(name)} not found in the kubeconfig`, {code: 'NOT_FOUND'})
  return [user]
}

/** How a user without a client certificate authenticates, for the skip reason. */
function credentialKind(body: Body): string {
  if (body.exec) return 'exec'
  if (body.token || body.tokenFile) return 'token'
  if (body['auth-provider']) return 'auth-provider'
  if (body.username) return 'basic-auth'
  return 'no credentials'
}


const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64')

export async function renewCredentials(options: CommandContext, request: RenewCredentialsRequest): Promise<RenewCredentialsResult> {
  const ca = parseCa(request.ca)
  const {changes, result} = await editKubeconfig(options, async (s) => {
    const out: Omit<RenewCredentialsResult, 'files'> & {alongside: string[]} = {alongside: [], renewed: [], skipped: []}
    for (const user of chosenUsers(s.config.users, s.config.contexts, s.config.currentContext, request.select)) {
      const entry = s.config.users.get(user)!
      const body = entry.body
      const paths = resolveUserPaths(body, entry.origin)
      const embedded = typeof body['client-certificate-data'] === 'string' && body['client-certificate-data'] !== ''
      const certPath = typeof paths['client-certificate'] === 'string' && paths['client-certificate'] !== '' ? (paths['client-certificate'] as string) : undefined
      if (!embedded && !certPath) {
        out.skipped.push({reason: `no client certificate (${credentialKind(body)} user)`, user})
        continue
      }
      const certPem = embedded ? Buffer.from(String(body['client-certificate-data']), 'base64').toString('utf8') : (await readInput(certPath!, {age: options.age, what: 'client certificate'})).toString('utf8')
      const keyEmbedded = typeof body['client-key-data'] === 'string' && body['client-key-data'] !== ''
      const keyPath = typeof paths['client-key'] === 'string' && paths['client-key'] !== '' ? (paths['client-key'] as string) : undefined
      const keyPem = keyEmbedded ? Buffer.from(String(body['client-key-data']), 'base64').toString('utf8') : keyPath ? (await readInput(keyPath, {age: options.age, what: 'client key'})).toString('utf8') : undefined
      let outcome
      try {
        outcome = await renewCertificate(certPem, ca, {...request, keyPem, keySource: keyEmbedded ? `users[${user}].client-key-data` : keyPath})
      } catch (error) {
        if ((error as AuthctlError).code !== 'OTHER_CA') throw error
        out.skipped.push({reason: `another CA: ${(error as Error).message.replace(/^.*?: /, '')}`, user})
        continue
      }
      if (!outcome.renewed) {
        out.skipped.push({reason: `${outcome.reason} (expires ${outcome.notAfter})`, user})
        continue
      }
      if (request.rotateKey && !keyEmbedded && !keyPath) throw new AuthctlError(`user ${JSON.stringify(user)} has no client key to replace`, {code: 'NO_KEY'})
      const update: Body = {...body}
      if (embedded) update['client-certificate-data'] = base64(outcome.certPem)
      else {
        s.writeAlongside({data: outcome.certPem, mode: 0o644, path: certPath!})
        out.alongside.push(certPath!)
      }
      if (outcome.keyPem) {
        if (keyEmbedded) update['client-key-data'] = base64(outcome.keyPem)
        else {
          s.writeAlongside({data: outcome.keyPem, mode: 0o600, path: keyPath!})
          out.alongside.push(keyPath!)
        }
      }
      if (update['client-certificate-data'] !== body['client-certificate-data'] || update['client-key-data'] !== body['client-key-data']) {
        s.set('users', user, update, undefined, {relativize: false})
      }
      out.renewed.push({certificate: embedded ? 'embedded' : certPath!, keyRotated: Boolean(outcome.keyPem), notAfter: outcome.notAfter, profile: outcome.profile, user})
    }
    return out
  })
  const {alongside, ...rest} = result
  return {...rest, files: [...changes.map((c) => c.path), ...alongside]}
}
