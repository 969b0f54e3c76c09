// The kubectl `config` editing commands as library functions: each edits the effective kubeconfig under the locks
// and returns the line kubectl prints (plus warnings), so handlers only render.
import {readFileSync} from 'node:fs'

import type {WriteAgeOptions} from '../files/write.js'
import {AuthctlError, usageError} from '../output/errors.js'
import {didYouMean} from '../output/suggest.js'
import {editKubeconfig, type EditOptions, type EditSession} from './edit-session.js'
import {type Kubeconfig, loadKubeconfig} from './load.js'
import {type MergeOptions, type MergePlan, planMerge} from './merge.js'
import {NOUN} from './schema.js'
import {applyCluster, applyContext, applyCredentials, type ClusterOptions, type ContextOptions, type CredentialOptions, embedReader, validateClusterOptions, validateCredentialOptions} from './entries.js'

export interface EditResult {
  /** kubectl's confirmation line. */
  message: string
  warnings: string[]
  /** Files written. */
  files: string[]
}

export interface CommandContext extends EditOptions {
  /** Base for relative flag paths (filepath.Abs). */
  cwd: string
  readFile?: (path: string) => Buffer
}

/** Runs one kubectl-style edit under the locks and reports the files it wrote. */
export async function runEdit(options: CommandContext, edit: (s: EditSession) => Omit<EditResult, 'files'>): Promise<EditResult> {
  const {changes, result} = await editKubeconfig(options, edit)
  return {...result, files: changes.map((c) => c.path)}
}

const reader = (options: CommandContext) => embedReader(options.readFile ?? ((p) => readFileSync(p)))

export function setCluster(options: CommandContext, name: string, cluster: ClusterOptions): Promise<EditResult> {
  validateClusterOptions(cluster)
  return runEdit(options, (s) => {
    s.set('clusters', name, applyCluster(s.config.clusters.get(name)?.body, cluster, reader(options), options.cwd))
    return {message: `Cluster "${name}" set.`, warnings: []}
  })
}

/** Creates or updates a user entry (kubectl set-credentials); also used by login flows that store credentials. */
export function setCredentials(options: CommandContext, name: string, credentials: CredentialOptions): Promise<EditResult> {
  validateCredentialOptions(credentials)
  return runEdit(options, (s) => {
    s.set('users', name, applyCredentials(s.config.users.get(name)?.body, credentials, reader(options), options.cwd))
    return {message: `User "${name}" set.`, warnings: []}
  })
}

export function setContext(options: CommandContext, name: string | undefined, current: boolean, context: ContextOptions): Promise<EditResult> {
  if (current && name) throw usageError('you cannot specify both a context name and --current')
  if (!current && !name) throw usageError('you must specify a non-empty context name or --current')
  return runEdit(options, (s) => {
    const target = current ? s.config.currentContext : name!
    if (!target) throw new AuthctlError('no current context is set', {code: 'NO_CONTEXT'})
    const existing = s.config.contexts.get(target)
    s.set('contexts', target, applyContext(existing?.body, context))
    return {message: `Context "${target}" ${existing ? 'modified' : 'created'}.`, warnings: []}
  })
}

export function useContext(options: CommandContext, name: string): Promise<EditResult> {
  if (!name) throw usageError('empty context names are not allowed')
  return runEdit(options, (s) => {
    if (!s.config.contexts.has(name)) {
      throw new AuthctlError(`no context exists with the name: "${name}"`, {code: 'NOT_FOUND', hint: didYouMean(name, s.config.contexts.keys())})
    }
    s.setCurrentContext(name)
    return {message: `Switched to context "${name}".`, warnings: []}
  })
}

/** The file kubectl names in rename/delete messages. */
const shownFile = (s: EditSession) => s.located.explicit ?? s.located.defaultFile

