// Decoding an AuthenticationConfiguration or AuthorizationConfiguration file as kube-apiserver's strict codec does:
// YAML (1.1, like go-yaml) or JSON, duplicate keys refused, a wrong JSON type is fatal with encoding/json's words,
// unknown fields are collected into one `strict decoding error`, and absent fields take Go's zero values.
import {parseDocument} from 'yaml'

import {AuthctlError} from '../output/errors.js'
import {API_GROUP, API_VERSIONS, type AnyConfiguration, type AuthorizationConfiguration} from './types.js'

export const KINDS = ['AuthenticationConfiguration', 'AuthorizationConfiguration'] as const
export type ConfigKind = (typeof KINDS)[number]

/** A file kube-apiserver would refuse to decode; the message is kube's text after its "failed to load …" prefix. */
export class ConfigDecodeError extends AuthctlError {
  constructor(message: string) {
    super(message, {code: 'CONFIG_DECODE'})
  }
}

// ---- schemas: Go struct name, JSON field names and their types ----
// `*string` / `*bool` are Go pointers: they stay undefined when absent, as kube tells unset from empty there.
type Scalar = '*bool' | '*string' | 'bool' | 'duration' | 'string'
interface StructSchema {
  struct: string
  fields: Record<string, Schema>
  /** Go pointer: stays undefined when absent. */
  pointer?: boolean
}
type Schema = Scalar | {list: Schema} | StructSchema

const prefixed: StructSchema = {fields: {claim: 'string', expression: 'string', prefix: '*string'}, struct: 'PrefixedClaimOrExpression'}

const AUTHENTICATION: StructSchema = {
  fields: {
    anonymous: {
      fields: {conditions: {list: {fields: {path: 'string'}, struct: 'AnonymousAuthCondition'}}, enabled: 'bool'},
      pointer: true,
      struct: 'AnonymousAuthConfig',
    },
    jwt: {
      list: {
        fields: {
          claimMappings: {
            fields: {
              extra: {list: {fields: {key: 'string', valueExpression: 'string'}, struct: 'ExtraMapping'}},
              groups: prefixed,
              uid: {fields: {claim: 'string', expression: 'string'}, struct: 'ClaimOrExpression'},
              username: prefixed,
            },
            struct: 'ClaimMappings',
          },
          claimValidationRules: {list: {fields: {claim: 'string', expression: 'string', message: 'string', requiredValue: 'string'}, struct: 'ClaimValidationRule'}},
          issuer: {
            fields: {
              audienceMatchPolicy: 'string', audiences: {list: 'string'}, certificateAuthority: 'string', discoveryURL: 'string', egressSelectorType: 'string', url: 'string',
            },
            struct: 'Issuer',
          },
          userValidationRules: {list: {fields: {expression: 'string', message: 'string'}, struct: 'UserValidationRule'}},
        },
        struct: 'JWTAuthenticator',
      },
    },
  },
  struct: 'AuthenticationConfiguration',
}

const AUTHORIZATION: StructSchema = {
  fields: {
    authorizers: {
      list: {
        fields: {
          name: 'string',
          type: 'string',
          webhook: {
            fields: {
              authorizedTTL: 'duration',
              cacheAuthorizedRequests: '*bool',
              cacheUnauthorizedRequests: '*bool',
              connectionInfo: {fields: {kubeConfigFile: '*string', type: 'string'}, struct: 'WebhookConnectionInfo'},
              failurePolicy: 'string',
              matchConditionSubjectAccessReviewVersion: 'string',
              matchConditions: {list: {fields: {expression: 'string'}, struct: 'WebhookMatchCondition'}},
              subjectAccessReviewVersion: 'string',
              timeout: 'duration',
              unauthorizedTTL: 'duration',
            },
            pointer: true,
            struct: 'WebhookConfiguration',
          },
        },
        struct: 'AuthorizerConfiguration',
      },
    },
  },
  struct: 'AuthorizationConfiguration',
}

// ---- decoding ----
function jsonType(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  if (typeof value === 'object') return 'object'
  return typeof value
}

function goTypeOf(schema: Schema): string {
  if (typeof schema === 'string') return schema === 'duration' ? 'string' : schema.replace('*', '')
  if ('list' in schema) return `[]${goTypeOf(schema.list)}`
  return `${schema.pointer ? '*' : ''}apiserver.${schema.struct}`
}

/** Go's time.ParseDuration (signed, units ns us µs ms s m h), in milliseconds. */
export function parseGoDuration(text: string): number {
  if (text === '0') return 0
  const m = /^([-+]?)((?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|ms|s|m|h))+$/.exec(text)
  if (!m) throw new ConfigDecodeError(`time: invalid duration ${JSON.stringify(text)}`)
  const units: Record<string, number> = {h: 3_600_000, m: 60_000, ms: 1, ns: 1e-6, s: 1000, us: 1e-3, µs: 1e-3}
  let total = 0
  for (const [, n, unit] of text.matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/g)) total += Number(n) * units[unit]
  return m[1] === '-' ? -total : total
}

const ZERO: Record<string, unknown> = {bool: false, duration: 0, string: ''}

/**
 * One value against its schema. A wrong JSON type is fatal with encoding/json's text (`Go struct field
 * <Struct>.<json path>`); null leaves Go's zero value.
 */
