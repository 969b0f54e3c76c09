// The offline `authctl rbac` commands' view of a request: who asks (impersonation semantics) and what for
// (kubectl auth can-i's argument shape, without discovery).
import {withAuthenticatedGroup} from '../authn/chain.js'
import type {UserInfo} from '../identity.js'
import {usageError} from '../output/errors.js'
import {splitServiceAccount} from '../server/impersonation.js'
import type {Attributes} from './types.js'

/**
 * The user the API server sees for `--as NAME --as-group G...`: a service account name without groups gets
 * system:serviceaccounts and system:serviceaccounts:<ns> (the impersonation filter), then system:authenticated is added.
 */
export function impersonatedUser(username: string, groups: readonly string[] = []): UserInfo {
  const sa = splitServiceAccount(username)
  const base = groups.length === 0 && sa ? ['system:serviceaccounts', `system:serviceaccounts:${sa.namespace}`] : [...groups]
  return withAuthenticatedGroup({groups: base, username})
}

// Without discovery a bare name is a core resource; these well-known ones live in named groups. Anything else can
// be given as RESOURCE.GROUP (deployments.apps, widgets.example.com).
const WELL_KNOWN_GROUPS: Record<string, string> = {
  clusterrolebindings: 'rbac.authorization.k8s.io', clusterroles: 'rbac.authorization.k8s.io', controllerrevisions: 'apps',
  cronjobs: 'batch', daemonsets: 'apps', deployments: 'apps', endpointslices: 'discovery.k8s.io',
  horizontalpodautoscalers: 'autoscaling', ingresses: 'networking.k8s.io', jobs: 'batch', leases: 'coordination.k8s.io',
  networkpolicies: 'networking.k8s.io', poddisruptionbudgets: 'policy', replicasets: 'apps', rolebindings: 'rbac.authorization.k8s.io',
  roles: 'rbac.authorization.k8s.io', statefulsets: 'apps', storageclasses: 'storage.k8s.io',
  certificatesigningrequests: 'certificates.k8s.io', customresourcedefinitions: 'apiextensions.k8s.io',
}

export interface RequestSpec {
  verb: string
  /** TYPE[.GROUP][/NAME] or a non-resource URL starting with `/`. */
  target: string
  subresource?: string
  /** '' = cluster-wide (kubectl's -A). */
  namespace: string
}

/** RESOURCE[.GROUP] → group and resource; `*` stays `*` in the core group, as kubectl sends it. */
export function splitResource(arg: string): {group: string; resource: string} {
  if (arg === '*') return {group: '', resource: '*'}
  const lower = arg.toLowerCase()
  const dot = lower.indexOf('.')
  if (dot >= 0) return {group: lower.slice(dot + 1), resource: lower.slice(0, dot)}
  return {group: WELL_KNOWN_GROUPS[lower] ?? '', resource: lower}
}

/** Attributes for the request, as the SelfSubjectAccessReview kubectl would send carries them. */
export function requestAttributes(user: UserInfo, spec: RequestSpec): Attributes {
  if (!spec.verb || !spec.target) throw usageError('you must specify two arguments: verb resource or verb resource/resourceName.')
  if (spec.target.startsWith('/')) {
    if (spec.subresource) throw usageError('--subresource can not be used with NonResourceURL')
    return {path: spec.target, resourceRequest: false, user, verb: spec.verb}
  }
  // kubectl splits TYPE/NAME on the first slash: `pods/exec` is the pod named "exec"; subresources need --subresource.
  const slash = spec.target.indexOf('/')
  const {group, resource} = splitResource(slash < 0 ? spec.target : spec.target.slice(0, slash))
  return {
    apiGroup: group, apiVersion: '*', name: slash < 0 ? '' : spec.target.slice(slash + 1), namespace: spec.namespace, resource,
    resourceRequest: true, subresource: spec.subresource ?? '', user, verb: spec.verb,
  }
}

/** `get pods/x -n dev --subresource log` style text of a request, for messages. */
export function describeRequest(a: Attributes): string {
  if (!a.resourceRequest) return `${a.verb} ${a.path}`
  const type = `${a.resource}${a.apiGroup ? `.${a.apiGroup}` : ''}${a.subresource ? `/${a.subresource}` : ''}`
  return `${a.verb} ${type}${a.name ? ` named ${JSON.stringify(a.name)}` : ''} ${a.namespace ? `in namespace ${JSON.stringify(a.namespace)}` : 'cluster-wide'}`
}
