// Merging kubeconfig files into one target without losing an entry. Per source file, clusters and users first, then
// contexts (whose references follow any rename): an identical entry is skipped, a clashing name is renamed
// `name-1`, `name-2`, … (or overwritten / kept / refused by policy). An entry identical to one stored earlier under
// a renamed name reuses that name, so merging the same file twice changes nothing.
import {AuthctlError} from '../output/errors.js'
import {didYouMean} from '../output/suggest.js'
import type {Entry, Kubeconfig} from './load.js'
import {resolveClusterPaths, resolveUserPaths} from './resolve.js'
import {type Body, jsonEqual, type Kind, KINDS, NOUN} from './schema.js'

export type ConflictPolicy = 'fail' | 'overwrite' | 'rename' | 'skip'

export interface MergeAction {
  kind: Kind
  /** Name in the source file. */
  name: string
  source: string
  action: 'add' | 'identical' | 'overwrite' | 'rename' | 'keep'
  /** Name in the target (differs from `name` after a rename). */
  as: string
}

export interface MergePlan {
  actions: MergeAction[]
  currentContext: string
  /** Entries to write into the target, in order. */
  writes: Array<{kind: Kind; name: string; body: Body}>
}

/** Bodies compared and stored with absolute file references, so entries from different directories compare right. */
function absolute(kind: Kind, entry: Entry): Body {
  if (kind === 'clusters') return resolveClusterPaths(entry.body, entry.origin)
  if (kind === 'users') return resolveUserPaths(entry.body, entry.origin)
  return entry.body
}

export interface MergeOptions {
  onConflict: ConflictPolicy
  /** Context to make current in the result (default: keep the target's, else the first source's). */
  useContext?: string
}

export function planMerge(target: Kubeconfig, sources: Array<{path: string; config: Kubeconfig}>, options: MergeOptions): MergePlan {
  const result: Record<Kind, Map<string, Body>> = {clusters: new Map(), contexts: new Map(), users: new Map()}
  for (const kind of KINDS) for (const [name, entry] of target[kind]) result[kind].set(name, absolute(kind, entry))
  const actions: MergeAction[] = []
  const writes: MergePlan['writes'] = []
  const conflicts: string[] = []
  let current = target.currentContext
  for (const {config, path} of sources) {
    const renamed: Record<Kind, Map<string, string>> = {clusters: new Map(), contexts: new Map(), users: new Map()}
    for (const kind of KINDS) {
      for (const name of [...config[kind].keys()].sort()) {
        let body = absolute(kind, config[kind].get(name)!)
        if (kind === 'contexts') {
          body = {...body, cluster: renamed.clusters.get(String(body.cluster)) ?? body.cluster, user: renamed.users.get(String(body.user)) ?? body.user}
        }
        const existing = result[kind].get(name)
        let action: MergeAction['action']
        let as = name
        if (!existing) action = 'add'
        else if (jsonEqual(existing, body)) action = 'identical'
        else if (options.onConflict === 'overwrite') action = 'overwrite'
        else if (options.onConflict === 'skip') action = 'keep'
        else if (options.onConflict === 'fail') {
          conflicts.push(`${NOUN[kind]} ${JSON.stringify(name)} from ${path}`)
          action = 'keep'
        } else {
          let n = 1
          while (result[kind].has(`${name}-${n}`) && !jsonEqual(result[kind].get(`${name}-${n}`), body)) n++
          as = `${name}-${n}`
          action = result[kind].has(as) ? 'identical' : 'rename'
        }
        if (as !== name) renamed[kind].set(name, as)
        if (action === 'add' || action === 'rename' || action === 'overwrite') {
          result[kind].set(as, body)
          writes.push({body, kind, name: as})
        }
        actions.push({action, as, kind, name, source: path})
      }
    }
    if (!current && config.currentContext) current = renamed.contexts.get(config.currentContext) ?? config.currentContext
  }
  if (conflicts.length > 0) {
    throw new AuthctlError(`merge conflicts: ${conflicts.join(', ')}`, {code: 'CONFLICT', hint: 'use --on-conflict rename, overwrite or skip'})
  }
  if (options.useContext !== undefined) {
    if (!result.contexts.has(options.useContext)) {
      const hint = didYouMean(options.useContext, result.contexts.keys())
      throw new AuthctlError(`no context exists with the name: "${options.useContext}"`, {code: 'NOT_FOUND', hint})
    }
    current = options.useContext
  }
  return {actions, currentContext: current, writes}
}

/** The stderr summary line for an action that is not a plain add. */
export function describeAction(a: MergeAction): string | undefined {
  const what = `${NOUN[a.kind]} "${a.name}" from ${a.source}`
  switch (a.action) {
    case 'rename':
      return `renamed ${what} to "${a.as}"`
    case 'identical':
      return a.as === a.name ? `skipped ${what}: identical entry exists` : `skipped ${what}: identical to "${a.as}"`
    case 'keep':
      return `skipped ${what}: name taken, kept the existing entry`
    case 'overwrite':
      return `overwrote ${NOUN[a.kind]} "${a.name}" with the one from ${a.source}`
    default:
      return undefined
  }
}
