// `kubectl config view`: the merged config as a v1 document, optionally minified to one context, flattened (file
// references inlined as base64 data) and, unless raw or flattened, redacted exactly like kubectl.
import {readFileSync} from 'node:fs'
import {dirname, isAbsolute, resolve} from 'node:path'

import {ageFormat, embedEncryptedError} from '../files/age.js'
import {AuthctlError} from '../output/errors.js'
import type {Kubeconfig} from './load.js'
import {BODY_KEY, type Body, CLUSTER, type Json, type Kind, USER} from './schema.js'

export interface ViewOptions {
  minify?: boolean
  flatten?: boolean
  raw?: boolean
  /** --context: the context kept by --minify (default current-context). */
  context?: string
}

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

/** The v1 document in Go struct order (kind, apiVersion, preferences, clusters, users, contexts, current-context). */
function toV1(config: Kubeconfig, bodies?: (kind: Kind, body: Body) => Body): Body {
  const list = (kind: Kind): Json => {
    const names = [...config[kind].keys()].sort(byName)
    if (names.length === 0) return null
    return names.map((name) => {
      const body = config[kind].get(name)!.body
      return {name, [BODY_KEY[kind]]: bodies ? bodies(kind, body) : body}
    })
  }
  const doc: Body = {kind: 'Config', apiVersion: 'v1', preferences: config.preferences, clusters: list('clusters'), users: list('users'), contexts: list('contexts'), 'current-context': config.currentContext}
  if (config.extensions.length > 0) doc.extensions = config.extensions
  return doc
}

/** kubectl's MinifyConfig: only the chosen context and its cluster and user. */
function minify(config: Kubeconfig, contextName?: string): Kubeconfig {
  const name = contextName || config.currentContext
  if (!name) throw new AuthctlError('current-context must exist in order to minify', {code: 'NO_CONTEXT'})
  const context = config.contexts.get(name)
  if (!context) throw new AuthctlError(`cannot locate context ${name}`, {code: 'NOT_FOUND'})
  const out: Kubeconfig = {...config, clusters: new Map(), contexts: new Map([[name, context]]), currentContext: name, users: new Map()}
  const clusterName = String(context.body.cluster)
  const cluster = config.clusters.get(clusterName)
  if (!cluster) throw new AuthctlError(`cannot locate cluster ${clusterName}`, {code: 'NOT_FOUND'})
  out.clusters.set(clusterName, cluster)
  const userName = String(context.body.user)
  const user = config.users.get(userName)
  if (!user) throw new AuthctlError(`cannot locate user ${userName}`, {code: 'NOT_FOUND'})
  out.users.set(userName, user)
  return out
}

function inline(body: Body, origin: string, pathKey: string, dataKey: string, readFile: (path: string) => Buffer): void {
  const path = body[pathKey]
  if (typeof path !== 'string' || path === '') return
  const full = isAbsolute(path) ? path : resolve(dirname(origin), path)
  let data: Buffer
  try {
    data = readFile(full)
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (error as Error).message
    throw new AuthctlError(`open ${full}: ${reason}`, {code: 'FILE'})
  }
  if (ageFormat(data)) throw embedEncryptedError(pathKey, full)
  body[dataKey] = data.toString('base64')
  delete body[pathKey]
}

/** Puts a body's keys back into Go struct order after fields were added. */
function reorder(schema: typeof CLUSTER, body: Body): Body {
  const out: Body = {}
  for (const {key} of schema) if (body[key] !== undefined) out[key] = body[key]
  return out
}

/** kubectl's FlattenConfig: cert and key files (relative to each entry's file) become base64 `*-data`. */
function flatten(config: Kubeconfig, readFile: (path: string) => Buffer = (p) => readFileSync(p)): Kubeconfig {
  const out: Kubeconfig = {...config, clusters: new Map(), users: new Map()}
  for (const [name, entry] of config.clusters) {
    const body = {...entry.body}
    inline(body, entry.origin, 'certificate-authority', 'certificate-authority-data', readFile)
    out.clusters.set(name, {...entry, body: reorder(CLUSTER, body)})
  }
  for (const [name, entry] of config.users) {
    const body = {...entry.body}
    inline(body, entry.origin, 'client-certificate', 'client-certificate-data', readFile)
    inline(body, entry.origin, 'client-key', 'client-key-data', readFile)
    out.users.set(name, {...entry, body: reorder(USER, body)})
  }
  return out
}

/** kubectl's RedactSecrets + ShortenConfig: data fields → DATA+OMITTED, token and password → REDACTED. */
function redactBody(kind: Kind, body: Body): Body {
  if (kind === 'contexts') return body
  const out = {...body}
  for (const key of ['certificate-authority-data', 'client-certificate-data', 'client-key-data']) {
    if (out[key]) out[key] = 'DATA+OMITTED'
  }
  for (const key of ['token', 'password']) if (out[key]) out[key] = 'REDACTED'
  return out
}

export function view(config: Kubeconfig, options: ViewOptions): Body {
  let shown = options.minify ? minify(config, options.context) : config
  if (options.flatten) shown = flatten(shown)
  return toV1(shown, options.flatten || options.raw ? undefined : redactBody)
}
