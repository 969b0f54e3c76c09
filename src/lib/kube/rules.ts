// `can-i --list` printing, as kubectl does it: break every SelfSubjectRulesReview rule down to one
// (group, resource, verb[, name]) or (URL, verb) rule, merge the simple ones, stable-sort by the gogo
// PolicyRule.String() text, and print the four-column table.
import {formatTable} from '../output/render.js'
import {goSlice} from './whoami.js'
import type {NonResourceRule, PolicyRule, ResourceRule} from '../api/rbac.js'

export interface RulesReviewStatus {
  resourceRules: ResourceRule[] | null
  nonResourceRules: NonResourceRule[] | null
  incomplete: boolean
  evaluationError?: string
}

/** rbac/v1 PolicyRule with every list present: the shape kubectl converts both rule kinds into. */
type FullRule = Required<PolicyRule>

function rule(parts: Partial<FullRule>): FullRule {
  return {apiGroups: [], nonResourceURLs: [], resourceNames: [], resources: [], verbs: [], ...parts}
}

/** kubectl's rbac.BreakdownRule: no apiGroups (or no resources) means no resource rows at all. */
export function breakdownRule(r: FullRule): FullRule[] {
  const out: FullRule[] = []
  for (const group of r.apiGroups) {
    for (const resource of r.resources) {
      for (const verb of r.verbs) {
        if (r.resourceNames.length > 0) {
          for (const name of r.resourceNames) out.push(rule({apiGroups: [group], resourceNames: [name], resources: [resource], verbs: [verb]}))
        } else out.push(rule({apiGroups: [group], resources: [resource], verbs: [verb]}))
      }
    }
  }
  for (const url of r.nonResourceURLs) for (const verb of r.verbs) out.push(rule({nonResourceURLs: [url], verbs: [verb]}))
  return out
}

/**
 * kubectl's rbac.CompactRules: simple rules (one group, one resource, at most one name, no URLs) with the same
 * (group, resource, name) merge, each verb appended in order unless the merged rule has it already (so a role
 * granted twice lists its verbs once); everything else, duplicate URL rows included, is kept as is.
 * Go appends the merged rules after the others in map order; the stable sort that follows makes that order moot.
 */
export function compactRules(rules: FullRule[]): FullRule[] {
  const compacted: FullRule[] = []
  const simple = new Map<string, FullRule>()
  for (const r of rules) {
    const isSimple = r.resourceNames.length <= 1 && r.nonResourceURLs.length === 0 && r.apiGroups.length === 1 && r.resources.length === 1
    if (!isSimple) {
      compacted.push(r)
      continue
    }
    const key = JSON.stringify([r.apiGroups[0], r.resources[0], r.resourceNames.length > 0, r.resourceNames[0] ?? ''])
    const existing = simple.get(key)
    if (existing) {
      const had = new Set(existing.verbs)
      existing.verbs.push(...r.verbs.filter((v) => !had.has(v)))
    }
    else simple.set(key, {...r, verbs: [...r.verbs]})
  }
  return [...compacted, ...simple.values()]
}

/** gogo-generated PolicyRule.String(), kubectl's sort key. */
export function policyRuleString(r: FullRule): string {
  return `&PolicyRule{Verbs:${goSlice(r.verbs)},APIGroups:${goSlice(r.apiGroups)},Resources:${goSlice(r.resources)},ResourceNames:${goSlice(r.resourceNames)},NonResourceURLs:${goSlice(r.nonResourceURLs)},}`
}

/** describe.CombineResourceGroup: `<resource>[.<group>][/<subresource>]`. */
export function combineResourceGroup(resources: string[], groups: string[]): string {
  if (resources.length === 0) return ''
  const [resource, sub] = splitOnce(resources[0], '/')
  let out = resource
  if (groups.length > 0 && groups[0] !== '') out += '.' + groups[0]
  if (sub !== undefined) out += '/' + sub
  return out
}

function splitOnce(s: string, sep: string): [string, string | undefined] {
  const i = s.indexOf(sep)
  return i < 0 ? [s, undefined] : [s.slice(0, i), s.slice(i + 1)]
}

/** The rules kubectl prints for a review status, in print order. */
export function listRules(status: RulesReviewStatus): FullRule[] {
  const policy: FullRule[] = [
    ...(status.resourceRules ?? []).map((r) =>
      rule({apiGroups: r.apiGroups ?? [], resourceNames: r.resourceNames ?? [], resources: r.resources ?? [], verbs: r.verbs ?? []}),
    ),
    ...(status.nonResourceRules ?? []).map((r) => rule({nonResourceURLs: r.nonResourceURLs ?? [], verbs: r.verbs ?? []})),
  ]
  const keyed = compactRules(policy.flatMap((r) => breakdownRule(r))).map((r) => ({key: Buffer.from(policyRuleString(r)), r}))
  // Array.prototype.sort is stable; compare bytes like Go's strings.Compare.
  return keyed.sort((a, b) => Buffer.compare(a.key, b.key)).map((k) => k.r)
}

export function rulesTable(rules: FullRule[], noHeaders = false): string {
  const rows = rules.map((r) => [combineResourceGroup(r.resources, r.apiGroups), goSlice(r.nonResourceURLs), goSlice(r.resourceNames), goSlice(r.verbs)])
  return formatTable(['Resources', 'Non-Resource URLs', 'Resource Names', 'Verbs'], rows, {noHeaders})
}

/** The stderr warning kubectl prints first when the review is incomplete (no trailing blank line). */
export function incompleteWarning(status: RulesReviewStatus): string | undefined {
  return status.incomplete ? `the list may be incomplete: ${status.evaluationError ?? ''}` : undefined
}
