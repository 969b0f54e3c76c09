// Request bodies decoded into the review types, as kube-apiserver's codecs do: one schema per kind (the Go types of
// k8s.io/api authentication/v1 and authorization/v1, with their JSON names and protobuf field numbers) drives both
// the JSON and the Kubernetes protobuf decoder. A body that does not decode into the type is a 400 BadRequest in the
// create handler's words; unknown fields are dropped (kube-apiserver's default field validation only warns).
import {readVarint, PROTOBUF_MAGIC, WireError} from './protobuf.js'
import {badRequest, type Status} from './status.js'

type Scalar = 'string' | 'bool' | 'time'
type Type =
  | Scalar
  | {list: Type; go: string}
  | {map: Type; go: string}
  | {struct: Struct}
  /** A field checked to be an object (or null) and otherwise ignored. */
  | 'ignored'

interface Field {
  type: Type
  /** protobuf field number */
  no: number
  /** Go field name (protobuf error texts), when not the JSON name capitalised. */
  go?: string
}

interface Struct {
  name: string
  fields: Record<string, Field>
}

const strings = {go: '[]string', list: 'string' as Type}
const struct = (name: string, fields: Record<string, Field>): {struct: Struct} => ({struct: {fields, name}})

const objectMeta = struct('ObjectMeta', {
  annotations: {no: 12, type: {go: 'map[string]string', map: 'string'}},
  creationTimestamp: {no: 8, type: 'time'},
  finalizers: {no: 14, type: strings},
  generateName: {no: 2, type: 'string'},
  labels: {no: 11, type: {go: 'map[string]string', map: 'string'}},
  name: {no: 1, type: 'string'},
  namespace: {no: 3, type: 'string'},
  resourceVersion: {no: 6, type: 'string'},
  selfLink: {go: 'SelfLink', no: 4, type: 'string'},
  uid: {go: 'UID', no: 5, type: 'string'},
})

const requirement = (name: string) => struct(name, {key: {no: 1, type: 'string'}, operator: {no: 2, type: 'string'}, values: {no: 3, type: strings}})
const resourceAttributes = struct('ResourceAttributes', {
  fieldSelector: {no: 8, type: struct('FieldSelectorAttributes', {rawSelector: {no: 1, type: 'string'}, requirements: {no: 2, type: {go: '[]v1.FieldSelectorRequirement', list: requirement('FieldSelectorRequirement')}}})},
  group: {no: 3, type: 'string'},
  labelSelector: {no: 9, type: struct('LabelSelectorAttributes', {rawSelector: {no: 1, type: 'string'}, requirements: {no: 2, type: {go: '[]v1.LabelSelectorRequirement', list: requirement('LabelSelectorRequirement')}}})},
  name: {no: 7, type: 'string'},
  namespace: {no: 1, type: 'string'},
  resource: {no: 5, type: 'string'},
  subresource: {no: 6, type: 'string'},
  verb: {no: 2, type: 'string'},
  version: {no: 4, type: 'string'},
})
const nonResourceAttributes = struct('NonResourceAttributes', {path: {no: 1, type: 'string'}, verb: {no: 2, type: 'string'}})
const extraValue: Type = {go: 'v1.ExtraValue', list: 'string'}

const review = (kind: string, spec?: {struct: Struct}): Struct => ({
  fields: {
    metadata: {no: 1, type: objectMeta},
    ...(spec ? {spec: {no: 2, type: spec}} : {}),
    status: {no: 3, type: 'ignored'},
  },
  name: kind,
})

const accessSpec = (name: string, extra: Record<string, Field> = {}) =>
  struct(name, {nonResourceAttributes: {no: 2, type: nonResourceAttributes}, resourceAttributes: {no: 1, type: resourceAttributes}, ...extra})
const subjectSpec = accessSpec('SubjectAccessReviewSpec', {
  extra: {no: 5, type: {go: 'map[string]v1.ExtraValue', map: extraValue}},
  groups: {no: 4, type: strings},
  uid: {go: 'UID', no: 6, type: 'string'},
  user: {no: 3, type: 'string'},
})

