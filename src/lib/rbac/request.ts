// The offline `authctl rbac` commands' view of a request: what for (kubectl auth can-i's argument shape, TYPE
// resolved against the built-in discovery plus any CRDs given). Who asks is api/user.ts's impersonatedUser.
import type {UserInfo} from '../api/user.js'
import {usageError} from '../output/errors.js'
import {type ApiResource, builtinResources, type Discovery, notNamespacedWarning, resolveResource, type ResolvedResource} from '../api/resources.js'
import type {Attributes} from './types.js'

export interface RequestSpec {
  verb: string
  /** TYPE[.GROUP][/NAME] or a non-resource URL starting with `/`. */
  target: string
  subresource?: string
  /** '' = cluster-wide (kubectl's -A). */
  namespace: string
}

/** The built-in API groups `authctl serve` publishes, plus extra resources (CRDs) first, as a cluster would list them. */
export function offlineDiscovery(extra: ApiResource[] = []): Discovery {
  const seen = new Set(extra.map((r) => `${r.group}/${r.version}/${r.resource}`))
  return {errors: [], resources: [...extra, ...builtinResources().filter((r) => !seen.has(`${r.group}/${r.version}/${r.resource}`))]}
}

let builtin: Discovery | undefined
const defaultDiscovery = () => (builtin ??= offlineDiscovery())

export interface ResolveOptions {
  /** What TYPE is resolved against (default: the built-in API groups). */
  discovery?: Discovery
  /** kubectl's warnings (unknown type, cluster-scoped type with a namespace), as printed after "Warning: ". */
  warnings?: string[]
}

/** TYPE[.GROUP] resolved as kubectl resolves it; an unknown type stays as typed, with kubectl's warning. */
export function resolveType(type: string, options: ResolveOptions = {}): ResolvedResource {
  const resolved = resolveResource(type, options.discovery ?? defaultDiscovery())
  if (resolved.warning) options.warnings?.push(resolved.warning)
  return resolved
}

/** Attributes for the request, as the SelfSubjectAccessReview kubectl would send carries them. */
export function requestAttributes(user: UserInfo, spec: RequestSpec, options: ResolveOptions = {}): Attributes {
  if (!spec.verb || !spec.target) throw usageError('you must specify two arguments: verb resource or verb resource/resourceName.')
  if (spec.target.startsWith('/')) {
    if (spec.subresource) throw usageError('--subresource can not be used with NonResourceURL')
    return {path: spec.target, resourceRequest: false, user, verb: spec.verb}
  }
  // kubectl splits TYPE/NAME on the first slash: `pods/exec` is the pod named "exec"; subresources need --subresource.
  const slash = spec.target.indexOf('/')
  const {group, namespaced, resource} = resolveType(slash < 0 ? spec.target : spec.target.slice(0, slash), options)
  if (spec.namespace && namespaced === false) options.warnings?.push(notNamespacedWarning(group, resource))
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
