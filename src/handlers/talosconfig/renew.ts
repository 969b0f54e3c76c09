import {type Handler, warningSink} from '../../cli/handler.js'
import type TalosconfigRenew from '../../commands/talosconfig/renew.js'
import {parseDuration} from '../../lib/go/time.js'
import {loadCa} from '../../lib/pki/outputs.js'
import {parseThreshold} from '../../lib/pki/renewal.js'
import {locateFromFlags} from '../../lib/talosconfig/index.js'
import {renewContexts} from '../../lib/talosconfig/renew.js'
import {renderRenewal} from '../renewal.js'
import {ageOptions} from '../age-options.js'

const handler: Handler<typeof TalosconfigRenew> = async ({flags}, io) => {
  const ifDue = flags.ifDue === undefined ? undefined : parseThreshold(flags.ifDue, '--if-due')
  const ttlMs = flags.ttl === undefined ? undefined : parseDuration(flags.ttl, '--ttl')
  const ca = await loadCa(flags, io.cwd)
  const location = await locateFromFlags(flags, io)
  const result = await renewContexts(location, {age: ageOptions(flags, io), all: flags.all, ca, context: flags.context, ifDue, now: io.now(), onWarning: warningSink(io), rotateKey: flags.rotateKey, ttlMs})
  renderRenewal(io, 'context', result.renewed.map((r) => ({name: r.context, notAfter: r.notAfter})), result.skipped.map((s) => ({name: s.context, reason: s.reason})))
  return {document: result}
}

export default handler
