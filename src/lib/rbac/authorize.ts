// The RBAC authorizer and rule resolver (kube-apiserver pkg/registry/rbac/validation/rule.go and
// plugin/pkg/auth/authorizer/rbac/rbac.go): visit ClusterRoleBindings, then RoleBindings of the request namespace,
// and report every rule a user has on the way. The server, SSRR and the offline `rbac` commands share it.
import type {UserInfo} from '../api/user.js'
import {ruleAllows} from './match.js'
import {cachedUserKeys, candidateBindings, type Indexed, type PolicyStore, subjectKey, type UserKeys} from './store.js'
import type {Attributes, AuthorizationResult} from './types.js'
import type {ClusterRoleBinding, PolicyRule, RoleBinding, Subject} from '../api/rbac.js'
import type {NonResourceRule, ResourceRule} from '../api/rbac.js'

export const SYSTEM_MASTERS = 'system:masters'

/** Where a rule came from: the binding, the role it references and the subject that made it apply. */
export interface RuleSource {
  binding: ClusterRoleBinding | RoleBinding
  roleKind: string
  roleName: string
  subject: Subject
}

/** Called for each rule (or resolution error) in evaluation order; return false to stop. */
export type RuleVisitor = (source: RuleSource | undefined, rule: PolicyRule | undefined, error: string | undefined) => boolean


const descriptions = new WeakMap<RuleSource, string>()

/** kube-apiserver's describer text: `ClusterRoleBinding "x" of ClusterRole "y" to User "z"`. */
export function describeSource(source: RuleSource): string {
  let text = descriptions.get(source)
  if (text === undefined) {
    const {binding, roleKind, roleName, subject} = source
    const name = binding.kind === 'RoleBinding' ? `${binding.metadata.name}/${binding.metadata.namespace}` : binding.metadata.name
    text = `${binding.kind} ${JSON.stringify(name)} of ${roleKind} ${JSON.stringify(roleName)} to ${describeSubject(subject, binding)}`
    descriptions.set(source, text)
  }
  return text
}

function describeSubject(subject: Subject, binding: ClusterRoleBinding | RoleBinding): string {
  if (subject.kind === 'ServiceAccount') {
    const ns = subject.namespace || (binding.kind === 'RoleBinding' ? binding.metadata.namespace : '') || ''
    return `ServiceAccount ${JSON.stringify(`${subject.name}/${ns}`)}`
  }
  return `${subject.kind} ${JSON.stringify(subject.name)}`
}

/** The rules a roleRef resolves to in `namespace`, or the lister error kube-apiserver reports. */
export function roleRules(store: PolicyStore, kind: string, name: string, namespace: string): {rules?: PolicyRule[]; error?: string} {
  if (kind === 'ClusterRole') {
    const role = store.clusterRoles.get(name)
    return role ? {rules: role.rules ?? []} : {error: `clusterrole.rbac.authorization.k8s.io ${JSON.stringify(name)} not found`}
  }
  if (kind === 'Role') {
    const role = store.roles.get(namespace)?.get(name)
    return role ? {rules: role.rules ?? []} : {error: `role.rbac.authorization.k8s.io ${JSON.stringify(name)} not found`}
  }
  return {error: `unsupported role reference kind: ${JSON.stringify(kind)}`}
}

/** A binding that applies to a user, resolved: its source and rules, or the error resolving its role gave. */
type Visit = {source: RuleSource; rules: PolicyRule[]; error?: undefined} | {error: string; source?: undefined; rules?: undefined}

// The policy store is immutable, so what applies to a set of user keys in one index (the cluster index or one
// namespace's) is resolved once: which bindings name the user, through which subject, and the rules of their roles.
// Decisions then only match rules. Resolutions are kept per index, by the keys' id, for a bounded number of users.
const visitsByIndex = new WeakMap<object, Map<string, Visit[]>>()
const MAX_USERS_PER_INDEX = 4096
const NO_VISITS: Visit[] = []

function applicable(store: PolicyStore, index: ReadonlyMap<string, Array<Indexed<ClusterRoleBinding | RoleBinding>>> | undefined, user: UserKeys, ns: string): Visit[] {
  if (!index) return NO_VISITS
  let resolved = visitsByIndex.get(index)
  if (!resolved) visitsByIndex.set(index, (resolved = new Map()))
  let visits = resolved.get(user.id)
  if (visits) return visits
  visits = []
  const {keys} = user
  for (const binding of candidateBindings(index, keys)) {
    const subject = (binding.subjects ?? []).find((s) => {
      const key = subjectKey(s, ns)
      return key !== undefined && keys.includes(key)
    })
    if (!subject) continue
    const {error, rules} = roleRules(store, binding.roleRef.kind, binding.roleRef.name, ns)
    visits.push(error ? {error} : {rules: rules!, source: {binding, roleKind: binding.roleRef.kind, roleName: binding.roleRef.name, subject}})
  }
  if (resolved.size >= MAX_USERS_PER_INDEX) resolved.clear()
  resolved.set(user.id, visits)
  return visits
}

