// The kubeconfig v1 schema as client-go's api/v1 types declare it: field order (kubectl's JSON output follows the Go
// struct order), which fields are always written (no omitempty) and each field's type. decodeFile() checks a parsed
// file against it and returns the normalised entries kubectl itself would see: unknown fields dropped, empty
// omitempty fields removed, exec interactiveMode defaulted for v1beta1.
import {isStrictBase64} from '../go/base64.js'
import {AuthctlError} from '../output/errors.js'

export type Json = null | boolean | number | string | Json[] | {[key: string]: Json}
/** One entry's body in v1 form (cluster, user or context), keys in Go struct order. */
export type Body = {[key: string]: Json}

export interface NamedBody {
  name: string
  body: Body
}

export type Kind = 'clusters' | 'contexts' | 'users'
export const KINDS: Kind[] = ['clusters', 'users', 'contexts']
/** The key that holds an entry's body in a v1 list item (`- name: x` / `cluster: {...}`). */
export const BODY_KEY: Record<Kind, string> = {clusters: 'cluster', contexts: 'context', users: 'user'}
/** The singular word kubectl uses in messages. */
export const NOUN: Record<Kind, string> = {clusters: 'cluster', contexts: 'context', users: 'user'}

/** A decoded file: entries in file order, plus the scalars. */
export interface FileConfig {
  clusters: NamedBody[]
  users: NamedBody[]
  contexts: NamedBody[]
  currentContext: string
  preferences: Body
  extensions: Json[]
}

type FieldType = 'string' | 'bool' | 'bytes' | 'strings' | 'stringMap' | 'stringsMap' | 'extensions' | 'raw' | Schema | 'envList'
interface Field {
  key: string
  type: FieldType
  /** Written even when empty (the Go field has no omitempty). */
  always?: boolean
}
type Schema = Field[]

const extensions: Field = {key: 'extensions', type: 'extensions'}

export const CLUSTER: Schema = [
  {always: true, key: 'server', type: 'string'},
  {key: 'tls-server-name', type: 'string'},
  {key: 'insecure-skip-tls-verify', type: 'bool'},
  {key: 'certificate-authority', type: 'string'},
  {key: 'certificate-authority-data', type: 'bytes'},
  {key: 'proxy-url', type: 'string'},
  {key: 'disable-compression', type: 'bool'},
  extensions,
]

const AUTH_PROVIDER: Schema = [
  {always: true, key: 'name', type: 'string'},
  {always: true, key: 'config', type: 'stringMap'},
]

const EXEC: Schema = [
  {always: true, key: 'command', type: 'string'},
  {always: true, key: 'args', type: 'strings'},
  {always: true, key: 'env', type: 'envList'},
  {key: 'apiVersion', type: 'string'},
  {key: 'installHint', type: 'string'},
  {always: true, key: 'provideClusterInfo', type: 'bool'},
  {key: 'interactiveMode', type: 'string'},
]

export const USER: Schema = [
  {key: 'client-certificate', type: 'string'},
  {key: 'client-certificate-data', type: 'bytes'},
  {key: 'client-key', type: 'string'},
  {key: 'client-key-data', type: 'bytes'},
  {key: 'token', type: 'string'},
  {key: 'tokenFile', type: 'string'},
  {key: 'as', type: 'string'},
  {key: 'as-uid', type: 'string'},
  {key: 'as-groups', type: 'strings'},
  {key: 'as-user-extra', type: 'stringsMap'},
  {key: 'username', type: 'string'},
  {key: 'password', type: 'string'},
  {key: 'auth-provider', type: AUTH_PROVIDER},
  {key: 'exec', type: EXEC},
  extensions,
]

export const CONTEXT: Schema = [
  {always: true, key: 'cluster', type: 'string'},
  {always: true, key: 'user', type: 'string'},
  {key: 'namespace', type: 'string'},
  extensions,
]

const PREFERENCES: Schema = [{key: 'colors', type: 'bool'}, extensions]

export const SCHEMA: Record<Kind, Schema> = {clusters: CLUSTER, contexts: CONTEXT, users: USER}

export class DecodeError extends Error {}

function typeName(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'list'
  return typeof value === 'object' ? 'map' : typeof value
}

