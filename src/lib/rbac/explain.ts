// Why a request is allowed or not. The decision is the server's (authorize); the grants are the rules the same
// rule resolver (visitRulesFor + ruleAllows) finds; the near misses look at the bindings and rules that came close
// and name the one thing that stopped each of them.
import type {UserInfo} from '../api/user.js'
import {plainStyle, type Style} from '../output/color.js'
import {authorize, describeSource, type RuleSource, roleRules, SYSTEM_MASTERS, visitRulesFor} from './authorize.js'
import {apiGroupMatches, nonResourceURLMatches, resourceMatches, resourceNameMatches, ruleAllows, verbMatches} from './match.js'
import {type PolicyStore, subjectKey, userKeys} from './store.js'
import {type Attributes} from './types.js'
import {SERVICE_ACCOUNT_PREFIX} from '../api/user.js'
import type {ClusterRoleBinding, PolicyRule, RoleBinding, Subject} from '../api/rbac.js'

type Binding = ClusterRoleBinding | RoleBinding

export interface BindingRef {
  kind: Binding['kind']
  name: string
  namespace?: string
}

export interface Grant {
  binding: BindingRef
  role: {kind: string; name: string}
  subject: Subject
  rule: PolicyRule
  /** kube-apiserver's describer text: `ClusterRoleBinding "x" of ClusterRole "y" to User "z"`. */
  description: string
}

export type NearMissCode =
  | 'apiGroup' | 'groupName' | 'missingRole' | 'namespace' | 'nonResourceURL' | 'resource' | 'resourceNames'
  | 'serviceAccountNamespace' | 'subresource' | 'userName' | 'verb'

export interface NearMiss {
  code: NearMissCode
  binding: BindingRef
  role: {kind: string; name: string}
  subject?: Subject
  rule?: PolicyRule
  message: string
}

export interface Explanation {
  allowed: boolean
  /** The SelfSubjectAccessReview status reason (kube-apiserver's wording). */
  reason: string
  evaluationError?: string
  /** Allowed by the system:masters privileged authorizer, before RBAC. */
  privileged: boolean
  grants: Grant[]
  nearMisses: NearMiss[]
}

const ref = (b: Binding): BindingRef => ({kind: b.kind, name: b.metadata.name, ...(b.kind === 'RoleBinding' ? {namespace: b.metadata.namespace} : {})})
const quoted = (s: string) => JSON.stringify(s)
const list = (items: readonly string[] | undefined) => `[${(items ?? []).map((i) => (i === '' ? '""' : i)).join(', ')}]`
const bindingName = (b: Binding) => (b.kind === 'RoleBinding' ? `RoleBinding ${quoted(`${b.metadata.name}/${b.metadata.namespace}`)}` : `ClusterRoleBinding ${quoted(b.metadata.name)}`)

/** The single reason a rule does not allow a request, or undefined when it allows it or misses on several counts. */
export function ruleMiss(a: Omit<Attributes, 'user'>, rule: PolicyRule): {code: NearMissCode; message: string} | undefined {
  const misses: Array<{code: NearMissCode; message: string}> = []
  if (!verbMatches(rule, a.verb)) misses.push({code: 'verb', message: `the rule allows verbs ${list(rule.verbs)}, not ${quoted(a.verb)}`})
  if (!a.resourceRequest) {
    if (!nonResourceURLMatches(rule, a.path ?? '')) {
      misses.push({code: 'nonResourceURL', message: `the rule covers non-resource URLs ${list(rule.nonResourceURLs)}, not ${quoted(a.path ?? '')}`})
    }
    return misses.length === 1 ? misses[0] : undefined
  }
  const group = a.apiGroup ?? ''
  const resource = a.resource ?? ''
  const sub = a.subresource ?? ''
  const combined = sub ? `${resource}/${sub}` : resource
  if (!apiGroupMatches(rule, group)) {
    misses.push({code: 'apiGroup', message: `the rule covers API groups ${list(rule.apiGroups)}, not ${quoted(group)}`})
  }
  if (!resourceMatches(rule, resource, sub)) {
    const resources = rule.resources ?? []
    // The same resource with another (or no) subresource: `pods` never covers `pods/exec`, nor the reverse.
    const sameBase = resources.some((r) => r === resource || r.startsWith(`${resource}/`) || (sub && r.startsWith('*/')))
    misses.push(sameBase
      ? {code: 'subresource', message: `the rule covers ${list(resources)} but the request is for ${quoted(combined)}: a subresource needs its own entry (e.g. ${combined})`}
      : {code: 'resource', message: `the rule covers resources ${list(resources)}, not ${quoted(combined)}`})
  }
  if (!resourceNameMatches(rule, a.name ?? '')) {
    misses.push({
      code: 'resourceNames',
      message: a.name
        ? `the rule is limited to resourceNames ${list(rule.resourceNames)}, not ${quoted(a.name)}`
        : `the rule is limited to resourceNames ${list(rule.resourceNames)}, which cannot grant a request without a name (list, watch, create, deletecollection)`,
    })
  }
  return misses.length === 1 ? misses[0] : undefined
}

