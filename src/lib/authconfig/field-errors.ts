// apimachinery's field.Error text: `<path>: <type>[: <value>][: <detail>]`, values quoted with Go's %q (strings),
// printed bare (numbers, bools) or as Go's JSON of the internal type (structs, whose fields have no JSON tags).
import {quote} from '../go/quote.js'

export type FieldErrorType = 'Duplicate value' | 'Forbidden' | 'Invalid value' | 'Required value' | 'Too many' | 'Unsupported value'

export interface FieldError {
  path: string
  type: FieldErrorType
  /** The bad value (absent for Required/Forbidden); a GoJson wraps structs rendered as Go's JSON. */
  value?: unknown
  detail: string
}

/** A struct or list rendered as Go's encoding/json renders the internal (untagged) type. */
export class GoJson {
  constructor(readonly json: string) {}
}

export const required = (path: string, detail = ''): FieldError => ({detail, path, type: 'Required value'})
export const invalid = (path: string, value: unknown, detail: string): FieldError => ({detail, path, type: 'Invalid value', value})
export const duplicate = (path: string, value: unknown): FieldError => ({detail: '', path, type: 'Duplicate value', value})
export const tooMany = (path: string, actual: number, max: number): FieldError => ({detail: `must have at most ${max} items`, path, type: 'Too many', value: actual})
export const notSupported = (path: string, value: unknown, supported: string[]): FieldError => ({
  detail: `supported values: ${supported.map(quote).join(', ')}`,
  path,
  type: 'Unsupported value',
  value,
})

function renderValue(value: unknown): string {
  if (value instanceof GoJson) return value.json
  if (typeof value === 'string') return quote(value)
  if (value === null || value === undefined) return 'null'
  return String(value)
}

/** One error as field.Error.Error() prints it. */
export function formatFieldError(error: FieldError): string {
  const body = error.type === 'Required value' || error.type === 'Forbidden' ? error.type : `${error.type}: ${renderValue(error.value)}`
  return `${error.path}: ${body}${error.detail ? `: ${error.detail}` : ''}`
}

/** field.Path joins: `jwt[0].issuer`. A path under an empty root has no leading dot. */
export const child = (path: string, ...names: string[]): string => [path, ...names].filter(Boolean).join('.')
export const index = (path: string, i: number): string => `${path}[${i}]`
