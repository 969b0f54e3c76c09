// rbac.authorization.k8s.io/v1 objects as they appear in YAML, and the rule shapes of an authorization.k8s.io/v1
// SelfSubjectRulesReview status (what the reference server answers and what `can-i --list` prints).

export interface PolicyRule {
  verbs: string[]
  apiGroups?: string[]
  resources?: string[]
  resourceNames?: string[]
  nonResourceURLs?: string[]
}

export interface ObjectMeta {
  name: string
  namespace?: string
  labels?: Record<string, string>
  annotations?: Record<string, string>
}

export interface LabelSelector {
  matchLabels?: Record<string, string>
  matchExpressions?: Array<{key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values?: string[]}>
}

export interface Role {
  kind: 'Role'
  metadata: ObjectMeta
  rules: PolicyRule[]
}

export interface ClusterRole {
  kind: 'ClusterRole'
  metadata: ObjectMeta
  rules: PolicyRule[]
  aggregationRule?: {clusterRoleSelectors?: LabelSelector[]}
}

export interface Subject {
  kind: string
  name: string
  namespace?: string
  apiGroup?: string
}

export interface RoleRef {
  apiGroup?: string
  kind: string
  name: string
}

export interface RoleBinding {
  kind: 'RoleBinding'
  metadata: ObjectMeta
  subjects?: Subject[]
  roleRef: RoleRef
}

export interface ClusterRoleBinding {
  kind: 'ClusterRoleBinding'
  metadata: ObjectMeta
  subjects?: Subject[]
  roleRef: RoleRef
}

export type RbacObject = ClusterRole | ClusterRoleBinding | Role | RoleBinding

export interface ResourceRule {
  verbs: string[]
  apiGroups?: string[]
  resources?: string[]
  resourceNames?: string[]
}

export interface NonResourceRule {
  verbs: string[]
  nonResourceURLs?: string[]
}
