// The cluster objects a ServiceAccount token can name (ServiceAccounts, Pods, Secrets, Nodes), read from manifests
// such as `kubectl get serviceaccounts,pods,secrets,nodes -A -o yaml` and indexed by namespace/name, so the token
// lookups kube-apiserver makes against its informers can be made against files.
import {readdir, readFile, stat} from 'node:fs/promises'
import {join} from 'node:path'

import {AuthctlError, fileError} from '../output/errors.js'
import {loadYaml} from '../output/yaml.js'

export interface ClusterObject {
  name: string
  namespace: string
  uid: string
  /** metadata.deletionTimestamp: the object is being deleted. */
  deletionTimestamp?: Date
}

export interface SecretObject extends ClusterObject {
  labels: Record<string, string>
  /** data, base64-decoded. */
  data: Record<string, Buffer>
}

export type ObjectKind = 'ServiceAccount' | 'Pod' | 'Secret' | 'Node'

/** The resource names kube-apiserver uses in its NotFound messages. */
export const RESOURCE: Record<ObjectKind, string> = {Node: 'nodes', Pod: 'pods', Secret: 'secrets', ServiceAccount: 'serviceaccounts'}

export interface ObjectStore {
  get(kind: 'Secret', namespace: string, name: string): SecretObject | undefined
  get(kind: ObjectKind, namespace: string, name: string): ClusterObject | undefined
}

function invalid(where: string, message: string): AuthctlError {
  return new AuthctlError(`${where}: ${message}`, {code: 'INVALID_OBJECTS'})
}

const key = (namespace: string, name: string) => `${namespace}/${name}`

function strings(value: unknown, what: string, where: string): Record<string, string> {
  if (value === undefined || value === null) return {}
  if (typeof value !== 'object' || Array.isArray(value) || Object.values(value).some((v) => typeof v !== 'string')) {
    throw invalid(where, `${what} must be a map of strings`)
  }
  return value as Record<string, string>
}

function parseObject(object: any, where: string): {kind: ObjectKind; value: ClusterObject | SecretObject} {
  const kind = object.kind as ObjectKind
  const meta = object.metadata
  const name = meta?.name
  if (typeof name !== 'string' || !name) throw invalid(where, `${kind} without metadata.name`)
  const label = `${kind} ${JSON.stringify(name)}`
  const namespaced = kind !== 'Node'
  const namespace = meta.namespace ?? (namespaced ? 'default' : '')
  if (typeof namespace !== 'string') throw invalid(where, `${label}: metadata.namespace must be a string`)
  if (!namespaced && namespace) throw invalid(where, `${label}: a Node has no namespace`)
  if (typeof meta.uid !== 'string' || !meta.uid) throw invalid(where, `${label}: metadata.uid is missing`)
  let deletionTimestamp: Date | undefined
  if (meta.deletionTimestamp !== undefined && meta.deletionTimestamp !== null) {
    deletionTimestamp = new Date(meta.deletionTimestamp instanceof Date ? meta.deletionTimestamp.getTime() : String(meta.deletionTimestamp))
    if (Number.isNaN(deletionTimestamp.getTime())) throw invalid(where, `${label}: metadata.deletionTimestamp is not an RFC 3339 time`)
  }
  const base: ClusterObject = {name, namespace, uid: meta.uid, ...(deletionTimestamp ? {deletionTimestamp} : {})}
  if (kind !== 'Secret') return {kind, value: base}
  const data: Record<string, Buffer> = {}
  for (const [k, v] of Object.entries(strings(object.data, `${label}: data`, where))) {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(v.replace(/\s/g, ''))) throw invalid(where, `${label}: data.${k} is not base64`)
    data[k] = Buffer.from(v, 'base64')
  }
  for (const [k, v] of Object.entries(strings(object.stringData, `${label}: stringData`, where))) data[k] = Buffer.from(v, 'utf8')
  return {kind, value: {...base, data, labels: strings(meta.labels, `${label}: metadata.labels`, where)}}
}

const KINDS = new Set<string>(['Node', 'Pod', 'Secret', 'ServiceAccount'])

/** Adds the objects among parsed manifest values (Lists flattened); any other kind is an error. */
function addValues(index: Map<string, Map<string, ClusterObject>>, values: unknown[], where: string): void {
  const add = (object: any) => {
    if (object === null || object === undefined) return
    if (typeof object !== 'object' || Array.isArray(object)) throw invalid(where, 'expected a Kubernetes object')
    if (typeof object.kind === 'string' && object.kind.endsWith('List') && Array.isArray(object.items)) {
      for (const item of object.items) add(item)
      return
    }
    if (!KINDS.has(object.kind)) {
      throw invalid(where, `unsupported kind ${JSON.stringify(object.kind ?? '')} (expected ServiceAccount, Pod, Secret or Node)`)
    }
    const {kind, value} = parseObject(object, where)
    const byName = index.get(kind)!
    const k = key(value.namespace, value.name)
    if (byName.has(k)) throw invalid(where, `${kind} ${JSON.stringify(k.replace(/^\//, ''))} is given twice`)
    byName.set(k, value)
  }
  for (const value of values) add(value)
}

async function manifestValues(text: string, where: string): Promise<unknown[]> {
  if (/^\s*[{[]/.test(text)) {
    try {
      return [JSON.parse(text)]
    } catch {
      // not JSON after all: YAML (a superset) reports the error
    }
  }
  const {parseAllDocuments} = await loadYaml()
  return parseAllDocuments(text).map((doc) => {
    if (doc.errors.length) throw invalid(where, doc.errors[0].message.split('\n')[0])
    return doc.toJS()
  })
}

/** Builds a store from manifest texts, each named by where it came from (a file name). */
export async function parseObjects(sources: Array<{text: string; where: string}>): Promise<ObjectStore> {
  const index = new Map<string, Map<string, ClusterObject>>([...KINDS].map((k) => [k, new Map()]))
  for (const {text, where} of sources) addValues(index, await manifestValues(text, where), where)
  return {
    get: ((kind: ObjectKind, namespace: string, name: string) => index.get(kind)!.get(key(kind === 'Node' ? '' : namespace, name))) as ObjectStore['get'],
  }
}

/** Reads --objects paths: files, or directories of *.yaml/*.yml/*.json files (sorted by name). */
export async function loadObjects(paths: string[]): Promise<ObjectStore> {
  const sources: Array<{text: string; where: string}> = []
  for (const path of paths) {
    let files: string[]
    try {
      files = (await stat(path)).isDirectory()
        ? (await readdir(path)).filter((f) => /\.(ya?ml|json)$/.test(f)).sort().map((f) => join(path, f))
        : [path]
      for (const file of files) sources.push({text: await readFile(file, 'utf8'), where: file})
    } catch (error) {
      throw fileError(error, path, 'objects file')
    }
  }
  return parseObjects(sources)
}
