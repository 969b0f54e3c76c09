// RBAC rule matching, as kube-apiserver's RuleAllows (plugin/pkg/auth/authorizer/rbac/rbac.go and
// pkg/apis/rbac/v1/evaluation_helpers.go).
import type {Attributes} from './types.js'
import type {PolicyRule} from '../api/rbac.js'

const ALL = '*'

// Plain loops: these run for every rule of every decision.
export function verbMatches(rule: PolicyRule, verb: string): boolean {
  for (const v of rule.verbs) if (v === ALL || v === verb) return true
  return false
}

export function apiGroupMatches(rule: PolicyRule, group: string): boolean {
  if (rule.apiGroups) for (const g of rule.apiGroups) if (g === ALL || g === group) return true
  return false
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
  const names = rule.resourceNames
  return !names || names.length === 0 || names.includes(name)
}

/** `*` matches any path; `/apis/*` matches `/apis/` and `/apis/apps/v1` but not `/apis`. */
export function nonResourceURLMatches(rule: PolicyRule, path: string): boolean {
  if (!rule.nonResourceURLs) return false
  for (const url of rule.nonResourceURLs) {
    if (url === ALL || url === path) return true
    if (url.endsWith('*') && prefixMatches(path, url)) return true
  }
  return false
}

/** path starts with `url` less its trailing `*`s (compared in place: no string is made per decision). */
function prefixMatches(path: string, url: string): boolean {
  let end = url.length
  while (end > 0 && url.charCodeAt(end - 1) === 42) end--
  if (path.length < end) return false
  for (let i = 0; i < end; i++) if (path.charCodeAt(i) !== url.charCodeAt(i)) return false
  return true
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
