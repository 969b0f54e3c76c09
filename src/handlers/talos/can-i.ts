import {emit, type Handler, type FlagsOf} from '../../cli/handler.js'
import type TalosCanI from '../../commands/talos/can-i.js'
import type {Io} from '../../lib/io.js'
import {escapeControls} from '../../lib/go/quote.js'
import {usageError} from '../../lib/output/errors.js'
import {allowedMethods, checkMethod, parseTalosVersion} from '../../lib/talos/can-i.js'
import {formatTable} from '../../lib/output/render.js'
import {loadTalosconfig, locateFromFlags, talosconfigInfo} from '../../lib/talosconfig/index.js'
import {ageOptions} from '../age-options.js'

/** Without --roles, the roles of the talosconfig context's client certificate. */
async function contextRoles(flags: FlagsOf<typeof TalosCanI>, io: Io): Promise<string[]> {
  const {config} = await loadTalosconfig(await locateFromFlags(flags, io), ageOptions(flags, io))
  return talosconfigInfo(config, flags.context, io.now()).roles ?? []
}

const talosCanI: Handler<typeof TalosCanI> = async ({args, flags}, io) => {
  const roles: string[] = flags.roles ?? (await contextRoles(flags, io))
  const version = parseTalosVersion(flags.talosVersion)
  const maintenance = Boolean(flags.maintenance)

  if (flags.list) {
    if (args.method) throw usageError('--list takes no method')
    const allowed = allowedMethods(roles, version, maintenance)
    const document = {methods: allowed.map((d) => ({allowedRoles: d.allowedRoles, method: d.method, notes: d.notes})), roles, version}
    await emit(io, flags.output, document, () => formatTable(['METHOD', 'ALLOWED ROLES'], allowed.map((d) => [d.method, d.allowedRoles.join(',')]), {minWidth: 0}))
    return {document}
  }
  if (!args.method) throw usageError('missing METHOD', 'e.g. authctl talos can-i Reboot --roles os:operator')
  const decision = checkMethod({maintenance, method: args.method, roles, version})
  if (!flags.quiet) {
    await emit(io, flags.output, decision, () => decision.allowed ? `${io.style.out.good('yes')}\n` : `${io.style.out.bad('no')} - ${escapeControls(decision.reason)}\n`)
  }
  for (const note of decision.notes) io.err(`Note: ${escapeControls(note)}\n`)
  return {document: decision, exitCode: decision.allowed ? 0 : 1}
}

export default talosCanI
