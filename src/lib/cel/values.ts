// CEL value semantics the libraries share: equality across numeric types and containers, and the ordering of
// comparable values (int, uint, double, string, bool, bytes, timestamp, duration) that sort/min/max use.
import {CelEvaluationError} from './errors.js'

type Unsigned = {value: bigint; constructor: {name: string}}

function numeric(v: unknown): number | bigint | undefined {
  if (typeof v === 'number' || typeof v === 'bigint') return v
  if (v !== null && typeof v === 'object' && (v as Unsigned).constructor?.name === 'UnsignedInt') return (v as Unsigned).value
  return undefined
}

export function celEquals(a: unknown, b: unknown): boolean {
  const x = numeric(a)
  const y = numeric(b)
  if (x !== undefined || y !== undefined) {
    if (x === undefined || y === undefined) return false
    return typeof x === typeof y ? x === y : Number(x) === Number(y) && (typeof x === 'number' ? Number.isInteger(x) : Number.isInteger(y))
  }
  if (a === b) return true
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false
  if (Array.isArray(a) || Array.isArray(b)) return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => celEquals(v, b[i]))
  if (a instanceof Uint8Array || b instanceof Uint8Array) return a instanceof Uint8Array && b instanceof Uint8Array && Buffer.compare(a, b) === 0
  if (a instanceof Date || b instanceof Date) return a instanceof Date && b instanceof Date && a.getTime() === b.getTime()
  const ea = entries(a)
  const eb = entries(b)
  if (ea && eb) return ea.length === eb.length && ea.every(([k, v]) => eb.some(([k2, v2]) => celEquals(k, k2) && celEquals(v, v2)))
  return a.constructor === b.constructor && String(a) === String(b)
}

function entries(v: object): Array<[unknown, unknown]> | undefined {
  if (v instanceof Map) return [...v]
  if (v.constructor === Object || v.constructor === undefined) return Object.entries(v)
  return undefined
}

/** -1, 0 or 1 as cel-go orders two values of one comparable type (numbers across int/uint/double). */
export function celCompare(a: unknown, b: unknown): number {
  const x = numeric(a)
  const y = numeric(b)
  if (x !== undefined && y !== undefined) {
    if (typeof x === typeof y) return x < y ? -1 : x > y ? 1 : 0
    const [fx, fy] = [Number(x), Number(y)]
    return fx < fy ? -1 : fx > fy ? 1 : 0
  }
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b)
  if (a instanceof Uint8Array && b instanceof Uint8Array) return Math.sign(Buffer.compare(a, b))
  if (a instanceof Date && b instanceof Date) return Math.sign(a.getTime() - b.getTime())
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object' && a.constructor === b.constructor && 'seconds' in a) {
    const d = (v: object) => (v as {seconds: bigint; nanos: number}).seconds * 1_000_000_000n + BigInt((v as {nanos: number}).nanos)
    return Math.sign(Number(d(a) - d(b)))
  }
  throw new CelEvaluationError(`no such overload`)
}

/** Unicode code points, as cel-go indexes strings (by rune, not UTF-16 unit). */
export function runes(s: string): string[] {
  return Array.from(s)
}