/** The decodable kinds, by the resource they are posted to. */
export const REVIEW_KINDS: Record<string, Struct> = {
  localsubjectaccessreviews: review('LocalSubjectAccessReview', subjectSpec),
  selfsubjectaccessreviews: review('SelfSubjectAccessReview', accessSpec('SelfSubjectAccessReviewSpec')),
  selfsubjectreviews: review('SelfSubjectReview'),
  selfsubjectrulesreviews: review('SelfSubjectRulesReview', struct('SelfSubjectRulesReviewSpec', {namespace: {no: 1, type: 'string'}})),
  subjectaccessreviews: review('SubjectAccessReview', subjectSpec),
  tokenreviews: review('TokenReview', struct('TokenReviewSpec', {audiences: {no: 2, type: strings}, token: {no: 1, type: 'string'}})),
}

/** A decoding failure, worded as Go's encoding/json or gogo-protobuf say it. */
class DecodeError extends Error {}

const goTypeName = (type: Type): string =>
  typeof type === 'string' ? (type === 'time' ? 'v1.Time' : type === 'ignored' ? 'interface {}' : type) : 'struct' in type ? `v1.${type.struct.name}` : type.go

/** encoding/json's name for the JSON value found. */
function jsonKind(value: unknown): string {
  if (Array.isArray(value)) return 'array'
  if (typeof value === 'boolean') return 'bool'
  return typeof value === 'object' ? 'object' : typeof value
}

// ---------------------------------------------------------------------------------------------------- JSON

/**
 * Where a JSON value sits, for encoding/json's error text: the innermost struct's name and the field path. The path
 * of a field is only joined when it is reported, so decoding a well-typed body allocates nothing per field.
 */
function typeError(value: unknown, type: Type, struct: string, path: readonly string[], name: string): DecodeError {
  return new DecodeError(`json: cannot unmarshal ${jsonKind(value)} into Go struct field ${struct}.${[...path, name].join('.')} of type ${goTypeName(type)}`)
}

const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/

/** The value of field `name` (inside struct `struct` at `path`) decoded into `type`. */
function fromJson(value: unknown, type: Type, struct: string, path: readonly string[], name: string): unknown {
  if (value === null) return undefined
  if (type === 'string' || type === 'bool') {
    if (typeof value !== (type === 'string' ? 'string' : 'boolean')) throw typeError(value, type, struct, path, name)
    return value
  }
  if (type === 'time') {
    // metav1.Time unmarshals a string and parses it as RFC 3339.
    if (typeof value !== 'string') throw typeError(value, 'string', struct, path, name)
    if (!RFC3339.test(value) || Number.isNaN(Date.parse(value))) {
      throw new DecodeError(`parsing time ${JSON.stringify(value)} as "2006-01-02T15:04:05Z07:00": cannot parse ${JSON.stringify(value)} as "2006"`)
    }
    return value
  }
  if (type === 'ignored') {
    if (typeof value !== 'object' || Array.isArray(value)) throw typeError(value, type, struct, path, name)
    return undefined
  }
  if ('list' in type) {
    if (!Array.isArray(value)) throw typeError(value, type, struct, path, name)
    return value.map((item) => fromJson(item, type.list, struct, path, name) ?? zero(type.list))
  }
  if (typeof value !== 'object' || Array.isArray(value)) throw typeError(value, type, struct, path, name)
  if ('map' in type) {
    const out: Record<string, unknown> = Object.create(null)
    for (const [k, v] of Object.entries(value as object)) out[k] = fromJson(v, type.map, struct, path, name) ?? zero(type.map)
    return out
  }
  return structFromJson(value as Record<string, unknown>, type.struct, [...path, name])
}

const zero = (type: Type): unknown => (type === 'string' ? '' : type === 'bool' ? false : typeof type === 'object' && 'list' in type ? [] : {})

function structFromJson(object: Record<string, unknown>, struct: Struct, path: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const name of Object.keys(object)) {
    const field = Object.hasOwn(struct.fields, name) ? struct.fields[name] : undefined
    if (!field) continue
    const decoded = fromJson(object[name], field.type, struct.name, path, name)
    if (decoded !== undefined) out[name] = decoded
  }
  return out
}

/** Go's quoteChar: how encoding/json names an unexpected character. */
function goQuoteChar(c: string): string {
  if (c === "'") return `'\\''`
  if (c === '"') return `'"'`
  const escapes: Record<string, string> = {'\n': '\\n', '\r': '\\r', '\t': '\\t', '\\': '\\\\'}
  if (escapes[c]) return `'${escapes[c]}'`
  const code = c.codePointAt(0)!
  return code < 0x20 || code === 0x7f ? `'\\x${code.toString(16).padStart(2, '0')}'` : `'${c}'`
}

