// The CEL kind and cel-go type name of a cel-js runtime value, for error texts and formatting.
import type {Optional} from '@marcbachmann/cel-js'

export type CelKind = 'bool' | 'bytes' | 'double' | 'duration' | 'int' | 'list' | 'map' | 'null' | 'object' | 'optional' | 'string' | 'timestamp' | 'type' | 'uint'

export function isUnsigned(value: unknown): value is {value: bigint} {
  return value !== null && typeof value === 'object' && value.constructor?.name === 'UnsignedInt'
}

export function isOptional(value: unknown): value is Optional {
  return value !== null && typeof value === 'object' && value.constructor?.name === 'Optional'
}

export function kindOf(value: unknown): CelKind {
  switch (typeof value) {
    case 'string':
      return 'string'
    case 'bigint':
      return 'int'
    case 'number':
      return 'double'
    case 'boolean':
      return 'bool'
  }
  if (value === null) return 'null'
  if (Array.isArray(value) || value instanceof Set) return 'list'
  if (value instanceof Uint8Array) return 'bytes'
  if (value instanceof Date) return 'timestamp'
  if (value instanceof Map || (typeof value === 'object' && (value.constructor === Object || value.constructor === undefined))) return 'map'
  switch ((value as object).constructor?.name) {
    case 'UnsignedInt':
      return 'uint'
    case 'Duration':
      return 'duration'
    case 'Type':
      return 'type'
    case 'Optional':
      return 'optional'
  }
  return 'object'
}

const GO_NAMES: Partial<Record<CelKind, string>> = {duration: 'google.protobuf.Duration', null: 'null_type', optional: 'optional_type', timestamp: 'google.protobuf.Timestamp'}

/** cel-go's name of the value's type (`null_type`, `google.protobuf.Duration`); of a type value itself with `ofType`. */
export function celTypeName(value: unknown, ofType = false): string {
  const kind = kindOf(value)
  if (kind === 'type') {
    const name = String((value as {name?: string}).name ?? value).replace(/^Type<(.*)>$/, '$1')
    return ofType ? (name === 'null' ? 'null_type' : name) : 'type'
  }
  if (kind === 'object') return (value as {celTypeName?: string}).celTypeName ?? (value as object).constructor.name
  return GO_NAMES[kind] ?? kind
}
