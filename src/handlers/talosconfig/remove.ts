import {type Handler, warningSink} from '../../cli/handler.js'
import type TalosconfigRemove from '../../commands/talosconfig/remove.js'
import {AuthctlError, usageError} from '../../lib/output/errors.js'
import {editTalosconfig, globMatch, loadTalosconfig, locateFromFlags} from '../../lib/talosconfig/index.js'
import {ageOptions} from '../age-options.js'

const byteOrder = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

const handler: Handler<typeof TalosconfigRemove> = async ({args, flags}, io) => {
  const pattern = args.pattern as string
  if (pattern === '') throw usageError('no context specified')
  const yes = Boolean(flags.noconfirm)
  const dryRun = Boolean(flags.dryRun)
  if (!yes && !dryRun && !io.interactive) throw usageError('refusing to remove contexts without confirmation', 'pass -y/--noconfirm')
  const location = await locateFromFlags(flags, io)
  // Questions are asked before the file is locked, so a slow answer never blocks other writers.
  const {config} = await loadTalosconfig(location, ageOptions(flags, io))
  if (config.contexts.size === 0) throw new AuthctlError('no contexts defined', {code: 'NO_CONTEXTS'})
  const matches = [...config.contexts.keys()].filter((n) => globMatch(pattern, n)).sort(byteOrder)
  if (matches.length === 0) throw new AuthctlError(`no contexts matched ${JSON.stringify(pattern)}`, {code: 'NO_MATCH'})
  const chosen: string[] = []
  const skipped: string[] = []
  for (const match of matches) {
    if (match === config.context) {
      io.err(`skipping removal of current context ${JSON.stringify(match)}, please change it to another before removing\n`)
      skipped.push(match)
    } else if (yes || dryRun) {
      io.err(`${dryRun ? 'would remove' : 'removing'} context ${JSON.stringify(match)}\n`)
      chosen.push(match)
    } else if (await io.prompt.confirm(`remove context ${JSON.stringify(match)}?`)) {
      chosen.push(match)
    }
  }
  const removed = await editTalosconfig(
    location,
    (current) => {
      // Re-checked under the lock: the file may have changed while we asked.
      const gone = chosen.filter((n) => n !== current.context && current.contexts.delete(n))
      return {result: gone, save: gone.length > 0}
    },
    {age: ageOptions(flags, io), dryRun, onWarning: warningSink(io)},
  )
  return {document: {dryRun, path: location.path, removed, skipped}}
}

export default handler