/**
 * The json.SyntaxError Go's scanner reports for text JSON.parse rejected: where it first fails and what it was
 * looking for there ("invalid character 'x' after object key", "unexpected end of JSON input").
 */
function syntaxMessage(text: string): string {
  let pos = 0
  class Fail extends Error {}
  const fail = (context: string): never => {
    throw new Fail(pos >= text.length ? 'unexpected end of JSON input' : `invalid character ${goQuoteChar(String.fromCodePoint(text.codePointAt(pos)!))} ${context}`)
  }
  const space = () => {
    while (pos < text.length && ' \t\r\n'.includes(text[pos])) pos++
  }
  const literal = (word: string) => {
    for (let i = 1; i < word.length; i++) {
      pos++
      if (text[pos] !== word[i]) fail(`in literal ${word} (expecting '${word[i]}')`)
    }
    pos++
  }
  const string = () => {
    pos++
    for (;;) {
      if (pos >= text.length) fail('')
      const c = text[pos]
      if (c === '"') return void pos++
      if (c < ' ') fail('in string literal')
      if (c === '\\') {
        pos++
        if (text[pos] === 'u') {
          for (let i = 0; i < 4; i++) {
            pos++
            if (!/[0-9a-fA-F]/.test(text[pos] ?? '')) fail('in \\u hexadecimal character escape')
          }
        } else if (!'"\\/bfnrt'.includes(text[pos] ?? 'x') || pos >= text.length) fail('in string escape code')
      }
      pos++
    }
  }
  const number = () => {
    if (text[pos] === '-') pos++
    if (text[pos] === '0') pos++
    else if (/[1-9]/.test(text[pos] ?? '')) while (/[0-9]/.test(text[pos] ?? '')) pos++
    else fail('in numeric literal')
    if (text[pos] === '.') {
      pos++
      if (!/[0-9]/.test(text[pos] ?? '')) fail('after decimal point in numeric literal')
      while (/[0-9]/.test(text[pos] ?? '')) pos++
    }
    if (text[pos] === 'e' || text[pos] === 'E') {
      pos++
      if (text[pos] === '+' || text[pos] === '-') pos++
      if (!/[0-9]/.test(text[pos] ?? '')) fail('in exponent of numeric literal')
      while (/[0-9]/.test(text[pos] ?? '')) pos++
    }
  }
  const value = (): void => {
    space()
    const c = text[pos]
    if (c === '{') {
      pos++
      space()
      if (text[pos] === '}') return void pos++
      for (;;) {
        space()
        if (text[pos] !== '"') fail('looking for beginning of object key string')
        string()
        space()
        if (text[pos] !== ':') fail('after object key')
        pos++
        value()
        space()
        if (text[pos] === ',') pos++
        else if (text[pos] === '}') return void pos++
        else fail('after object key:value pair')
      }
    }
    if (c === '[') {
      pos++
      space()
      if (text[pos] === ']') return void pos++
      for (;;) {
        value()
        space()
        if (text[pos] === ',') pos++
        else if (text[pos] === ']') return void pos++
        else fail('after array element')
      }
    }
    if (c === '"') return string()
    if (c === 't' || c === 'f' || c === 'n') return literal(c === 't' ? 'true' : c === 'f' ? 'false' : 'null')
    if (c === '-' || /[0-9]/.test(c ?? '')) return number()
    fail('looking for beginning of value')
  }
  try {
    value()
    space()
    if (pos < text.length) fail('after top-level value')
  } catch (error) {
    if (error instanceof Fail) return error.message
    throw error
  }
  return 'unexpected end of JSON input'
}

// ---------------------------------------------------------------------------------------------------- protobuf

