import {createInterface} from 'node:readline/promises'

import {type Handler, type Io, warningSink} from '../../cli/handler.js'
import {AuthctlError, usageError} from '../../lib/output/errors.js'
import {editTalosconfig, globMatch, loadTalosconfig, locateFromFlags} from '../../lib/talosconfig/index.js'

/** talosctl's `(y/N)` confirmation; answers are read from one line iterator so typed-ahead lines are kept. */
function confirmer(io: Io): {ask: (question: string) => Promise<boolean>; close: () => void} {
  let rl: ReturnType<typeof createInterface> | undefined
  let lines: AsyncIterator<string> | undefined
  return {
    async ask(question) {
      rl ??= createInterface({input: io.stdin, terminal: false})
      lines ??= rl[Symbol.asyncIterator]()
      io.err(question)
      const answer = await lines.next()
      return !answer.done && /^y(es)?$/i.test(answer.value.trim())
    },
    close: () => rl?.close(),
  }
}

const byteOrder = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

const handler: Handler = async ({args, flags}, io) => {
  const pattern = args.pattern as string
  if (pattern === '') throw usageError('no context specified')
  const yes = Boolean(flags.noconfirm)
  const dryRun = Boolean(flags['dry-run'])
  if (!yes && !dryRun && !io.interactive) throw usageError('refusing to remove contexts without confirmation', 'pass -y/--noconfirm')
  const location = await locateFromFlags(flags, io)
  // Questions are asked before the file is locked, so a slow answer never blocks other writers.
  const {config} = await loadTalosconfig(location)
  if (config.contexts.size === 0) throw new AuthctlError('no contexts defined', {code: 'NO_CONTEXTS'})
  const matches = [...config.contexts.keys()].filter((n) => globMatch(pattern, n)).sort(byteOrder)
  if (matches.length === 0) throw new AuthctlError(`no contexts matched ${JSON.stringify(pattern)}`, {code: 'NO_MATCH'})
  const chosen: string[] = []
  const skipped: string[] = []
  const confirm = confirmer(io)
  try {
    for (const match of matches) {
      if (match === config.context) {
        io.err(`skipping removal of current context ${JSON.stringify(match)}, please change it to another before removing\n`)
        skipped.push(match)
      } else if (yes || dryRun) {
        io.err(`${dryRun ? 'would remove' : 'removing'} context ${JSON.stringify(match)}\n`)
        chosen.push(match)
      } else if (await confirm.ask(`remove context ${JSON.stringify(match)}? (y/N): `)) {
        chosen.push(match)
      }
    }
  } finally {
    confirm.close()
  }
  const removed = await editTalosconfig(
    location,
    (current) => {
      // Re-checked under the lock: the file may have changed while we asked.
      const gone = chosen.filter((n) => n !== current.context && current.contexts.delete(n))
      return {result: gone, save: gone.length > 0}
    },
    {dryRun, onWarning: warningSink(io)},
  )
  return {document: {dryRun, path: location.path, removed, skipped}}
}

export default handler
