// `rbac test`: access expectations evaluated against a policy offline, a CI gate for RBAC changes. A test file is a
// YAML/JSON list (or {tests: [...]}) of sentences — `jane can get pods in dev`, `ci cannot delete secrets` — or
// objects {as, groups?, verb, resource, subresource?, name?, namespace?, expect: allow|deny}.
import type {UserInfo} from '../api/user.js'
import {AuthctlError} from '../output/errors.js'
import {loadYaml} from '../output/yaml.js'
import {explain, type Explanation} from './explain.js'
import {impersonatedUser} from '../api/user.js'
import {describeRequest, requestAttributes, type ResolveOptions} from './request.js'
import type {PolicyStore} from './store.js'
import type {Attributes} from './types.js'

export interface Expectation {
  /** The sentence as written, or one built from the object form. */
  text: string
  user: UserInfo
  attributes: Attributes
  allow: boolean
}

export interface Outcome {
  text: string
  expected: 'allow' | 'deny'
  actual: 'allow' | 'deny'
  ok: boolean
  explanation: Explanation
}

const invalid = (where: string, message: string) => new AuthctlError(`${where}: ${message}`, {code: 'INVALID_TESTS', exitCode: 2})

/** `group:NAME` is a member of that group only; anything else is a username (service accounts included). */
function subjectUser(subject: string, groups: string[] = []): UserInfo {
  if (subject.startsWith('group:')) return impersonatedUser('', [subject.slice('group:'.length), ...groups])
  return impersonatedUser(subject, groups)
}

// SUBJECT [in groups G1,G2] can|cannot VERB RESOURCE[.GROUP][/SUBRESOURCE] [named NAME] [in NAMESPACE | cluster-wide]
const SENTENCE = /^(\S+)(?:\s+in\s+groups?\s+(\S+))?\s+(can|cannot|can't|can not)\s+(\S+)\s+(\S+)(?:\s+named\s+(\S+))?(?:\s+(?:in\s+(?:namespace\s+)?(\S+)|(cluster-wide)))?\s*$/i

export function parseSentence(text: string, where: string, resolve: ResolveOptions = {}): Expectation {
  const m = SENTENCE.exec(text.trim())
  if (!m) throw invalid(where, `cannot read ${JSON.stringify(text)}: expected "SUBJECT can|cannot VERB RESOURCE [named NAME] [in NAMESPACE|cluster-wide]"`)
  const [, subject, groups, can, verb, target, name, namespace, clusterWide] = m
  const user = subjectUser(subject, groups ? groups.split(',').filter(Boolean) : [])
  // In a sentence RESOURCE/SUB is a subresource, as rules spell it (`pods/exec`); a name is given with `named`.
  const slash = target.startsWith('/') ? -1 : target.indexOf('/')
  const attributes = requestAttributes(user, {
    namespace: clusterWide ? '' : (namespace ?? 'default'),
    subresource: slash < 0 ? undefined : target.slice(slash + 1),
    target: (slash < 0 ? target : target.slice(0, slash)) + (name ? `/${name}` : ''),
    verb,
  }, resolve)
  return {allow: can.toLowerCase() === 'can', attributes, text: text.trim(), user}
}

function parseObject(o: Record<string, any>, where: string, resolve: ResolveOptions): Expectation {
  if (typeof o.as !== 'string' || typeof o.verb !== 'string' || typeof o.resource !== 'string') throw invalid(where, 'a test object needs as, verb and resource')
  const expect = String(o.expect ?? '').toLowerCase()
  if (!['allow', 'allowed', 'yes', 'deny', 'denied', 'no'].includes(expect)) throw invalid(where, `expect must be allow or deny, got ${JSON.stringify(o.expect)}`)
  const groups = Array.isArray(o.groups) ? o.groups.map(String) : []
  const user = subjectUser(o.as, groups)
  const attributes = requestAttributes(user, {
    namespace: o.namespace === undefined ? 'default' : String(o.namespace), subresource: o.subresource,
    target: o.resource + (o.name ? `/${o.name}` : ''), verb: o.verb,
  }, resolve)
  const allow = ['allow', 'allowed', 'yes'].includes(expect)
  const text = `${o.as}${groups.length ? ` in groups ${groups.join(',')}` : ''} ${allow ? 'can' : 'cannot'} ${describeRequest(attributes)}`
  return {allow, attributes, text, user}
}

/** The tests of a file; each RESOURCE is resolved as kubectl would (unknown types add kubectl's warning). */
export async function parseExpectations(source: string, where: string, resolve: ResolveOptions = {}): Promise<Expectation[]> {
  const {parse} = await loadYaml()
  let doc: any
  try {
    doc = parse(source)
  } catch (error) {
    throw invalid(where, (error as Error).message.split('\n')[0])
  }
  const items = Array.isArray(doc) ? doc : doc?.tests
  if (!Array.isArray(items) || items.length === 0) throw invalid(where, 'expected a non-empty list of tests (or {tests: [...]})')
  return items.map((item: unknown, i: number) => {
    const at = `${where}: test ${i + 1}`
    if (typeof item === 'string') return parseSentence(item, at, resolve)
    if (item && typeof item === 'object') return parseObject(item as Record<string, any>, at, resolve)
    throw invalid(at, 'a test is a sentence or an object')
  })
}

export function runExpectations(store: PolicyStore, expectations: Expectation[]): Outcome[] {
  return expectations.map((e) => {
    const explanation = explain(store, e.attributes)
    const actual = explanation.allowed ? 'allow' : 'deny'
    const expected = e.allow ? 'allow' : 'deny'
    return {actual, expected, explanation, ok: actual === expected, text: e.text}
  })
}

/** PASS lines, and for each failure a diff of expected and actual with the grants or near misses behind it. */
export function outcomesText(outcomes: Outcome[]): string {
  const lines: string[] = []
  for (const o of outcomes) {
    if (o.ok) {
      lines.push(`PASS  ${o.text}`)
      continue
    }
    lines.push(`FAIL  ${o.text}`, `  - expected: ${o.expected}`, `  + actual:   ${o.actual}`)
    const e = o.explanation
    if (e.privileged) lines.push('      allowed by group "system:masters" (privileged authorizer)')
    for (const g of e.grants) lines.push(`      allowed by ${g.description}`)
    for (const m of e.nearMisses) lines.push(`      near miss (${m.code}): ${m.message}`)
    if (!e.allowed && e.nearMisses.length === 0) lines.push('      no binding for this subject comes close')
  }
  return lines.join('\n') + '\n'
}
