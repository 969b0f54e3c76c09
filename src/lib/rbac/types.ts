// rbac.authorization.k8s.io/v1 objects as they appear in YAML, and the request attributes an authorizer decides on.
import type {UserInfo} from '../identity.js'

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

/** authorizer.Attributes: what a request wants to do (k8s.io/apiserver/pkg/authorization/authorizer). */
export interface Attributes {
  user: UserInfo
  verb: string
  /** true for /api/v1/... and /apis/<g>/<v>/... object paths; false for non-resource URLs. */
  resourceRequest: boolean
  namespace?: string
  apiGroup?: string
  apiVersion?: string
  resource?: string
  subresource?: string
  name?: string
  /** Non-resource URL path. */
  path?: string
}

export type Decision = 'Allow' | 'Deny' | 'NoOpinion'

export interface AuthorizationResult {
  decision: Decision
  /** kube-apiserver's reason text, e.g. `RBAC: allowed by ClusterRoleBinding "x" of ClusterRole "y" to User "z"`. */
  reason: string
  /** Resolution errors (missing roles, bad roleRef kinds) aggregated the way kube-apiserver prints them. */
  error?: string
}

export const SERVICE_ACCOUNT_PREFIX = 'system:serviceaccount:'
