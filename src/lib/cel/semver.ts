// Kubernetes' semver library at SemverVersion(1) (1.33+): semver(s[, normalize]), isSemver(s[, normalize]),
// major/minor/patch, isGreaterThan, isLessThan, compareTo — blang/semver v4 parsing, precedence and error texts.
import {quote} from '../go/quote.js'
import {CelEvaluationError} from './errors.js'
import type {CelLibrary} from './library.js'

class Semver {
  readonly celTypeName = 'kubernetes.Semver'
  constructor(readonly major: bigint, readonly minor: bigint, readonly patch: bigint, readonly pre: string[]) {}

  compare(o: Semver): number {
    for (const [a, b] of [[this.major, o.major], [this.minor, o.minor], [this.patch, o.patch]]) if (a !== b) return a < b ? -1 : 1
    if (this.pre.length === 0 || o.pre.length === 0) return this.pre.length === o.pre.length ? 0 : this.pre.length === 0 ? 1 : -1
    for (let i = 0; i < Math.min(this.pre.length, o.pre.length); i++) {
      const [a, b] = [this.pre[i], o.pre[i]]
      if (a === b) continue
      const [na, nb] = [/^\d+$/.test(a), /^\d+$/.test(b)]
      if (na && nb) return BigInt(a) < BigInt(b) ? -1 : 1
      if (na !== nb) return na ? -1 : 1
      return a < b ? -1 : 1
    }
    return Math.sign(this.pre.length - o.pre.length)
  }
}

const ALNUM = /^[0-9A-Za-z-]+$/

function number(s: string, what: string): bigint {
  if (!/^\d+$/.test(s)) throw new Error(`Invalid character(s) found in ${what} number ${quote(s)}`)
  if (s.length > 1 && s.startsWith('0')) throw new Error(`${what[0].toUpperCase()}${what.slice(1)} number must not contain leading zeroes ${quote(s)}`)
  return BigInt(s)
}

/** blang/semver v4's Parse. */
function parse(s: string): Semver {
  if (s.length === 0) throw new Error('Version string empty')
  const parts = s.split('.')
  if (parts.length < 3) throw new Error('No Major.Minor.Patch elements found')
  const [majorText, minorText] = parts
  let rest = parts.slice(2).join('.')
  let build: string[] = []
  const plus = rest.indexOf('+')
  if (plus >= 0) [rest, build] = [rest.slice(0, plus), rest.slice(plus + 1).split('.')]
  let pre: string[] = []
  const dash = rest.indexOf('-')
  if (dash >= 0) [rest, pre] = [rest.slice(0, dash), rest.slice(dash + 1).split('.')]
  const version = new Semver(number(majorText, 'major'), number(minorText, 'minor'), number(rest, 'patch'), pre)
  for (const p of pre) {
    if (p === '') throw new Error('Prerelease is empty')
    if (!ALNUM.test(p)) throw new Error(`Invalid character(s) found in prerelease ${quote(p)}`)
    if (/^\d+$/.test(p) && p.length > 1 && p.startsWith('0')) throw new Error(`Numeric PreRelease version must not contain leading zeroes ${quote(p)}`)
  }
  for (const b of build) {
    if (b === '') throw new Error(`Build meta data can not be empty ${quote(b)}`)
    if (!ALNUM.test(b)) throw new Error(`Invalid character(s) found in build meta data ${quote(b)}`)
  }
  return version
}

/** kube's normalizeAndParse: drop a leading v, leading zeros, fill a missing minor/patch with 0. */
function normalizeAndParse(s: string): Semver {
  const parts = s.replace(/^v/, '').split('.')
  const head = parts.slice(0, 2)
  const tail = parts.slice(2).join('.')
  const fixed = [...head, ...(parts.length > 2 ? [tail] : [])].map((p) => {
    if (p.length <= 1) return p
    const trimmed = p.replace(/^0+/, '')
    return trimmed === '' || !/^\d/.test(trimmed) ? `0${trimmed}` : trimmed
  })
  if (fixed.length < 3) {
    if (/[+-]/.test(fixed.at(-1)!)) throw new Error('short version cannot contain PreRelease/Build meta data')
    while (fixed.length < 3) fixed.push('0')
  }
  return parse(fixed.join('.'))
}

function toSemver(s: string, normalize: boolean): Semver {
  try {
    return normalize ? normalizeAndParse(s) : parse(s)
  } catch (error) {
    throw new CelEvaluationError((error as Error).message)
  }
}

function isSemver(s: string, normalize: boolean): boolean {
  try {
    toSemver(s, normalize)
    return true
  } catch {
    return false
  }
}

export const semver: CelLibrary = (env) => {
  env
    .registerType('kubernetes.Semver', Semver)
    .registerFunction('semver(string): kubernetes.Semver', (s: string) => toSemver(s, false))
    .registerFunction('semver(string, bool): kubernetes.Semver', toSemver)
    .registerFunction('isSemver(string): bool', (s: string) => isSemver(s, false))
    .registerFunction('isSemver(string, bool): bool', isSemver)
    .registerOperator('kubernetes.Semver == kubernetes.Semver', (a: Semver, b: Semver) => a.compare(b) === 0)
  const methods: Array<[string, string, (v: Semver, o: Semver) => unknown, boolean]> = [
    ['major', 'int', (v) => v.major, false],
    ['minor', 'int', (v) => v.minor, false],
    ['patch', 'int', (v) => v.patch, false],
    ['isGreaterThan', 'bool', (v, o) => v.compare(o) === 1, true],
    ['isLessThan', 'bool', (v, o) => v.compare(o) === -1, true],
    ['compareTo', 'int', (v, o) => BigInt(v.compare(o)), true],
  ]
  for (const [name, returnType, handler, binary] of methods) {
    env.registerFunction({handler: handler as (...args: unknown[]) => unknown, name, params: binary ? [{name: 'other', type: 'kubernetes.Semver'}] : [], receiverType: 'kubernetes.Semver', returnType})
  }
  return env
}