function fail(path: string, expected: string, value: unknown): never {
  throw new DecodeError(`${path}: expected ${expected}, got ${typeName(value)}`)
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function decodeBytes(value: unknown, path: string): string {
  if (typeof value !== 'string') fail(path, 'base64 data', value)
  const compact = value.replace(/[\r\n]/g, '')
  if (!isStrictBase64(compact)) throw new DecodeError(`${path}: illegal base64 data`)
  return compact
}

function decodeStrings(value: unknown, path: string): string[] {
  if (!Array.isArray(value)) fail(path, 'a list of strings', value)
  return value.map((v, i) => (typeof v === 'string' ? v : fail(`${path}[${i}]`, 'a string', v)))
}

function decodeField(field: Field, value: unknown, path: string): Json | undefined {
  const {type} = field
  if (value === null || value === undefined) return undefined
  if (Array.isArray(type)) {
    if (!isMap(value)) fail(path, 'a map', value)
    return decodeStruct(type, value, path)
  }
  switch (type) {
    case 'string':
      return typeof value === 'string' ? value : fail(path, 'a string', value)
    case 'bool':
      return typeof value === 'boolean' ? value : fail(path, 'a boolean', value)
    case 'bytes':
      return decodeBytes(value, path)
    case 'strings':
      return decodeStrings(value, path)
    case 'stringMap': {
      if (!isMap(value)) fail(path, 'a map of strings', value)
      const out: Body = {}
      for (const [k, v] of Object.entries(value)) out[k] = typeof v === 'string' ? v : fail(`${path}.${k}`, 'a string', v)
      return out
    }
    case 'stringsMap': {
      if (!isMap(value)) fail(path, 'a map of string lists', value)
      const out: Body = {}
      for (const [k, v] of Object.entries(value)) out[k] = decodeStrings(v, `${path}.${k}`)
      return out
    }
    case 'envList': {
      if (!Array.isArray(value)) fail(path, 'a list', value)
      return value.map((v, i) => {
        if (!isMap(v)) fail(`${path}[${i}]`, 'a map', v)
        return decodeStruct([{always: true, key: 'name', type: 'string'}, {always: true, key: 'value', type: 'string'}], v, `${path}[${i}]`)
      })
    }
    case 'extensions': {
      if (!Array.isArray(value)) fail(path, 'a list', value)
      return value.map((v, i) => {
        if (!isMap(v)) fail(`${path}[${i}]`, 'a map', v)
        const name = v.name ?? ''
        if (typeof name !== 'string') fail(`${path}[${i}].name`, 'a string', name)
        return {name, extension: (v.extension ?? null) as Json}
      })
    }
    default:
      return value as Json
  }
}

function zero(type: FieldType): Json {
  if (type === 'string') return ''
  if (type === 'bool') return false
  return null
}

function isEmpty(value: Json | undefined): boolean {
  return value === undefined || value === '' || value === false || (Array.isArray(value) && value.length === 0) ||
    (isMap(value) && Object.keys(value).length === 0)
}

function decodeStruct(schema: Schema, value: Record<string, unknown>, path: string): Body {
  const out: Body = {}
  for (const field of schema) {
    const decoded = decodeField(field, value[field.key], `${path}.${field.key}`)
    if (field.always) out[field.key] = decoded === undefined ? zero(field.type) : decoded
    else if (!isEmpty(decoded)) out[field.key] = decoded!
  }
  if (schema === EXEC && !out.interactiveMode && /^client\.authentication\.k8s\.io\/v1(alpha1|beta1)$/.test(String(out.apiVersion))) {
    // client-go api/v1 defaults.go: only the beta API versions default to IfAvailable.
    out.interactiveMode = 'IfAvailable'
  }
  return out
}

/** Normalises one entry body of a kind (used for entries read from files and for entries built by commands). */
export function decodeBody(kind: Kind, value: unknown, path = BODY_KEY[kind]): Body {
  if (value === null || value === undefined) return decodeStruct(SCHEMA[kind], {}, path)
  if (!isMap(value)) fail(path, 'a map', value)
  return decodeStruct(SCHEMA[kind], value, path)
}

function decodeList(kind: Kind, value: unknown): NamedBody[] {
  if (value === null || value === undefined) return []
  if (!Array.isArray(value)) fail(kind, 'a list', value)
  const seen = new Set<string>()
  return value.map((item, i) => {
    const path = `${kind}[${i}]`
    if (!isMap(item)) fail(path, 'a map', item)
    const name = item.name ?? ''
    if (typeof name !== 'string') fail(`${path}.name`, 'a string', name)
    // client-go's v1 → internal conversion rejects a second entry with the same name.
    if (seen.has(name)) throw new DecodeError(`duplicate ${NOUN[kind]} name ${JSON.stringify(name)} in ${kind}`)
    seen.add(name)
    return {body: decodeBody(kind, item[BODY_KEY[kind]], `${path}.${BODY_KEY[kind]}`), name}
  })
}

/** Checks and normalises one parsed file (null for an empty file). `path` is used in the error message. */
export function decodeFile(raw: unknown, path: string): FileConfig {
  try {
    if (raw === null || raw === undefined) raw = {}
    if (!isMap(raw)) fail('document', 'a map', raw)
    const current = raw['current-context'] ?? ''
    if (typeof current !== 'string') fail('current-context', 'a string', current)
    const preferences = raw.preferences ?? {}
    if (!isMap(preferences)) fail('preferences', 'a map', preferences)
    const ext = decodeField(extensions, raw.extensions, 'extensions')
    return {
      clusters: decodeList('clusters', raw.clusters),
      contexts: decodeList('contexts', raw.contexts),
      currentContext: current,
      extensions: (ext as Json[] | undefined) ?? [],
      preferences: decodeStruct(PREFERENCES, preferences, 'preferences'),
      users: decodeList('users', raw.users),
    }
  } catch (error) {
    if (error instanceof DecodeError) throw loadError(path, error.message)
    throw error
  }
}

export function loadError(path: string, reason: string): AuthctlError {
  return new AuthctlError(`error loading config file ${JSON.stringify(path)}: ${reason}`, {code: 'KUBECONFIG_INVALID'})
}

/** Deep equality for JSON values (key order ignored). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (Array.isArray(a) !== Array.isArray(b)) return false
  if (Array.isArray(a)) return a.length === (b as unknown[]).length && a.every((v, i) => jsonEqual(v, (b as unknown[])[i]))
  const ka = Object.keys(a)
  const kb = Object.keys(b)
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && jsonEqual((a as any)[k], (b as any)[k]))
}
