// The talosconfig file as talosctl reads and writes it (talos.md §1.1): keys in struct order, `endpoints: []` always
// present, 4-space indent with block sequences indented under their key, no line wrapping (base64 stays on one
// line) and context names in go-yaml's natural order. Unlike talosctl, keys it does not know are kept, so editing a
// file written by a newer version loses nothing.
import {Document, isAlias, isMap, isNode, isScalar, isSeq, type Node, Pair, parseDocument, visit, YAMLMap} from 'yaml'

import {goYamlNode, goYamlSequence, renderGoYamlV3} from '../go/yaml-v3.js'
import {AuthctlError} from '../output/errors.js'
import {naturalSort} from '../go/natural-sort.js'

export interface TalosContext {
  endpoints: string[]
  nodes: string[]
  /** Base64 of the PEM CA certificate. */
  ca: string
  /** Base64 of the PEM client certificate. */
  crt: string
  /** Base64 of the PEM private key. */
  key: string
  /** `auth` (basic / siderov1), kept as written. */
  auth?: Node
  cluster: string
  proxyUrl: string
  /** Keys talosctl does not know, in their original order. */
  extra: Array<[string, Node]>
}

export interface Talosconfig {
  /** The current context name ("" when none). */
  context: string
  contexts: Map<string, TalosContext>
  extra: Array<[string, Node]>
}

export function emptyContext(): TalosContext {
  return {ca: '', cluster: '', crt: '', endpoints: [], extra: [], key: '', nodes: [], proxyUrl: ''}
}

export function emptyTalosconfig(): Talosconfig {
  return {context: '', contexts: new Map(), extra: []}
}

// ---------------------------------------------------------------------------------------------------- parsing

function parseError(source: string, message: string): AuthctlError {
  return new AuthctlError(`cannot parse talosconfig ${JSON.stringify(source)}: ${message}`, {code: 'BAD_TALOSCONFIG'})
}

function lineOf(offset: number | undefined, text: string): string {
  return offset === undefined ? '' : ` (line ${text.slice(0, offset).split('\n').length})`
}

function where(node: Node | null | undefined, text: string): string {
  return lineOf(node?.range?.[0], text)
}

/** A scalar as Go decodes it into a string field: its source text, "" for null. */
function scalarText(node: unknown, what: string, fail: (m: string, n?: Node) => never): string {
  if (node === null || node === undefined) return ''
  if (!isScalar(node)) return fail(`${what} must be a string`, node as Node)
  if (node.value === null) return ''
  return typeof node.value === 'string' ? node.value : (node.source ?? String(node.value))
}

function stringList(node: unknown, what: string, fail: (m: string, n?: Node) => never): string[] {
  if (node === null || node === undefined || (isScalar(node) && node.value === null)) return []
  if (!isSeq(node)) return fail(`${what} must be a list of strings`, node as Node)
  return node.items.map((item) => scalarText(item, what, fail))
}

// Extra values are moved into another document when contexts are merged; an alias would then point nowhere, so
// aliased content is resolved into plain nodes when read.
function detach(node: Node, doc: Document): Node {
  let hasAlias = false
  visit(node, {Alias: () => {
    hasAlias = true
    return visit.BREAK
  }})
  if (isAlias(node)) hasAlias = true
  return hasAlias ? (doc.createNode(node.toJS(doc, {mapAsMap: true})) as Node) : node
}

const contextKeys = new Set(['target', 'endpoints', 'nodes', 'ca', 'crt', 'key', 'auth', 'cluster', 'proxy-url'])

function parseContext(node: unknown, name: string, doc: Document, fail: (m: string, n?: Node) => never): TalosContext {
  const ctx = emptyContext()
  if (node === null || node === undefined || (isScalar(node) && node.value === null)) return ctx
  if (!isMap(node)) return fail(`context ${JSON.stringify(name)} must be a mapping`, node as Node)
  let target = ''
  for (const pair of node.items) {
    const key = scalarText(pair.key, 'a key', fail)
    const value = pair.value as Node | null
    const what = `contexts.${name}.${key}`
    switch (key) {
      case 'target':
        target = scalarText(value, what, fail)
        break
      case 'endpoints':
        ctx.endpoints = stringList(value, what, fail)
        break
      case 'nodes':
        ctx.nodes = stringList(value, what, fail)
        break
      case 'ca':
      case 'crt':
      case 'key':
      case 'cluster':
        ctx[key] = scalarText(value, what, fail)
        break
      case 'proxy-url':
        ctx.proxyUrl = scalarText(value, what, fail)
        break
      case 'auth':
        if (value !== null && !(isScalar(value) && value.value === null)) {
          if (!isMap(value)) return fail(`${what} must be a mapping`, value)
          if (value.items.length > 0) ctx.auth = detach(value, doc)
        }
        break
      default:
        if (value !== null) ctx.extra.push([key, detach(value, doc)])
    }
  }
  // talosctl's Context.upgrade: the deprecated single `target` becomes one more endpoint.
  if (target !== '') ctx.endpoints.push(target)
  return ctx
}

