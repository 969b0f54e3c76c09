// Merging one talosconfig into another (talos.md §2.1) with a fixed order instead of Go's random map order:
// incoming contexts whose names are free keep them; then, in natural-sort order, each conflicting context is
// renamed to the first free `name-N` (checked against the map as it grows), or overwrites / is skipped / fails.
// The receiver's current context is kept (what the Talos docs promise) unless it has none or `useIncomingContext`
// asks for talosctl's behaviour: the incoming current context, after renaming ("" when it names nothing).
import {AuthctlError} from '../output/errors.js'
import {cloneContext, sameContext, type Talosconfig} from './format.js'
import {naturalSort} from '../go/natural-sort.js'

export type ConflictPolicy = 'fail' | 'overwrite' | 'rename' | 'skip'
export const CONFLICT_POLICIES: ConflictPolicy[] = ['rename', 'overwrite', 'skip', 'fail']

export interface MergeOptions {
  onConflict?: ConflictPolicy
  useIncomingContext?: boolean
}

export interface MergeResult {
  /** Incoming contexts stored under their own name, with no conflict. */
  added: string[]
  renamed: Array<{from: string; to: string}>
  overwritten: string[]
  /** Conflicting names kept as they were (identical, or --on-conflict skip). */
  skipped: Array<{name: string; identical: boolean}>
  /** The current context after the merge. */
  context: string
  contextChanged: boolean
}

/** Merges `incoming` into `target` in place (nothing changes when it throws). */
export function mergeTalosconfig(target: Talosconfig, incoming: Talosconfig, options: MergeOptions = {}): MergeResult {
  const policy = options.onConflict ?? 'rename'
  const names = naturalSort(incoming.contexts.keys())
  const conflicts = names.filter((n) => target.contexts.has(n))
  if (policy === 'fail') {
    const differing = conflicts.filter((n) => !sameContext(target.contexts.get(n)!, incoming.contexts.get(n)!))
    if (differing.length > 0) {
      throw new AuthctlError(`contexts already exist with different content: ${differing.map((n) => JSON.stringify(n)).join(', ')}`, {
        code: 'MERGE_CONFLICT',
        hint: 'use --on-conflict rename, overwrite or skip',
      })
    }
  }
  const result: MergeResult = {added: [], context: target.context, contextChanged: false, overwritten: [], renamed: [], skipped: []}
  const mapped = new Map<string, string>()
  for (const name of names) {
    if (target.contexts.has(name)) continue
    target.contexts.set(name, cloneContext(incoming.contexts.get(name)!))
    mapped.set(name, name)
    result.added.push(name)
  }
  for (const name of conflicts) {
    const ctx = incoming.contexts.get(name)!
    const identical = sameContext(target.contexts.get(name)!, ctx)
    if (policy === 'rename') {
      let i = 1
      while (target.contexts.has(`${name}-${i}`)) i++
      const to = `${name}-${i}`
      target.contexts.set(to, cloneContext(ctx))
      mapped.set(name, to)
      result.renamed.push({from: name, to})
    } else if (policy === 'overwrite' && !identical) {
      target.contexts.set(name, cloneContext(ctx))
      mapped.set(name, name)
      result.overwritten.push(name)
    } else {
      mapped.set(name, name)
      result.skipped.push({identical, name})
    }
  }
  if (incoming.context !== '' && (options.useIncomingContext || target.context === '')) {
    target.context = mapped.get(incoming.context) ?? ''
  }
  result.contextChanged = target.context !== result.context
  result.context = target.context
  return result
}