/** `oidc:devs` vs `devs`, `Devs` vs `devs`: the same name but for a prefix or case, the usual claim-mapping slip. */
function similarName(a: string, b: string): boolean {
  if (a === b) return false
  if (a.toLowerCase() === b.toLowerCase()) return true
  const [short, long] = a.length < b.length ? [a, b] : [b, a]
  return short.length > 0 && long.endsWith(short) && /[:\-_/#]$/.test(long.slice(0, long.length - short.length))
}

function grantsRequest(store: PolicyStore, binding: Binding, ns: string, a: Attributes): boolean {
  const {rules} = roleRules(store, binding.roleRef.kind, binding.roleRef.name, ns)
  return (rules ?? []).some((rule) => ruleAllows(a, rule))
}

/** The binding-level near misses: bindings that would grant the request but for their scope, subject or roleRef. */
function bindingMisses(store: PolicyStore, a: Attributes): NearMiss[] {
  const misses: NearMiss[] = []
  const user = a.user
  const keys = userKeys(user)
  const requestNs = a.resourceRequest ? (a.namespace ?? '') : ''
  const role = (b: Binding) => ({kind: b.roleRef.kind, name: b.roleRef.name})
  const sa = user.username.startsWith(SERVICE_ACCOUNT_PREFIX) ? user.username.slice(SERVICE_ACCOUNT_PREFIX.length).split(':') : undefined
  const visit = (binding: Binding) => {
    const ns = binding.kind === 'RoleBinding' ? (binding.metadata.namespace ?? '') : ''
    const inScope = binding.kind === 'ClusterRoleBinding' || ns === requestNs
    const applying = (binding.subjects ?? []).find((s) => {
      const key = subjectKey(s, ns)
      return key !== undefined && keys.includes(key)
    })
    if (applying) {
      if (inScope) {
        const {error} = roleRules(store, binding.roleRef.kind, binding.roleRef.name, ns)
        if (error) {
          misses.push({
            binding: ref(binding), code: 'missingRole', role: role(binding), subject: applying,
            message: `${bindingName(binding)} refers to ${binding.roleRef.kind} ${quoted(binding.roleRef.name)}, which cannot be used: ${error}`,
          })
        }
      } else if (grantsRequest(store, binding, ns, a)) {
        const where = requestNs ? `the request is in namespace ${quoted(requestNs)}` : 'the request is cluster-wide'
        misses.push({
          binding: ref(binding), code: 'namespace', role: role(binding), subject: applying,
          message: `${bindingName(binding)} grants ${binding.roleRef.kind} ${quoted(binding.roleRef.name)} only in namespace ${quoted(ns)}, but ${where}`,
        })
      }
      return
    }
    if (!inScope) return
    for (const subject of binding.subjects ?? []) {
      let message: string | undefined
      let code: NearMissCode | undefined
      if (subject.kind === 'ServiceAccount' && !subject.namespace && !ns && sa?.length === 2 && sa[1] === subject.name) {
        code = 'serviceAccountNamespace'
        message = `${bindingName(binding)} names ServiceAccount ${quoted(subject.name)} without a namespace, which matches no one in a ClusterRoleBinding (set namespace: ${sa[0]})`
      } else if (subject.kind === 'Group') {
        const near = user.groups.find((g) => similarName(g, subject.name))
        if (near !== undefined) {
          code = 'groupName'
          message = `${bindingName(binding)} binds Group ${quoted(subject.name)}, but the user is in group ${quoted(near)} (check the OIDC groups prefix / claim mapping)`
        }
      } else if (subject.kind === 'User' && similarName(user.username, subject.name)) {
        code = 'userName'
        message = `${bindingName(binding)} binds User ${quoted(subject.name)}, but the user is ${quoted(user.username)} (check the OIDC username prefix / claim mapping)`
      }
      if (code && message && grantsRequest(store, binding, ns, a)) misses.push({binding: ref(binding), code, message, role: role(binding), subject})
    }
  }
  for (const b of store.clusterRoleBindings) visit(b)
  for (const b of store.roleBindings) visit(b)
  return misses
}

/** Every grant and, when there is none, every near miss for a request; the decision is authorize()'s. */
export function explain(store: PolicyStore, a: Attributes): Explanation {
  const decision = authorize(store, a)
  const privileged = a.user.groups.includes(SYSTEM_MASTERS)
  const grants: Grant[] = []
  const ruleMisses: NearMiss[] = []
  visitRulesFor(store, a.user, a.resourceRequest ? (a.namespace ?? '') : '', (source: RuleSource | undefined, rule) => {
    if (!source || !rule) return true
    const role = {kind: source.roleKind, name: source.roleName}
    if (ruleAllows(a, rule)) {
      grants.push({binding: ref(source.binding), description: describeSource(source), role, rule, subject: source.subject})
    } else {
      const miss = ruleMiss(a, rule)
      if (miss) ruleMisses.push({...miss, binding: ref(source.binding), message: `${describeSource(source)}: ${miss.message}`, role, rule, subject: source.subject})
    }
    return true
  })
  const allowed = decision.decision === 'Allow'
  return {
    allowed,
    grants,
    nearMisses: allowed ? [] : [...bindingMisses(store, a), ...ruleMisses],
    privileged,
    reason: decision.reason,
    ...(decision.error ? {evaluationError: decision.error} : {}),
  }
}

/** Human text: the answer, then each grant or near miss on its own line. */
export function explanationText(e: Explanation, request: string, user: UserInfo, style: Style = plainStyle): string {
  const answer = e.allowed ? style.good('yes') : style.bad('no')
  const lines = [`${answer}: ${user.username || '(no username)'} ${e.allowed ? 'may' : 'may not'} ${request}`]
  if (e.privileged) lines.push(`  ${style.good('allowed')} by group "${SYSTEM_MASTERS}": the privileged authorizer answers before RBAC, with no reason`)
  for (const g of e.grants) lines.push(`  ${style.good('allowed')} by ${g.description}`)
  if (!e.allowed && e.nearMisses.length === 0) lines.push('  no binding for this user or its groups comes close')
  for (const m of e.nearMisses) lines.push(`  ${style.caution('near miss')} (${m.code}): ${m.message}`)
  if (e.evaluationError) lines.push(`  evaluation error: ${e.evaluationError}`)
  return lines.join('\n') + '\n'
}
