import {resolve} from 'node:path'

import {type Handler, warningSink} from '../../cli/handler.js'
import type TalosconfigMerge from '../../commands/talosconfig/merge.js'
import {expandHome} from '../../lib/files/index.js'
import {usageError} from '../../lib/output/errors.js'
import {
  checkContextEncoding,
  CONFLICT_POLICIES,
  type ConflictPolicy,
  editTalosconfig,
  locateFromFlags,
  mergeTalosconfig,
  readTalosconfigFile,
} from '../../lib/talosconfig/index.js'
import {ageOptions} from '../age-options.js'

const handler: Handler<typeof TalosconfigMerge> = async ({args, flags}, io) => {
  const policy = (flags.onConflict ?? 'rename') as ConflictPolicy
  if (!CONFLICT_POLICIES.includes(policy)) throw usageError(`unknown --on-conflict ${JSON.stringify(policy)}`, `use one of ${CONFLICT_POLICIES.join(', ')}`)
  const dryRun = Boolean(flags.dryRun)
  const fromPath = resolve(io.cwd, expandHome(args.from as string, io.env))
  // Everything about the incoming file is checked before the target is touched.
  const {config: incoming} = await readTalosconfigFile(fromPath, true, ageOptions(flags, io))
  for (const [name, ctx] of incoming.contexts) {
    for (const warning of checkContextEncoding(name, ctx, io.now())) io.err(`warning: ${warning}\n`)
  }
  const location = await locateFromFlags({talosconfig: flags.into ?? flags.talosconfig}, io)
  const result = await editTalosconfig(
    location,
    (config) => {
      const merged = mergeTalosconfig(config, incoming, {onConflict: policy, useIncomingContext: Boolean(flags.useIncomingContext)})
      const changed = merged.added.length + merged.renamed.length + merged.overwritten.length > 0 || merged.contextChanged
      return {result: merged, save: changed}
    },
    {age: ageOptions(flags, io), dryRun, onWarning: warningSink(io)},
  )
  const prefix = dryRun ? '(dry run) ' : ''
  for (const {from, to} of result.renamed) io.err(`${prefix}renamed talosconfig context ${JSON.stringify(from)} -> ${JSON.stringify(to)}\n`)
  for (const name of result.overwritten) io.err(`${prefix}overwrote talosconfig context ${JSON.stringify(name)}\n`)
  for (const {identical, name} of result.skipped) {
    io.err(`${prefix}skipped talosconfig context ${JSON.stringify(name)} (${identical ? 'identical' : 'exists'})\n`)
  }
  return {document: {dryRun, from: fromPath, path: location.path, ...result}}
}

export default handler