/** gogo-protobuf's generated Unmarshal for `struct`: known fields by number and wire type, the rest skipped. */
function structFromProto(buf: Buffer, schema: Struct): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  const byNumber = new Map(Object.entries(schema.fields).map(([name, field]) => [field.no, {field, name}]))
  let pos = 0
  while (pos < buf.length) {
    const [tag, next] = readVarint(buf, pos)
    pos = next
    const no = Number(tag >> 3n)
    const wire = Number(tag & 7n)
    if (wire === 4) throw new DecodeError(`proto: ${schema.name}: wiretype end group for non-group`)
    if (no <= 0) throw new DecodeError(`proto: ${schema.name}: illegal tag ${no} (wire type ${wire})`)
    const known = byNumber.get(no)
    if (!known) {
      pos = skip(buf, pos, wire)
      continue
    }
    const {field, name} = known
    const wantWire = field.type === 'bool' ? 0 : 2
    if (wire !== wantWire) throw new DecodeError(`proto: wrong wireType = ${wire} for field ${field.go ?? name[0].toUpperCase() + name.slice(1)}`)
    if (wire === 0) {
      const [v, p] = readVarint(buf, pos)
      pos = p
      out[name] = v !== 0n
      continue
    }
    const [bytes, p] = lengthDelimited(buf, pos)
    pos = p
    const type = field.type
    // An empty string is Go's zero value either way; leaving it out keeps the echoed object as kubectl's JSON has it.
    if (type === 'string') {
      if (bytes.length) out[name] = bytes.toString('utf8')
    }
    else if (type === 'time' || type === 'ignored') continue
    else if (typeof type === 'object' && 'list' in type) {
      const items = (out[name] ??= []) as unknown[]
      items.push(type.list === 'string' ? bytes.toString('utf8') : structFromProto(bytes, (type.list as {struct: Struct}).struct))
    } else if (typeof type === 'object' && 'map' in type) {
      const entry = structFromProto(bytes, {fields: {key: {no: 1, type: 'string'}, value: {no: 2, type: type.map === 'string' ? 'string' : struct('ExtraValue', {items: {no: 1, type: strings}})}}, name: 'MapEntry'})
      const map = (out[name] ??= {}) as Record<string, unknown>
      const value = type.map === 'string' ? (entry.value ?? '') : ((entry.value as {items?: string[]} | undefined)?.items ?? [])
      Object.defineProperty(map, String(entry.key ?? ''), {configurable: true, enumerable: true, value, writable: true})
    } else if (typeof type === 'object' && 'struct' in type) out[name] = structFromProto(bytes, type.struct)
  }
  return out
}

function lengthDelimited(buf: Buffer, pos: number): [Buffer, number] {
  const [length, p] = readVarint(buf, pos)
  // gogo reads the length as an int: from 2^63 up it is negative.
  if (length >= 1n << 63n) throw new DecodeError('proto: negative length found during unmarshaling')
  if (length > BigInt(buf.length - p)) throw new DecodeError('unexpected EOF')
  const end = p + Number(length)
  return [buf.subarray(p, end), end]
}

function skip(buf: Buffer, pos: number, wire: number): number {
  switch (wire) {
    case 0:
      return readVarint(buf, pos)[1]
    case 1:
    case 5: {
      const end = pos + (wire === 1 ? 8 : 4)
      if (end > buf.length) throw new DecodeError('unexpected EOF')
      return end
    }
    case 2:
      return lengthDelimited(buf, pos)[1]
    default:
      throw new DecodeError(`proto: illegal wireType ${wire}`)
  }
}

/** runtime.Unknown: the `k8s\0` envelope with TypeMeta, the raw object and its encodings. */
function unknownFromProto(body: Buffer): {apiVersion: string; kind: string; raw: Buffer} {
  if (body.length === 0) throw new DecodeError('empty data')
  if (body.length < 4 || !body.subarray(0, 4).equals(PROTOBUF_MAGIC)) {
    throw new DecodeError(`provided data does not appear to be a protobuf message, expected prefix [${[...PROTOBUF_MAGIC].join(' ')}]`)
  }
  const typeMeta = struct('TypeMeta', {apiVersion: {go: 'APIVersion', no: 1, type: 'string'}, kind: {no: 2, type: 'string'}})
  const envelope = struct('Unknown', {contentEncoding: {no: 3, type: 'string'}, contentType: {no: 4, type: 'string'}, raw: {go: 'Raw', no: 2, type: 'string'}, typeMeta: {go: 'TypeMeta', no: 1, type: typeMeta}})
  // Raw is bytes: read it without a UTF-8 round trip.
  let raw: Buffer = Buffer.alloc(0)
  const rest = body.subarray(4)
  const fields = structFromProto(rest, envelope.struct)
  let pos = 0
  while (pos < rest.length) {
    const [tag, next] = readVarint(rest, pos)
    if (Number(tag >> 3n) === 2 && Number(tag & 7n) === 2) [raw, pos] = lengthDelimited(rest, next)
    else pos = skip(rest, next, Number(tag & 7n))
  }
  const meta = (fields.typeMeta ?? {}) as {apiVersion?: string; kind?: string}
  return {apiVersion: meta.apiVersion ?? '', kind: meta.kind ?? '', raw}
}

