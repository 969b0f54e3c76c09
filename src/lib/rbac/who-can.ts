// `rbac who-can`: every subject some binding grants a request to, found with the same rule matcher and role
// resolution as authorize(), walking bindings in kube-apiserver's order (ClusterRoleBindings, then RoleBindings of the
// request namespace).
import type {UserInfo} from '../api/user.js'
import {describeSource, roleRules, SYSTEM_MASTERS} from './authorize.js'
import {ruleAllows} from './match.js'
import {type PolicyStore, subjectKey, userKeys} from './store.js'
import type {Attributes} from './types.js'
import type {ClusterRoleBinding, RoleBinding, Subject} from '../api/rbac.js'

export interface WhoCanEntry {
  /** The subject as bound; a ServiceAccount's namespace filled in from its RoleBinding. */
  subject: Subject
  binding: {kind: string; name: string; namespace?: string}
  role: {kind: string; name: string}
  /** kube-apiserver's describer text, as in the allow reason. */
  description: string
}

export interface WhoCan {
  entries: WhoCanEntry[]
  /** Members of this group are always allowed: the privileged authorizer runs before RBAC. */
  privilegedGroup: string
  /** Role resolution errors met on the way (missing roles, bad roleRef kinds). */
  errors: string[]
}

export function whoCan(store: PolicyStore, a: Omit<Attributes, 'user'>): WhoCan {
  const entries: WhoCanEntry[] = []
  const errors: string[] = []
  const visit = (binding: ClusterRoleBinding | RoleBinding, ns: string) => {
    const {error, rules} = roleRules(store, binding.roleRef.kind, binding.roleRef.name, ns)
    if (error) {
      if ((binding.subjects ?? []).length) errors.push(error)
      return
    }
    if (!rules!.some((rule) => ruleAllows(a, rule))) return
    for (const s of binding.subjects ?? []) {
      if (subjectKey(s, ns) === undefined) continue
      const subject = s.kind === 'ServiceAccount' && !s.namespace ? {...s, namespace: ns} : s
      entries.push({
        binding: {kind: binding.kind, name: binding.metadata.name, ...(ns ? {namespace: ns} : {})},
        description: describeSource({binding, roleKind: binding.roleRef.kind, roleName: binding.roleRef.name, subject: s}),
        role: {kind: binding.roleRef.kind, name: binding.roleRef.name},
        subject,
      })
    }
  }
  for (const b of store.clusterRoleBindings) visit(b, '')
  const ns = a.resourceRequest ? (a.namespace ?? '') : ''
  if (ns) for (const b of store.roleBindings) if (b.metadata.namespace === ns) visit(b, ns)
  return {entries, errors: [...new Set(errors)], privilegedGroup: SYSTEM_MASTERS}
}

/** Whether a user is among the answer: a subject names it, one of its groups or its service account. */
export function whoCanIncludes(result: WhoCan, user: UserInfo): boolean {
  if (user.groups.includes(result.privilegedGroup)) return true
  const keys = userKeys(user)
  return result.entries.some((e) => keys.includes(subjectKey(e.subject, e.subject.namespace ?? '')!))
}

/** kubectl-style table: one line per subject and binding. */
export function whoCanRows(result: WhoCan): string[][] {
  const rows = result.entries.map((e) => [
    e.subject.kind,
    e.subject.kind === 'ServiceAccount' ? `${e.subject.namespace}/${e.subject.name}` : e.subject.name,
    e.binding.namespace ? `${e.binding.kind}/${e.binding.namespace}/${e.binding.name}` : `${e.binding.kind}/${e.binding.name}`,
    `${e.role.kind}/${e.role.name}`,
  ])
  rows.push(['Group', result.privilegedGroup, '(privileged authorizer)', '-'])
  return rows
}