export function renameContext(options: CommandContext, from: string, to: string): Promise<EditResult> {
  return runEdit(options, (s) => {
    const entry = s.config.contexts.get(from)
    if (!entry) throw new AuthctlError(`cannot rename the context "${from}", it's not in ${shownFile(s)}`, {code: 'NOT_FOUND'})
    if (s.config.contexts.has(to)) {
      throw new AuthctlError(`cannot rename the context "${from}", the context "${to}" already exists in ${shownFile(s)}`, {code: 'EXISTS'})
    }
    // The renamed entry stays in the file it came from; current-context follows it.
    s.remove('contexts', from)
    s.set('contexts', to, entry.body, entry.origin)
    if (s.config.currentContext === from) s.setCurrentContext(to)
    return {message: `Context "${from}" renamed to "${to}".`, warnings: []}
  })
}

/** kubectl delete-context; with `cascade` also its user and cluster when no other context uses them. */
export function deleteContext(options: CommandContext, name: string, cascade = false): Promise<EditResult> {
  return runEdit(options, (s) => {
    const entry = s.config.contexts.get(name)
    if (!entry) throw new AuthctlError(`cannot delete context ${name}, not in ${shownFile(s)}`, {code: 'NOT_FOUND'})
    const warnings: string[] = []
    if (s.config.currentContext === name) {
      warnings.push('warning: this removed your active context, use "kubectl config use-context" to select a different one')
    }
    s.remove('contexts', name)
    const lines = [`deleted context ${name} from ${shownFile(s)}`]
    if (cascade) {
      const others = [...s.config.contexts.values()]
      for (const [kind, field, noun] of [['clusters', 'cluster', 'cluster'], ['users', 'user', 'user']] as const) {
        const ref = String(entry.body[field] ?? '')
        if (!ref || !s.config[kind].has(ref) || others.some((c) => c.body[field] === ref)) continue
        s.remove(kind, ref)
        lines.push(`deleted ${noun} ${ref} from ${shownFile(s)}`)
      }
    }
    return {message: lines.join('\n'), warnings}
  })
}

/** kubectl delete-cluster / delete-user: removes the entry from the file it came from; contexts using it stay. */
export function deleteEntry(options: CommandContext, kind: 'clusters' | 'users', name: string): Promise<EditResult> {
  return runEdit(options, (s) => {
    if (!s.config[kind].has(name)) throw new AuthctlError(`cannot delete ${NOUN[kind]} ${name}, not in ${shownFile(s)}`, {code: 'NOT_FOUND'})
    s.remove(kind, name)
    return {message: `deleted ${NOUN[kind]} ${name} from ${shownFile(s)}`, warnings: []}
  })
}

export interface MergeRequest extends MergeOptions {
  into: string
  /** Files to read, or configs already in memory (e.g. a freshly issued one). */
  sources: Array<string | {path: string; config: Kubeconfig}>
  dryRun?: boolean
  env: NodeJS.ProcessEnv
  lockTimeoutMs?: number
  onWarning?: (message: string) => void
  /** Identities for age-encrypted sources and target; recipients for the target. */
  age?: WriteAgeOptions
}

export interface MergeOutcome {
  plan: MergePlan
  into: string
  /** The target's text before and after (equal when nothing changed). */
  before: string
  after: string
  written: boolean
}

/** Merges source files into `into` (created when missing) under its lock; with dryRun writes nothing. */
export async function mergeKubeconfigs(request: MergeRequest): Promise<MergeOutcome> {
  const sources: Array<{path: string; config: Kubeconfig}> = []
  for (const source of request.sources) {
    sources.push(typeof source === 'string' ? {config: await loadKubeconfig({age: request.age, env: request.env, kubeconfig: source}), path: source} : source)
  }
  const {changes, result: plan} = await editKubeconfig(
    {age: request.age, dryRun: request.dryRun, env: request.env, kubeconfig: request.into, lockTimeoutMs: request.lockTimeoutMs, onWarning: request.onWarning},
    (s) => {
      const plan = planMerge(s.config, sources, request)
      for (const {body, kind, name} of plan.writes) s.set(kind, name, body, request.into)
      if (plan.currentContext !== s.config.currentContext) s.setCurrentContext(plan.currentContext, request.into)
      return plan
    },
  )
  const change = changes[0]
  return {after: change?.after ?? '', before: change?.before ?? '', into: request.into, plan, written: Boolean(change) && !request.dryRun}
}