/** The bindings that apply to `user` in `namespace` ('' = cluster-wide only), resolved, in kube-apiserver's order. */
function visitsFor(store: PolicyStore, user: UserInfo, namespace: string): [Visit[], Visit[]] {
  const keys = cachedUserKeys(user)
  return [applicable(store, store.clusterIndex, keys, ''), namespace ? applicable(store, store.namespaceIndex.get(namespace), keys, namespace) : NO_VISITS]
}

/** Visits every rule that applies to `user` in `namespace` ('' = cluster-wide only), in kube-apiserver's order. */
export function visitRulesFor(store: PolicyStore, user: UserInfo, namespace: string, visitor: RuleVisitor): void {
  for (const visits of visitsFor(store, user, namespace)) {
    for (const visit of visits) {
      if (visit.error !== undefined) {
        if (!visitor(undefined, undefined, visit.error)) return
        continue
      }
      for (const rule of visit.rules) if (!visitor(visit.source, rule, undefined)) return
    }
  }
}

/** utilerrors.NewAggregate's text: one message alone, several as `[e1, e2]` (duplicates dropped). */
export function aggregateErrors(errors: string[]): string {
  const unique = [...new Set(errors)]
  return unique.length === 1 ? unique[0] : `[${unique.join(', ')}]`
}

/** RBAC alone: Allow with the binding that allowed it, or NoOpinion (RBAC never denies). */
export function rbacAuthorize(store: PolicyStore, attributes: Attributes, visitor?: RuleVisitor): AuthorizationResult {
  let errors: string[] | undefined
  const namespace = attributes.resourceRequest ? (attributes.namespace ?? '') : ''
  for (const visits of visitsFor(store, attributes.user, namespace)) {
    for (const visit of visits) {
      if (visit.error !== undefined) {
        if (visitor && !visitor(undefined, undefined, visit.error)) return noOpinion(errors)
        ;(errors ??= []).push(visit.error)
        continue
      }
      for (const rule of visit.rules) {
        if (visitor && !visitor(visit.source, rule, undefined)) return noOpinion(errors)
        if (ruleAllows(attributes, rule)) return {decision: 'Allow', reason: `RBAC: allowed by ${describeSource(visit.source)}`}
      }
    }
  }
  return noOpinion(errors)
}

function noOpinion(errors: string[] | undefined): AuthorizationResult {
  const error = errors ? aggregateErrors(errors) : undefined
  return {decision: 'NoOpinion', reason: error ? `RBAC: ${error}` : '', ...(error ? {error} : {})}
}

/**
 * kube-apiserver's authorizer chain for `--authorization-mode=RBAC`: the system:masters group is allowed first with
 * an empty reason, then RBAC decides.
 */
export function authorize(store: PolicyStore, attributes: Attributes, visitor?: RuleVisitor): AuthorizationResult {
  if (attributes.user.groups.includes(SYSTEM_MASTERS)) return {decision: 'Allow', reason: ''}
  return rbacAuthorize(store, attributes, visitor)
}

/**
 * authorize()'s yes/no for many resource requests by one user in one namespace, with the rules visited once: allowed
 * exactly when the user is in system:masters or some rule authorize() would visit allows the request.
 */
export function resourceDecider(store: PolicyStore, user: UserInfo, namespace: string): (attributes: Omit<Attributes, 'namespace' | 'user'>) => boolean {
  if (user.groups.includes(SYSTEM_MASTERS)) return () => true
  const rules: PolicyRule[] = []
  visitRulesFor(store, user, namespace, (_source, rule) => {
    if (rule) rules.push(rule)
    return true
  })
  return (attributes) => rules.some((rule) => ruleAllows({...attributes, namespace}, rule))
}

export interface UserRules {
  resourceRules: ResourceRule[]
  nonResourceRules: NonResourceRule[]
  incomplete: boolean
  evaluationError?: string
}

/** SelfSubjectRulesReview's view: every applicable rule, un-compacted, in visit order. */
export function rulesFor(store: PolicyStore, user: UserInfo, namespace: string): UserRules {
  const resourceRules: ResourceRule[] = []
  const nonResourceRules: NonResourceRule[] = []
  const errors: string[] = []
  visitRulesFor(store, user, namespace, (_source, rule, error) => {
    if (error) errors.push(error)
    if (rule?.resources?.length) {
      resourceRules.push({
        verbs: rule.verbs,
        ...(rule.apiGroups?.length ? {apiGroups: rule.apiGroups} : {}),
        resources: rule.resources,
        ...(rule.resourceNames?.length ? {resourceNames: rule.resourceNames} : {}),
      })
    }
    if (rule?.nonResourceURLs?.length) nonResourceRules.push({nonResourceURLs: rule.nonResourceURLs, verbs: rule.verbs})
    return true
  })
  return {incomplete: false, nonResourceRules, resourceRules, ...(errors.length ? {evaluationError: aggregateErrors(errors)} : {})}
}
