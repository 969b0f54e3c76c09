// cel-go's ext.Strings at the version Kubernetes pins (StringsVersion(2), 1.29+): charAt, replace, strings.quote and
// format, which cel-js lacks, and cel-go's indexOf, lastIndexOf, substring (code point indexes, cel-go's range
// errors), lowerAscii/upperAscii (ASCII letters only) and trim (Go's Unicode space set), which replace cel-js's
// built-ins (see REPLACED_METHODS). split and join are cel-js's. reverse() is version 3, which Kubernetes does not
// enable, so it stays unknown.
import {CelEvaluationError} from './errors.js'
import type {CelLibrary} from './library.js'
import {registerNamespace, replacementOf} from './library.js'
import {celTypeName, isUnsigned, kindOf} from './types.js'
import {runes} from './values.js'

export const strings: CelLibrary = (env) =>
  registerNamespace(env, 'strings', 'StringsNamespace')
    .registerFunction('string.charAt(int): string', (s: string, index: bigint) => {
      const chars = runes(s)
      if (index < 0n || index > BigInt(chars.length)) throw new CelEvaluationError(`index out of range: ${index}`)
      return chars[Number(index)] ?? ''
    })
    .registerFunction('string.replace(string, string): string', (s: string, from: string, to: string) => replace(s, from, to, -1n))
    .registerFunction('string.replace(string, string, int): string', replace)
    .registerFunction('StringsNamespace.quote(string): string', (_: unknown, s: string) => quote(s))
    .registerFunction('string.format(list): string', format)
    .registerFunction(`string.${replacementOf('lowerAscii')}(): string`, (s: string) => s.replace(/[A-Z]+/g, (c) => c.toLowerCase()))
    .registerFunction(`string.${replacementOf('upperAscii')}(): string`, (s: string) => s.replace(/[a-z]+/g, (c) => c.toUpperCase()))
    .registerFunction(`string.${replacementOf('trim')}(): string`, (s: string) => s.replace(GO_SPACE_EDGES, ''))
    .registerFunction(`string.${replacementOf('indexOf')}(string): int`, (s: string, sub: string) => indexOf(s, sub, 0n))
    .registerFunction(`string.${replacementOf('indexOf')}(string, int): int`, indexOf)
    .registerFunction(`string.${replacementOf('lastIndexOf')}(string): int`, (s: string, sub: string) => lastIndexOf(s, sub, BigInt(runes(s).length)))
    .registerFunction(`string.${replacementOf('lastIndexOf')}(string, int): int`, lastIndexOf)
    .registerFunction(`string.${replacementOf('substring')}(int): string`, (s: string, start: bigint) => substring(s, start, BigInt(runes(s).length)))
    .registerFunction(`string.${replacementOf('substring')}(int, int): string`, substring)

// Go's unicode.IsSpace, which strings.TrimSpace uses.
const GO_SPACE = '[\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]'
const GO_SPACE_EDGES = new RegExp(`^${GO_SPACE}+|${GO_SPACE}+$`, 'gu')

function outOfRange(index: bigint): CelEvaluationError {
  return new CelEvaluationError(`index out of range: ${index}`)
}

function indexOf(s: string, sub: string, offset: bigint): bigint {
  const chars = runes(s)
  if (offset < 0n || offset > BigInt(chars.length)) throw outOfRange(offset)
  const needle = runes(sub)
  for (let i = Number(offset); i + needle.length <= chars.length; i++) if (needle.every((c, j) => chars[i + j] === c)) return BigInt(i)
  return -1n
}

function lastIndexOf(s: string, sub: string, offset: bigint): bigint {
  const chars = runes(s)
  if (offset < 0n || offset > BigInt(chars.length)) throw outOfRange(offset)
  const needle = runes(sub)
  for (let i = Math.min(Number(offset), chars.length - needle.length); i >= 0; i--) if (needle.every((c, j) => chars[i + j] === c)) return BigInt(i)
  return -1n
}

function substring(s: string, start: bigint, end: bigint): string {
  const chars = runes(s)
  const size = BigInt(chars.length)
  if (start < 0n || start > size) throw outOfRange(start)
  if (end < 0n || end > size) throw outOfRange(end)
  if (start > end) throw new CelEvaluationError(`invalid substring range. start: ${start}, end: ${end}`)
  return chars.slice(Number(start), Number(end)).join('')
}

function replace(s: string, from: string, to: string, limit: bigint): string {
  if (limit < 0n) return s.split(from).join(to)
  let out = s
  let start = 0
  for (let n = 0n; n < limit; n++) {
    const at = out.indexOf(from, start)
    if (at < 0) break
    out = out.slice(0, at) + to + out.slice(at + from.length)
    start = at + to.length + (from === '' ? 1 : 0)
  }
  return out
}

