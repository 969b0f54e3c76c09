// RBAC rule matching, as kube-apiserver's RuleAllows (plugin/pkg/auth/authorizer/rbac/rbac.go and
// pkg/apis/rbac/v1/evaluation_helpers.go).
import type {Attributes, PolicyRule} from './types.js'

const ALL = '*'

export function verbMatches(rule: PolicyRule, verb: string): boolean {
  return rule.verbs.some((v) => v === ALL || v === verb)
}

export function apiGroupMatches(rule: PolicyRule, group: string): boolean {
  return (rule.apiGroups ?? []).some((g) => g === ALL || g === group)
}

/** `pods` does not cover `pods/log`; `*` covers everything; `*\/scale` covers any resource's scale subresource. */
export function resourceMatches(rule: PolicyRule, resource: string, subresource = ''): boolean {
  const combined = subresource ? `${resource}/${subresource}` : resource
  for (const r of rule.resources ?? []) {
    if (r === ALL || r === combined) return true
    if (subresource && r.length === subresource.length + 2 && r.startsWith('*/') && r.endsWith(subresource)) return true
  }
  return false
}

/** An empty resourceNames list matches any name; otherwise the request must name one of them (empty name does not). */
export function resourceNameMatches(rule: PolicyRule, name = ''): boolean {
  const names = rule.resourceNames ?? []
  return names.length === 0 || names.includes(name)
}

/** `*` matches any path; `/apis/*` matches `/apis/` and `/apis/apps/v1` but not `/apis`. */
export function nonResourceURLMatches(rule: PolicyRule, path: string): boolean {
  for (const url of rule.nonResourceURLs ?? []) {
    if (url === ALL || url === path) return true
    if (url.endsWith('*') && path.startsWith(url.replace(/\*+$/, ''))) return true
  }
  return false
}

export function ruleAllows(attributes: Omit<Attributes, 'user'>, rule: PolicyRule): boolean {
  if (attributes.resourceRequest) {
    return (
      verbMatches(rule, attributes.verb) &&
      apiGroupMatches(rule, attributes.apiGroup ?? '') &&
      resourceMatches(rule, attributes.resource ?? '', attributes.subresource ?? '') &&
      resourceNameMatches(rule, attributes.name ?? '')
    )
  }
  return verbMatches(rule, attributes.verb) && nonResourceURLMatches(rule, attributes.path ?? '')
}
