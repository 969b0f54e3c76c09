// The request attributes an authorizer decides on, and its decision.
import type {UserInfo} from '../api/user.js'

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