const QUOTE_ESCAPES: Record<string, string> = {'\u0007': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v', '"': '\\"', '\\': '\\\\'}

/** strings.quote: a double-quoted CEL string literal; invalid UTF-8 cannot occur in a JS string. */
function quote(s: string): string {
  return `"${Array.from(s, (c) => QUOTE_ESCAPES[c] ?? c).join('')}"`
}

// ---- format (cel-go's %s %d %f %e %b %o %x %X %% clauses, with an optional .precision) ----
function format(template: string, args: unknown[]): string {
  let out = ''
  let next = 0
  for (let i = 0; i < template.length; i++) {
    const c = template[i]
    if (c !== '%') {
      out += c
      continue
    }
    if (template[i + 1] === '%') {
      out += '%'
      i++
      continue
    }
    const clause = /^\.(\d+)/.exec(template.slice(i + 1))
    const precision = clause ? Number(clause[1]) : undefined
    i += clause ? clause[0].length + 1 : 1
    const verb = template[i]
    if (!verb || !'sdfeboxX'.includes(verb)) throw new CelEvaluationError(`could not parse formatting clause: unrecognized formatting clause "${verb ?? ''}"`)
    if (next >= args.length) throw new CelEvaluationError(`index ${next} out of range`)
    out += formatClause(verb, args[next++], precision)
  }
  return out
}

function formatClause(verb: string, value: unknown, precision: number | undefined): string {
  const kind = kindOf(value)
  const fail = (what: string) => new CelEvaluationError(`error during formatting: ${what}, was given ${celTypeName(value)}`)
  const nonFinite = typeof value === 'number' && !Number.isFinite(value) ? (Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity') : undefined
  switch (verb) {
    case 's':
      return formatString(value, fail)
    case 'd':
      if (nonFinite) return nonFinite
      if (kind === 'int' || kind === 'uint') return String(integer(value))
      throw fail('decimal clause can only be used on integers')
    case 'f':
      if (nonFinite) return nonFinite
      if (kind !== 'double' && kind !== 'int' && kind !== 'uint') throw fail('fixed-point clause can only be used on doubles')
      return toFixedEven(Number(integerOrDouble(value)), precision ?? 6)
    case 'e':
      if (nonFinite) return nonFinite
      if (kind !== 'double' && kind !== 'int' && kind !== 'uint') throw fail('scientific clause can only be used on doubles')
      return Number(integerOrDouble(value)).toExponential(precision ?? 6).replace(/e([+-])(\d)$/, 'e$10$2')
    case 'b':
      if (kind === 'bool') return value ? '1' : '0'
      if (kind === 'int' || kind === 'uint') return integer(value).toString(2)
      throw fail('only integers and bools can be formatted as binary')
    case 'o':
      if (kind === 'int' || kind === 'uint') return integer(value).toString(8)
      throw fail('octal clause can only be used on integers')
    default: {
      let hex: string
      if (kind === 'int' || kind === 'uint') hex = integer(value).toString(16)
      else if (kind === 'string') hex = Buffer.from(value as string, 'utf8').toString('hex')
      else if (kind === 'bytes') hex = Buffer.from(value as Uint8Array).toString('hex')
      else throw fail('only integers, byte buffers, and strings can be formatted as hex')
      return verb === 'X' ? hex.toUpperCase() : hex
    }
  }
}

function integer(value: unknown): bigint {
  return isUnsigned(value) ? value.value : (value as bigint)
}

function integerOrDouble(value: unknown): number | bigint {
  return typeof value === 'number' ? value : integer(value)
}

/** Go's %.Nf: the nearest decimal, ties to even on the exact binary value (JS toFixed breaks ties upwards). */
function toFixedEven(x: number, digits: number): string {
  const rounded = x.toFixed(digits)
  const exact = Math.abs(x).toFixed(Math.min(100, digits + 60))
  const tail = exact.slice(exact.length - 60)
  if (!/^50*$/.test(tail)) return rounded
  const truncated = (x < 0 ? '-' : '') + exact.slice(0, exact.length - 60).replace(/\.$/, '')
  const lastDigit = Number(truncated.replace(/\D/g, '').slice(-1))
  return lastDigit % 2 === 0 ? truncated : rounded
}

function formatString(value: unknown, fail: (what: string) => Error): string {
  const kind = kindOf(value)
  switch (kind) {
    case 'string':
      return value as string
    case 'bytes':
      return Buffer.from(value as Uint8Array).toString('utf8')
    case 'null':
      return 'null'
    case 'bool':
    case 'int':
      return String(value)
    case 'uint':
      return String(integer(value))
    case 'double':
      return formatDouble(value as number)
    case 'timestamp':
      return (value as Date).toISOString().replace(/\.000Z$/, 'Z')
    case 'duration': {
      const d = value as {seconds: bigint; nanos: number}
      return `${d.nanos === 0 ? d.seconds : Number(d.seconds) + d.nanos / 1e9}s`
    }
    case 'type':
      return celTypeName(value, true)
    case 'list':
      return `[${(value as unknown[]).map((v) => formatString(v, fail)).join(', ')}]`
    case 'map': {
      const pairs = value instanceof Map ? [...value] : Object.entries(value as object)
      const rendered = pairs.map(([k, v]) => [formatString(k, fail), formatString(v, fail)])
      return `{${rendered.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `${k}: ${v}`).join(', ')}}`
    }
    default:
      throw fail('string clause can only be used on strings, bools, bytes, ints, doubles, maps, lists, types, durations, and timestamps')
  }
}

function formatDouble(x: number): string {
  if (Number.isNaN(x)) return 'NaN'
  if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '-Infinity'
  if (Number.isInteger(x) && Math.abs(x) >= 1e21) return BigInt(x).toString()
  return String(x)
}