/**
 * Parses talosconfig YAML. Duplicate keys and wrong shapes are errors (as in talosctl); an empty document is an
 * empty config.
 */
export function parseTalosconfig(text: string, source = 'talosconfig'): Talosconfig {
  const doc = parseDocument(text, {prettyErrors: false, uniqueKeys: true})
  if (doc.errors.length > 0) {
    const error = doc.errors[0]
    const message = error.code === 'DUPLICATE_KEY' ? 'duplicate key' : error.message.split('\n')[0]
    throw parseError(source, message.replace(/ at line \d+, column \d+:?$/, '') + lineOf(error.pos[0], text))
  }
  const fail = (message: string, node?: Node): never => {
    throw parseError(source, message + where(node, text))
  }
  const config = emptyTalosconfig()
  const root = doc.contents
  if (root === null || (isScalar(root) && root.value === null)) return config
  if (!isMap(root)) return fail('the document must be a mapping', root as Node)
  for (const pair of root.items) {
    const key = scalarText(pair.key, 'a key', fail)
    const value = pair.value as Node | null
    if (key === 'context') {
      config.context = scalarText(value, 'context', fail)
    } else if (key === 'contexts') {
      if (value === null || (isScalar(value) && value.value === null)) continue
      if (!isMap(value)) return fail('contexts must be a mapping', value)
      for (const item of value.items) {
        const name = scalarText(item.key, 'a context name', fail)
        config.contexts.set(name, parseContext(item.value, name, doc, fail))
      }
    } else if (value !== null) {
      config.extra.push([key, detach(value, doc)])
    }
  }
  return config
}

// ---------------------------------------------------------------------------------------------- serialising

function contextNode(ctx: TalosContext): YAMLMap {
  const map = new YAMLMap()
  const add = (key: string, value: unknown) => map.items.push(new Pair(goYamlNode(key), value))
  add('endpoints', goYamlSequence(ctx.endpoints))
  if (ctx.nodes.length > 0) add('nodes', goYamlSequence(ctx.nodes))
  if (ctx.ca) add('ca', goYamlNode(ctx.ca))
  if (ctx.crt) add('crt', goYamlNode(ctx.crt))
  if (ctx.key) add('key', goYamlNode(ctx.key))
  if (ctx.auth) add('auth', ctx.auth)
  if (ctx.cluster) add('cluster', goYamlNode(ctx.cluster))
  if (ctx.proxyUrl) add('proxy-url', goYamlNode(ctx.proxyUrl))
  for (const [key, value] of ctx.extra) if (!contextKeys.has(key)) add(key, value)
  return map
}

/** The bytes talosctl's Config.Bytes() produces for this config (plus any unknown keys after the known ones). */
export function serializeTalosconfig(config: Talosconfig): string {
  const root = new YAMLMap()
  root.items.push(new Pair(goYamlNode('context'), goYamlNode(config.context)))
  const contexts = new YAMLMap()
  for (const name of naturalSort(config.contexts.keys())) {
    contexts.items.push(new Pair(goYamlNode(name), contextNode(config.contexts.get(name)!)))
  }
  root.items.push(new Pair(goYamlNode('contexts'), contexts))
  for (const [key, value] of config.extra) {
    if (key !== 'context' && key !== 'contexts') root.items.push(new Pair(goYamlNode(key), value))
  }
  return renderGoYamlV3(root)
}

/** Two contexts are the same when they serialise identically. */
export function sameContext(a: TalosContext, b: TalosContext): boolean {
  return renderGoYamlV3(contextNode(a)) === renderGoYamlV3(contextNode(b))
}

export function cloneContext(ctx: TalosContext): TalosContext {
  return {
    ...ctx,
    auth: ctx.auth ? (ctx.auth.clone() as Node) : undefined,
    endpoints: [...ctx.endpoints],
    extra: ctx.extra.map(([k, v]) => [k, isNode(v) ? (v.clone() as Node) : v]),
    nodes: [...ctx.nodes],
  }
}
