import type {Handler} from '../../cli/handler.js'
import {parseDuration} from '../../lib/time/index.js'
import {loadTalosconfig, locateFromFlags, selectContext} from '../../lib/talosconfig/index.js'
import {localIdentity, probeEndpoint} from '../../lib/talos/whoami.js'

const label = (text: string) => text.padEnd(14)

const talosWhoami: Handler = async ({flags}, io) => {
  const {config} = await loadTalosconfig(await locateFromFlags(flags, io))
  const {context, name} = selectContext(config, flags.context)
  const identity = localIdentity(name, context, io.now())
  const endpoints: string[] = flags.offline ? [] : (flags.endpoints ?? context.endpoints)
  const timeoutMs = parseDuration(flags.timeout ?? '5s', '--timeout')
  const probes = await Promise.all(endpoints.map((e) => probeEndpoint(e, context, timeoutMs)))

  io.out(`${label('Context:')}${identity.context}\n`)
  io.out(`${label('Roles:')}${identity.roles.length > 0 ? identity.roles.join(', ') : '(none: authorized for nothing)'}\n`)
  io.out(`${label('Subject:')}${identity.subject || '(empty)'}\n`)
  io.out(`${label('Issuer:')}${identity.issuer}\n`)
  io.out(`${label('Expires:')}${identity.notAfter} (${identity.expires})\n`)
  io.out(`${label('apid check:')}${identity.check.valid ? 'ok (chains to the context CA, valid now, EKU exactly clientAuth)' : 'FAIL'}\n`)
  for (const reason of identity.check.reasons) io.out(`  - ${reason}\n`)
  if (identity.unknownRoles.length > 0) io.out(`  - unknown roles grant nothing: ${identity.unknownRoles.join(', ')}\n`)
  for (const probe of probes) {
    io.out(`${label('Endpoint:')}${probe.address}: ${probe.outcome} (${probe.detail})\n`)
    if (probe.server) {
      const trust = probe.server.trustedByContextCa ? 'verified by the context CA' : `NOT verified by the context CA: ${probe.server.error}`
      io.out(`${label('')}server certificate ${probe.server.subject || '(empty subject)'} from ${probe.server.issuer || '(empty issuer)'}, ${trust}\n`)
    }
  }
  const ok = identity.check.valid && probes.every((p) => p.outcome === 'accepted' && p.server?.trustedByContextCa)
  return {document: {...identity, endpoints: probes}, exitCode: ok ? 0 : 1}
}

export default talosWhoami
