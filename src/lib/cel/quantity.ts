// Kubernetes' quantity library (1.28+): quantity(), isQuantity, sign, isInteger, asInteger, asApproximateFloat,
// add, sub, isLessThan, isGreaterThan, compareTo. Values are kept exact as a fraction over a power of ten, so
// comparisons and sums agree with resource.Quantity's arbitrary precision.
import {CelEvaluationError} from './errors.js'
import type {CelLibrary} from './library.js'

const FORMAT = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/
const FORMAT_WRONG = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
const BINARY: Record<string, bigint> = {Ki: 2n ** 10n, Mi: 2n ** 20n, Gi: 2n ** 30n, Ti: 2n ** 40n, Pi: 2n ** 50n, Ei: 2n ** 60n}
const DECIMAL: Record<string, number> = {'': 0, E: 18, G: 9, M: 6, P: 15, T: 12, k: 3, m: -3, n: -9, u: -6}
const MAX_INT = 2n ** 63n - 1n
const MIN_INT = -(2n ** 63n)

class Quantity {
  readonly celTypeName = 'kubernetes.Quantity'
  /** value = numerator / 10^scale */
  constructor(readonly numerator: bigint, readonly scale: number) {}

  private aligned(o: Quantity): [bigint, bigint, number] {
    const scale = Math.max(this.scale, o.scale)
    return [this.numerator * 10n ** BigInt(scale - this.scale), o.numerator * 10n ** BigInt(scale - o.scale), scale]
  }

  compare(o: Quantity): number {
    const [a, b] = this.aligned(o)
    return a < b ? -1 : a > b ? 1 : 0
  }

  add(o: Quantity, sign: bigint): Quantity {
    const [a, b, scale] = this.aligned(o)
    return new Quantity(a + sign * b, scale)
  }

  get isInteger(): boolean {
    return this.numerator % 10n ** BigInt(this.scale) === 0n
  }

  get integer(): bigint {
    return this.numerator / 10n ** BigInt(this.scale)
  }
}

function parseQuantity(raw: string): Quantity {
  const m = FORMAT.exec(raw)
  if (!m) throw new CelEvaluationError(FORMAT_WRONG)
  const [, number, suffix] = m
  const numeric = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(number)
  if (!numeric || (numeric[2] === '' && (numeric[3] ?? '') === '')) throw new CelEvaluationError(FORMAT_WRONG)
  const [, sign, whole, fraction = ''] = numeric
  let numerator = BigInt(`${whole}${fraction}` || '0') * (sign === '-' ? -1n : 1n)
  let scale = fraction.length
  if (suffix in BINARY) numerator *= BINARY[suffix]
  else {
    let exponent: number
    if (suffix in DECIMAL) exponent = DECIMAL[suffix]
    else if (/^[eE][-+]?\d+$/.test(suffix)) exponent = Number(suffix.slice(1))
    else throw new CelEvaluationError("unable to parse quantity's suffix")
    if (exponent >= 0) numerator *= 10n ** BigInt(exponent)
    else scale -= exponent
  }
  return new Quantity(numerator, scale)
}

function isQuantity(s: string): boolean {
  try {
    parseQuantity(s)
    return true
  } catch {
    return false
  }
}

export const quantity: CelLibrary = (env) => {
  env
    .registerType('kubernetes.Quantity', Quantity)
    .registerFunction('quantity(string): kubernetes.Quantity', parseQuantity)
    .registerFunction('isQuantity(string): bool', isQuantity)
    .registerOperator('kubernetes.Quantity == kubernetes.Quantity', (a: Quantity, b: Quantity) => a.compare(b) === 0)
  const q = 'kubernetes.Quantity'
  const methods: Array<[string, string, string[], (a: Quantity, b: never) => unknown]> = [
    ['sign', 'int', [], (a) => BigInt(a.numerator > 0n ? 1 : a.numerator < 0n ? -1 : 0)],
    ['isInteger', 'bool', [], (a) => a.isInteger && a.integer <= MAX_INT && a.integer >= MIN_INT],
    ['asInteger', 'int', [], (a) => {
      if (!a.isInteger || a.integer > MAX_INT || a.integer < MIN_INT) throw new CelEvaluationError('cannot convert value to integer')
      return a.integer
    }],
    ['asApproximateFloat', 'double', [], (a) => Number(a.numerator) / 10 ** a.scale],
    ['add', q, [q], (a, b: Quantity) => a.add(b, 1n)],
    ['add', q, ['int'], (a, b: bigint) => a.add(new Quantity(b, 0), 1n)],
    ['sub', q, [q], (a, b: Quantity) => a.add(b, -1n)],
    ['sub', q, ['int'], (a, b: bigint) => a.add(new Quantity(b, 0), -1n)],
    ['isLessThan', 'bool', [q], (a, b: Quantity) => a.compare(b) < 0],
    ['isGreaterThan', 'bool', [q], (a, b: Quantity) => a.compare(b) > 0],
    ['compareTo', 'int', [q], (a, b: Quantity) => BigInt(a.compare(b))],
  ]
  for (const [name, returnType, params, handler] of methods) {
    env.registerFunction({handler: handler as (...args: unknown[]) => unknown, name, params: params.map((type) => ({name: 'other', type})), receiverType: q, returnType})
  }
  return env
}