// ---------------------------------------------------------------------------------------------------- entry

export type Decoded = {object: Record<string, any>} | {status: Status}

const groupOf = (apiVersion: string) => (apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.lastIndexOf('/')) : '')
const versionOf = (apiVersion: string) => apiVersion.slice(apiVersion.lastIndexOf('/') + 1)

/** handlers.transformDecodeError: the 400 the create handler answers for a body that does not decode. */
function decodeFailure(expected: string, message: string, kind: string, apiVersion: string, body: Buffer): Status {
  if (kind) return badRequest(`${kind} in version ${JSON.stringify(versionOf(apiVersion))} cannot be handled as a ${expected}: ${message}`)
  const summary = body.length === 0 ? '<empty>' : body[0] === 0x7b
    ? (body.length > 30 ? `${body.subarray(0, 30).toString('utf8')} ...` : body.toString('utf8'))
    : (body.length > 30 ? `${body.subarray(0, 30).toString('hex')} ...` : body.toString('hex'))
  return badRequest(`the object provided is unrecognized (must be of type ${expected}): ${message} (${summary})`)
}

/**
 * Decodes a review posted to `resource` (a key of REVIEW_KINDS) in group `group`. Returns the object in its JSON
 * shape holding only the type's fields, every value of its Go type, or the 400 Status to answer.
 */
export function decodeReview(resource: string, group: string, mediaType: 'json' | 'protobuf', body: Buffer): Decoded {
  const struct = REVIEW_KINDS[resource]
  let kind = ''
  let apiVersion = ''
  try {
    let object: Record<string, unknown>
    if (mediaType === 'protobuf') {
      const unknown = unknownFromProto(body)
      ;({apiVersion, kind} = unknown)
      checkKind(struct.name, group, kind, apiVersion)
      object = structFromProto(unknown.raw, struct)
    } else {
      const text = body.toString('utf8')
      let value: unknown
      try {
        value = JSON.parse(text)
      } catch {
        throw new DecodeError(`couldn't get version/kind; json parse error: ${syntaxMessage(text)}`)
      }
      if (value !== null && (typeof value !== 'object' || Array.isArray(value))) {
        throw new DecodeError(`couldn't get version/kind; json parse error: json: cannot unmarshal ${jsonKind(value)} into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }`)
      }
      const raw = (value ?? {}) as Record<string, unknown>
      for (const name of ['apiVersion', 'kind'] as const) {
        const v = Object.hasOwn(raw, name) ? raw[name] : undefined
        if (v !== undefined && v !== null && typeof v !== 'string') {
          throw new DecodeError(`couldn't get version/kind; json parse error: json: cannot unmarshal ${jsonKind(v)} into Go struct field .${name} of type string`)
        }
      }
      apiVersion = (raw.apiVersion as string | undefined) ?? ''
      kind = (raw.kind as string | undefined) ?? ''
      checkKind(struct.name, group, kind, apiVersion)
      object = structFromJson(raw, struct, [])
    }
    object.apiVersion = apiVersion
    object.kind = kind
    return {object}
  } catch (error) {
    if (error instanceof DecodeError) return {status: decodeFailure(struct.name, error.message, kind, apiVersion, body)}
    if (error instanceof WireError) return {status: decodeFailure(struct.name, error.message, kind, apiVersion, body)}
    throw error
  }
}

/** A body naming another kind, or another API group, is not the type posted to. */
function checkKind(expected: string, group: string, kind: string, apiVersion: string): void {
  if ((kind && kind !== expected) || (apiVersion && groupOf(apiVersion) !== group)) {
    throw new DecodeError(`no kind ${JSON.stringify(kind || expected)} is registered for version ${JSON.stringify(apiVersion)} in scheme "pkg/api/legacyscheme/scheme.go:30"`)
  }
}
