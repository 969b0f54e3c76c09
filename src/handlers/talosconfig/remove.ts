import {createInterface} from 'node:readline/promises'

import {type Handler, type Io} from '../../cli/handler.js'
import {AuthctlError, usageError} from '../../lib/output/errors.js'
import {editTalosconfig, globMatch, locateFromFlags} from '../../lib/talosconfig/index.js'

async function confirm(io: Io, question: string): Promise<boolean> {
  const rl = createInterface({input: io.stdin, output: process.stderr})
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim())
  } finally {
    rl.close()
  }
}

const handler: Handler = async ({args, flags}, io) => {
  const pattern = args.pattern as string
  if (pattern === '') throw usageError('no context specified')
  const yes = Boolean(flags.noconfirm)
  const dryRun = Boolean(flags['dry-run'])
  if (!yes && !dryRun && !io.interactive) throw usageError('refusing to remove contexts without confirmation', 'pass -y/--noconfirm')
  const location = await locateFromFlags(flags, io)
  const outcome = await editTalosconfig(
    location,
    async (config) => {
      if (config.contexts.size === 0) throw new AuthctlError('no contexts defined', {code: 'NO_CONTEXTS'})
      const matches = [...config.contexts.keys()].filter((n) => globMatch(pattern, n)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
      if (matches.length === 0) throw new AuthctlError(`no contexts matched ${JSON.stringify(pattern)}`, {code: 'NO_MATCH'})
      const removed: string[] = []
      const skipped: string[] = []
      for (const match of matches) {
        if (match === config.context) {
          io.err(`skipping removal of current context ${JSON.stringify(match)}, please change it to another before removing\n`)
          skipped.push(match)
          continue
        }
        if (yes || dryRun) io.err(`${dryRun ? 'would remove' : 'removing'} context ${JSON.stringify(match)}\n`)
        else if (!(await confirm(io, `remove context ${JSON.stringify(match)}? (y/N): `))) continue
        config.contexts.delete(match)
        removed.push(match)
      }
      return {result: {removed, skipped}, save: removed.length > 0}
    },
    {dryRun},
  )
  return {document: {dryRun, path: location.path, ...outcome}}
}

export default handler
