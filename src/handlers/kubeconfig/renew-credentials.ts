import type {Handler} from '../../cli/handler.js'
import type RenewCredentials from '../../commands/kubeconfig/renew-credentials.js'
import {parseDuration} from '../../lib/go/time.js'
import {renewCredentials} from '../../lib/kubeconfig/renew.js'
import {loadCa} from '../../lib/pki/outputs.js'
import {parseThreshold} from '../../lib/pki/renewal.js'
import {commandContext} from './common.js'
import {ageOptions} from '../age-options.js'
import {renderRenewal} from '../renewal.js'

const handler: Handler<typeof RenewCredentials> = async ({flags}, io) => {
  const ifDue = flags.ifDue === undefined ? undefined : parseThreshold(flags.ifDue, '--if-due')
  const ttlMs = flags.ttl === undefined ? undefined : parseDuration(flags.ttl, '--ttl')
  const ca = await loadCa(flags, io.cwd)
  const result = await renewCredentials({...commandContext(flags, io), age: ageOptions(flags, io)}, {
    ca,
    ifDue,
    now: io.now(),
    rotateKey: flags.rotateKey,
    select: {all: flags.all, context: flags.context, user: flags.user},
    ttlMs,
  })
  renderRenewal(io, 'user', result.renewed.map((r) => ({name: r.user, notAfter: r.notAfter})), result.skipped.map((s) => ({name: s.user, reason: s.reason})))
  return {document: result}
}

export default handler
