import type {Handler} from '../../cli/handler.js'
import type TalosWhoami from '../../commands/talos/whoami.js'
import {escapeControls} from '../../lib/go/quote.js'
import {parseDuration} from '../../lib/go/time.js'
import {loadTalosconfig, locateFromFlags, selectContext} from '../../lib/talosconfig/index.js'
import {localIdentity, probeEndpoint} from '../../lib/talos/whoami.js'
import {ageOptions} from '../age-options.js'

const label = (text: string) => text.padEnd(14)

const talosWhoami: Handler<typeof TalosWhoami> = async ({flags}, io) => {
  const {config} = await loadTalosconfig(await locateFromFlags(flags, io), ageOptions(flags, io))
  const {context, name} = selectContext(config, flags.context)
  const identity = localIdentity(name, context, io.now())
  const endpoints: string[] = flags.offline ? [] : (flags.endpoints ?? context.endpoints)
  const timeoutMs = parseDuration(flags.timeout ?? '5s', '--timeout')
  const probes = await Promise.all(endpoints.map((e) => probeEndpoint(e, context, timeoutMs)))
  // Names and subjects come from the talosconfig and the certificates: control characters escaped.
  const line = (text: string) => io.out(`${escapeControls(text)}\n`)

  line(`${label('Context:')}${identity.context}`)
  line(`${label('Roles:')}${identity.roles.length > 0 ? identity.roles.join(', ') : '(none: authorized for nothing)'}`)
  line(`${label('Subject:')}${identity.subject || '(empty)'}`)
  line(`${label('Issuer:')}${identity.issuer}`)
  line(`${label('Expires:')}${identity.notAfter} (${identity.expires})`)
  line(`${label('apid check:')}${identity.check.valid ? 'ok (chains to the context CA, valid now, EKU exactly clientAuth)' : 'FAIL'}`)
  for (const reason of identity.check.reasons) line(`  - ${reason}`)
  if (identity.unknownRoles.length > 0) line(`  - unknown roles grant nothing: ${identity.unknownRoles.join(', ')}`)
  for (const probe of probes) {
    line(`${label('Endpoint:')}${probe.address}: ${probe.outcome} (${probe.detail})`)
    if (probe.server) {
      const trust = probe.server.trustedByContextCa ? 'verified by the context CA' : `NOT verified by the context CA: ${probe.server.error}`
      line(`${label('')}server certificate ${probe.server.subject || '(empty subject)'} from ${probe.server.issuer || '(empty issuer)'}, ${trust}`)
    }
  }
  const ok = identity.check.valid && probes.every((p) => p.outcome === 'accepted' && p.server?.trustedByContextCa)
  return {document: {...identity, endpoints: probes}, exitCode: ok ? 0 : 1}
}

export default talosWhoami
