// The RBAC authorizer and rule resolver (kube-apiserver pkg/registry/rbac/validation/rule.go and
// plugin/pkg/auth/authorizer/rbac/rbac.go): visit ClusterRoleBindings, then RoleBindings of the request namespace,
// and report every rule a user has on the way. The server, SSRR and the offline `rbac` commands share it.
import type {UserInfo} from '../identity.js'
import {ruleAllows} from './match.js'
import {candidateBindings, type PolicyStore, subjectKey, userKeys} from './store.js'
import type {Attributes, AuthorizationResult, ClusterRoleBinding, PolicyRule, RoleBinding, Subject} from './types.js'
import type {NonResourceRule, ResourceRule} from '../rules-review.js'
export type {NonResourceRule, ResourceRule} from '../rules-review.js'

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


/** kube-apiserver's describer text: `ClusterRoleBinding "x" of ClusterRole "y" to User "z"`. */
export function describeSource(source: RuleSource): string {
  const {binding, roleKind, roleName, subject} = source
  const name = binding.kind === 'RoleBinding' ? `${binding.metadata.name}/${binding.metadata.namespace}` : binding.metadata.name
  return `${binding.kind} ${JSON.stringify(name)} of ${roleKind} ${JSON.stringify(roleName)} to ${describeSubject(subject, binding)}`
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

/** Visits every rule that applies to `user` in `namespace` ('' = cluster-wide only), in kube-apiserver's order. */
export function visitRulesFor(store: PolicyStore, user: UserInfo, namespace: string, visitor: RuleVisitor): void {
  const keys = userKeys(user)
  const applies = (subject: Subject, ns: string) => {
    const key = subjectKey(subject, ns)
    return key !== undefined && keys.includes(key)
  }
  const visitBinding = (binding: ClusterRoleBinding | RoleBinding, ns: string): boolean => {
    const subject = (binding.subjects ?? []).find((s) => applies(s, ns))
    if (!subject) return true
    const {error, rules} = roleRules(store, binding.roleRef.kind, binding.roleRef.name, ns)
    if (error) return visitor(undefined, undefined, error)
    const source: RuleSource = {binding, roleKind: binding.roleRef.kind, roleName: binding.roleRef.name, subject}
    for (const rule of rules!) if (!visitor(source, rule, undefined)) return false
    return true
  }
  for (const binding of candidateBindings(store.clusterIndex, keys)) if (!visitBinding(binding, '')) return
  if (!namespace) return
  for (const binding of candidateBindings(store.namespaceIndex.get(namespace), keys)) if (!visitBinding(binding, namespace)) return
}

/** utilerrors.NewAggregate's text: one message alone, several as `[e1, e2]` (duplicates dropped). */
export function aggregateErrors(errors: string[]): string {
  const unique = [...new Set(errors)]
  return unique.length === 1 ? unique[0] : `[${unique.join(', ')}]`
}

/** RBAC alone: Allow with the binding that allowed it, or NoOpinion (RBAC never denies). */
export function rbacAuthorize(store: PolicyStore, attributes: Attributes, visitor?: RuleVisitor): AuthorizationResult {
  const errors: string[] = []
  let reason = ''
  let allowed = false
  visitRulesFor(store, attributes.user, attributes.resourceRequest ? (attributes.namespace ?? '') : '', (source, rule, error) => {
    if (visitor && !visitor(source, rule, error)) return false
    if (error) errors.push(error)
    if (rule && source && ruleAllows(attributes, rule)) {
      allowed = true
      reason = `RBAC: allowed by ${describeSource(source)}`
      return false
    }
    return true
  })
  if (allowed) return {decision: 'Allow', reason}
  const error = errors.length ? aggregateErrors(errors) : undefined
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
