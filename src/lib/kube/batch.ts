// `can-i --batch FILE`: many access checks in one process (one discovery, one connection pool) with expected
// answers, for CI gates on RBAC. The file is YAML or JSON: a list of checks, or {checks: [...]}.
import {AuthctlError} from '../output/errors.js'
import {formatTable} from '../output/render.js'
import {loadYaml} from '../output/yaml.js'
import type {KubeClient} from './client.js'
import type {Impersonation} from './connection.js'
import {canI, type CanIResult, parseCanIArgs} from './can-i.js'
import type {Discovery} from './discovery.js'

export interface BatchCheck {
  verb: string
  /** TYPE, TYPE/NAME or a non-resource URL, as on the can-i command line. */
  resource: string
  namespace?: string
  allNamespaces?: boolean
  subresource?: string
  as?: string
  asGroups?: string[]
  asUid?: string
  /** Expected answer; a check without one only reports. */
  expect?: boolean
}

export interface BatchOutcome {
  check: BatchCheck
  /** undefined when the check failed with an error. */
  allowed?: boolean
  reason?: string
  evaluationError?: string
  error?: string
  /** false when the answer differs from `expect` or the check errored. */
  ok: boolean
  warnings: string[]
}

function answer(value: unknown, where: string): boolean | undefined {
  if (value === undefined || value === null) return undefined
  if (value === true || value === 'yes' || value === 'allowed') return true
  if (value === false || value === 'no' || value === 'denied') return false
  throw new AuthctlError(`${where}: expect must be yes or no, got ${JSON.stringify(value)}`, {code: 'BATCH_FILE'})
}

/** Parses and validates a batch file's text (YAML 1.2, so JSON works too). */
export async function parseBatch(text: string, file: string): Promise<BatchCheck[]> {
  const {parse} = await loadYaml()
  let doc: unknown
  try {
    doc = parse(text)
  } catch (error) {
    throw new AuthctlError(`cannot parse ${file}: ${(error as Error).message.split('\n')[0]}`, {code: 'BATCH_FILE'})
  }
  const list = Array.isArray(doc) ? doc : (doc as {checks?: unknown})?.checks
  if (!Array.isArray(list)) throw new AuthctlError(`${file}: expected a list of checks (or {checks: [...]})`, {code: 'BATCH_FILE'})
  return list.map((raw, i) => {
    const where = `${file}: check ${i + 1}`
    if (!raw || typeof raw !== 'object') throw new AuthctlError(`${where}: expected a mapping`, {code: 'BATCH_FILE'})
    const c = raw as Record<string, unknown>
    for (const key of ['verb', 'resource']) {
      if (typeof c[key] !== 'string' || c[key] === '') throw new AuthctlError(`${where}: "${key}" is required`, {code: 'BATCH_FILE'})
    }
    const known = ['verb', 'resource', 'namespace', 'allNamespaces', 'subresource', 'as', 'asGroups', 'asUid', 'expect']
    const unknown = Object.keys(c).filter((k) => !known.includes(k))
    if (unknown.length > 0) throw new AuthctlError(`${where}: unknown field ${JSON.stringify(unknown[0])}`, {code: 'BATCH_FILE', hint: `fields: ${known.join(', ')}`})
    const check: BatchCheck = {resource: String(c.resource), verb: String(c.verb)}
    if (c.namespace !== undefined) check.namespace = String(c.namespace)
    if (c.allNamespaces !== undefined) check.allNamespaces = c.allNamespaces === true
    if (c.subresource !== undefined) check.subresource = String(c.subresource)
    if (c.as !== undefined) check.as = String(c.as)
    if (c.asUid !== undefined) check.asUid = String(c.asUid)
    if (c.asGroups !== undefined) check.asGroups = (Array.isArray(c.asGroups) ? c.asGroups : [c.asGroups]).map(String)
    const expect = answer(c.expect, where)
    if (expect !== undefined) check.expect = expect
    return check
  })
}

/** A short human label for a check: `get pods/web -n dev --as jane`. */
export function describeCheck(c: BatchCheck): string {
  const parts = [c.verb, c.resource]
  if (c.subresource) parts.push(`--subresource=${c.subresource}`)
  if (c.allNamespaces) parts.push('-A')
  else if (c.namespace) parts.push(`-n ${c.namespace}`)
  if (c.as) parts.push(`--as ${c.as}`)
  for (const g of c.asGroups ?? []) parts.push(`--as-group ${g}`)
  return parts.join(' ')
}

export interface BatchDeps {
  /** A client for the given impersonation (undefined: the context's own). */
  clientFor: (impersonate: Impersonation | undefined) => KubeClient
  defaultNamespace: string
  discovery: Discovery
  now?: Date
}

/** Runs every check; an error in one check is recorded and does not stop the others. */
export async function runBatch(checks: BatchCheck[], deps: BatchDeps): Promise<BatchOutcome[]> {
  const outcomes: BatchOutcome[] = []
  for (const check of checks) {
    const imp = check.as || check.asGroups?.length || check.asUid ? {groups: check.asGroups, uid: check.asUid, user: check.as} : undefined
    try {
      const query = parseCanIArgs([check.verb, check.resource], {allNamespaces: check.allNamespaces, subresource: check.subresource}, check.namespace ?? deps.defaultNamespace)!
      const result: CanIResult = await canI(deps.clientFor(imp), query, {discovery: deps.discovery, now: deps.now})
      outcomes.push({
        allowed: result.allowed,
        check,
        evaluationError: result.evaluationError,
        ok: check.expect === undefined || check.expect === result.allowed,
        reason: result.reason,
        warnings: result.warnings,
      })
    } catch (error) {
      outcomes.push({check, error: error instanceof AuthctlError ? error.message : String(error), ok: false, warnings: []})
    }
  }
  return outcomes
}

const yesNo = (v: boolean | undefined) => (v === undefined ? '-' : v ? 'yes' : 'no')

export function batchTable(outcomes: BatchOutcome[]): string {
  const rows = outcomes.map((o) => [
    o.ok ? 'PASS' : 'FAIL',
    describeCheck(o.check),
    o.error ? 'error' : yesNo(o.allowed),
    yesNo(o.check.expect),
    o.error ?? [o.reason, o.evaluationError].filter(Boolean).join(' - '),
  ])
  return formatTable(['RESULT', 'CHECK', 'ANSWER', 'EXPECTED', 'DETAIL'], rows)
}
