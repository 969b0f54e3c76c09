// Picking a context and resolving its file references the way client-go does for API calls: relative paths are
// taken against the directory of the file each entry came from; an exec command only when it contains a separator.
import {dirname, isAbsolute, relative, resolve, sep} from 'node:path'

import {AuthctlError} from '../output/errors.js'
import type {Body} from './schema.js'
import type {Entry, Kubeconfig} from './load.js'

export interface ResolvedContext {
  name: string
  context: Body
  cluster: Body
  user: Body
  /** Files the three entries came from. */
  origins: {context: string; cluster: string; user: string}
}

const CLUSTER_PATHS = ['certificate-authority']
const USER_PATHS = ['client-certificate', 'client-key', 'tokenFile']

function resolveIn(body: Body, keys: string[], base: string): Body {
  const out: Body = {...body}
  for (const key of keys) {
    const value = out[key]
    if (typeof value === 'string' && value !== '' && !isAbsolute(value)) out[key] = resolve(base, value)
  }
  return out
}

/** A cluster body with its file references made absolute against `origin`'s directory. */
export function resolveClusterPaths(body: Body, origin: string): Body {
  return resolveIn(body, CLUSTER_PATHS, dirname(origin))
}

/** A user body with its file references (and a path-like exec command) made absolute against `origin`'s directory. */
export function resolveUserPaths(body: Body, origin: string): Body {
  const base = dirname(origin)
  const out = resolveIn(body, USER_PATHS, base)
  const exec = out.exec as Body | undefined
  if (exec && typeof exec.command === 'string' && exec.command.includes(sep) && !isAbsolute(exec.command)) {
    out.exec = {...exec, command: resolve(base, exec.command)}
  }
  return out
}

/**
 * client-go's RelativizePathWithNoBacksteps for an entry written to `destination`: absolute paths under the file's
 * directory become relative. Deliberate difference: an exec command keeps a `./` prefix, because client-go's bare
 * name is then looked up on $PATH and no longer found.
 */
export function relativizeBody(kind: 'clusters' | 'users', body: Body, destination: string): Body {
  const base = dirname(destination)
  const out = kind === 'clusters' ? resolveClusterPaths(body, destination) : resolveUserPaths(body, destination)
  const rel = (value: string) => {
    const r = relative(base, value)
    return r === '' || r === '..' || r.startsWith(`..${sep}`) || isAbsolute(r) ? value : r
  }
  for (const key of kind === 'clusters' ? CLUSTER_PATHS : USER_PATHS) {
    if (typeof out[key] === 'string' && out[key] !== '') out[key] = rel(out[key] as string)
  }
  const exec = out.exec as Body | undefined
  if (exec && typeof exec.command === 'string' && isAbsolute(exec.command)) {
    const r = rel(exec.command)
    out.exec = {...exec, command: r === exec.command ? r : `.${sep}${r}`}
  }
  return out
}

function need(entry: Entry | undefined, what: string, name: string): Entry {
  if (!entry) throw new AuthctlError(`${what} ${JSON.stringify(name)} not found in the kubeconfig`, {code: 'NOT_FOUND'})
  return entry
}

/** The context `name` (default: current-context) with its cluster and user, file references made absolute. */
export function resolveContext(config: Kubeconfig, name?: string): ResolvedContext {
  const contextName = name || config.currentContext
  if (!contextName) {
    throw new AuthctlError('current-context is not set', {code: 'NO_CONTEXT', hint: 'pass --context or run authctl kubeconfig use-context'})
  }
  const context = need(config.contexts.get(contextName), 'context', contextName)
  const clusterName = String(context.body.cluster ?? '')
  const userName = String(context.body.user ?? '')
  const cluster = need(config.clusters.get(clusterName), 'cluster', clusterName)
  // A context without a user is valid (anonymous); an unknown user name is not.
  const user = userName ? need(config.users.get(userName), 'user', userName) : undefined
  return {
    cluster: resolveClusterPaths(cluster.body, cluster.origin),
    context: context.body,
    name: contextName,
    origins: {cluster: cluster.origin, context: context.origin, user: user?.origin ?? context.origin},
    user: user ? resolveUserPaths(user.body, user.origin) : {},
  }
}