function decode(value: unknown, schema: Schema, path: string, struct: string): unknown {
  const mismatch = () => new ConfigDecodeError(`json: cannot unmarshal ${jsonType(value)} into Go struct field ${struct}.${path} of type ${goTypeOf(schema)}`)
  if (typeof schema === 'string') {
    if (value === null) return ZERO[schema]
    const want = schema === '*bool' || schema === 'bool' ? 'boolean' : 'string'
    if (typeof value !== want) throw mismatch()
    return schema === 'duration' ? parseGoDuration(value as string) : value
  }
  if ('list' in schema) {
    if (value === null) return []
    if (!Array.isArray(value)) throw mismatch()
    return value.map((item) => decode(item, schema.list, path, struct))
  }
  if (value === null) return schema.pointer ? undefined : decodeStruct({}, schema, path)
  if (jsonType(value) !== 'object') throw mismatch()
  return decodeStruct(value as Record<string, unknown>, schema, path)
}

function decodeStruct(object: Record<string, unknown>, schema: StructSchema, path: string): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [key, field] of Object.entries(schema.fields)) {
    const fieldPath = path ? `${path}.${key}` : key
    if (key in object) out[key] = decode(object[key], field, fieldPath, schema.struct)
    else if (typeof field === 'string') out[key] = ZERO[field]
    else if ('list' in field) out[key] = []
    else if (!field.pointer) out[key] = decodeStruct({}, field, fieldPath)
  }
  return out
}

/** Fields the schema does not know, with list indices, as the strict decoder names them (`jwt[0].issuer.foo`). */
function unknownFields(value: unknown, schema: Schema, path: string, out: string[] = []): string[] {
  if (typeof schema === 'string' || value === null || value === undefined) return out
  if ('list' in schema) {
    if (Array.isArray(value)) value.forEach((item, i) => unknownFields(item, schema.list, `${path}[${i}]`, out))
    return out
  }
  if (jsonType(value) !== 'object') return out
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (path === '' && (key === 'apiVersion' || key === 'kind')) continue
    const p = path ? `${path}.${key}` : key
    if (schema.fields[key]) unknownFields(v, schema.fields[key], p, out)
    else out.push(p)
  }
  return out
}

/** Parses YAML or JSON text into a plain value, refusing duplicate keys. */
function parseText(text: string): unknown {
  const doc = parseDocument(text, {prettyErrors: false, uniqueKeys: true, version: '1.1'})
  const error = doc.errors[0]
  if (error) {
    const line = text.slice(0, error.pos[0]).split('\n').length
    throw new ConfigDecodeError(`error converting YAML to JSON: yaml: line ${line}: ${error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`)
  }
  return doc.toJS({maxAliasCount: 100})
}

export interface LoadedConfiguration {
  kind: ConfigKind
  config: AnyConfiguration
}

/**
 * Decodes a configuration of either kind (dispatch on `kind`), or only `expected` when given. Errors are kube's
 * decoder texts; the caller adds "failed to load …" with the file name.
 */
export function decodeConfiguration(text: string, expected?: ConfigKind): LoadedConfiguration {
  if (text.trim() === '') {
    if (expected === 'AuthorizationConfiguration') return {config: {apiVersion: `${API_GROUP}/v1`, authorizers: [], kind: expected}, kind: expected}
    throw new ConfigDecodeError('empty config data')
  }
  const root = parseText(text)
  if (jsonType(root) !== 'object') throw new ConfigDecodeError(`couldn't get version/kind; json parse error: json: cannot unmarshal ${jsonType(root)} into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }`)
  const object = root as Record<string, unknown>
  const kind = object.kind
  const apiVersion = object.apiVersion
  if (typeof kind !== 'string' || kind === '') throw new ConfigDecodeError(`Object 'Kind' is missing in '${JSON.stringify(object).slice(0, 200)}'`)
  if (!(KINDS as readonly string[]).includes(kind)) {
    if (expected) throw new ConfigDecodeError(`expected ${expected}, got ${kind}`)
    throw new ConfigDecodeError(`no kind ${JSON.stringify(kind)} is registered for version ${JSON.stringify(String(apiVersion ?? ''))}`)
  }
  if (expected && kind !== expected) throw new ConfigDecodeError(`expected ${expected}, got ${kind}`)
  const versions = API_VERSIONS.map((v) => `${API_GROUP}/${v}`)
  if (typeof apiVersion !== 'string' || !versions.includes(apiVersion)) {
    throw new ConfigDecodeError(`no kind ${JSON.stringify(kind)} is registered for version ${JSON.stringify(String(apiVersion ?? ''))}`)
  }
  const schema = kind === 'AuthenticationConfiguration' ? AUTHENTICATION : AUTHORIZATION
  const {apiVersion: _v, kind: _k, ...fields} = object
  const decoded = decodeStruct(fields, schema, '')
  const unknown = unknownFields(object, schema, '')
  if (unknown.length > 0) throw new ConfigDecodeError(`strict decoding error: ${unknown.map((u) => `unknown field ${JSON.stringify(u)}`).join(', ')}`)
  const config = {...decoded, apiVersion, kind} as unknown as AnyConfiguration
  if (kind === 'AuthorizationConfiguration') applyAuthorizationDefaults(config as AuthorizationConfiguration)
  return {config, kind: kind as ConfigKind}
}

// SetDefaults_WebhookConfiguration: TTLs 5m / 30s, both caches on.
function applyAuthorizationDefaults(config: AuthorizationConfiguration): void {
  for (const a of config.authorizers) {
    const w = a.webhook as (AuthorizationConfiguration['authorizers'][number]['webhook'] & Record<string, unknown>) | undefined
    if (!w) continue
    if (w.authorizedTTL === 0) w.authorizedTTL = 5 * 60_000
    if (w.unauthorizedTTL === 0) w.unauthorizedTTL = 30_000
    w.cacheAuthorizedRequests = (w.cacheAuthorizedRequests as boolean | undefined) ?? true
    w.cacheUnauthorizedRequests = (w.cacheUnauthorizedRequests as boolean | undefined) ?? true
  }
}
