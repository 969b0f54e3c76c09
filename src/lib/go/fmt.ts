// Go's text forms that kubectl's users see: encoding/json's Marshal (map keys sorted, <, > and & escaped), fmt's %v
// of JSON-decoded values (a float64 in exponent form from 1e6 on, as Go prints 1e+06) and %#U; strconv.Quote is quote.ts.
import {isPrintable} from './quote.js'

/** encoding/json Marshal(Indent): keys of maps sorted when `sortKeys`, HTML characters escaped like Go. */
export function goJson(value: unknown, options: {indent?: number; sortKeys?: boolean} = {}): string {
  const {indent = 0, sortKeys = true} = options
  const sorted = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sorted)
    if (v !== null && typeof v === 'object' && !(v instanceof GoNumber)) {
      const keys = Object.keys(v)
      if (sortKeys) keys.sort(byteOrder)
      return Object.fromEntries(keys.map((k) => [k, sorted((v as Record<string, unknown>)[k])]))
    }
    return v
  }
  const text = JSON.stringify(sorted(value), (_, v) => (v instanceof GoNumber ? v.value : v), indent || undefined) ?? 'null'
  return text.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

/** Go orders map keys by their bytes; UTF-16 order differs only past the BMP. */
export function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b))
}

/** A Go integer (not float64) value: a template's integer literal ('int') or a byte of a string ('uint8'). */
export class GoNumber {
  constructor(readonly value: number, readonly type: 'int' | 'uint8') {}
}

/** fmt's %v of a float64: %g with the shortest digits, so exponent form below 1e-4 and from 1e6 on (1e+06). */
export function goFloat(value: number): string {
  if (Number.isNaN(value)) return 'NaN'
  if (!Number.isFinite(value)) return value > 0 ? '+Inf' : '-Inf'
  if (value === 0) return Object.is(value, -0) ? '-0' : '0'
  const [mantissa, exp] = value.toExponential().split('e')
  const exponent = Number(exp)
  if (exponent < -4 || exponent >= 6) return `${mantissa}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`
  return String(value)
}

/** fmt's %v of a value decoded from JSON (maps print as map[k:v …] with sorted keys, nil as <nil>). */
export function goValue(value: unknown): string {
  if (value === null || value === undefined) return '<nil>'
  if (value instanceof GoNumber) return String(value.value)
  if (typeof value === 'number') return goFloat(value)
  if (Array.isArray(value)) return `[${value.map(goValue).join(' ')}]`
  if (typeof value === 'object') {
    const entries = Object.keys(value).sort(byteOrder).map((k) => `${k}:${goValue((value as Record<string, unknown>)[k])}`)
    return `map[${entries.join(' ')}]`
  }
  return String(value)
}

/** fmt's %#U of a rune: U+007E '~' (the quoted form only for printable runes). */
export function goRune(ch: string): string {
  const hex = ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')
  return isPrintable(ch) ? `U+${hex} '${ch}'` : `U+${hex}`
}
