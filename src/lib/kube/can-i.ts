// `auth can-i`: kubectl's argument handling, discovery-based resource resolution with its warnings, the
// per-invocation namespace-scope check, and the SelfSubjectAccessReview / SelfSubjectRulesReview calls.
import type {KubeClient} from './client.js'
import {didYouMean} from '../output/suggest.js'
import {type Discovery, discover, isNamespaced} from './discovery.js'
import {notNamespacedWarning, resolveResource} from '../api/resources.js'
import {StatusError, statusToError} from './errors.js'
import {explainUnauthorized} from './diagnose.js'
import type {RulesReviewStatus} from './rules.js'

export {answerLine} from '../output/access-answer.js'
export {type CanIFlags, type CanIQuery, parseCanIArgs} from './can-i-args.js'
import type {CanIQuery} from './can-i-args.js'

const RESOURCE_VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection', 'use', 'bind', 'impersonate', '*', 'approve', 'sign', 'escalate', 'attest']
const NON_RESOURCE_VERBS = ['get', 'put', 'post', 'head', 'options', 'delete', 'patch', '*']

/** kubectl's warning, word for word, then authctl's suggestion as a warning of its own. */
function unknownVerb(verb: string, known: string[]): string[] {
  const suggestion = didYouMean(verb, known)
  return [`verb '${verb}' is not a known verb\n`, ...(suggestion ? [suggestion] : [])]
}

export interface ResourceAttributes {
  namespace?: string
  verb: string
  group?: string
  resource: string
  subresource?: string
  name?: string
}

export interface AccessReviewStatus {
  allowed: boolean
  denied?: boolean
  reason?: string
  evaluationError?: string
}

export interface CanIResult {
  allowed: boolean
  reason?: string
  evaluationError?: string
  /** What was sent in the SelfSubjectAccessReview spec. */
  resourceAttributes?: ResourceAttributes
  nonResourceAttributes?: {path: string; verb: string}
  /** kubectl's warnings, each as printed after "Warning: " (most end in a newline: kubectl's blank line). */
  warnings: string[]
}

/** Resolves, warns like kubectl, and sends the SelfSubjectAccessReview. */
export interface CanIOptions {
  /** Reused across checks (batch); fetched when absent. */
  discovery?: Discovery
  now?: Date
  /** Warnings are pushed here as they arise, so a caller can print them even when the review then fails. */
  warnings?: string[]
}

export async function canI(client: KubeClient, query: CanIQuery, options: CanIOptions = {}): Promise<CanIResult> {
  const {discovery, now = new Date(), warnings = []} = options
  const spec: Record<string, unknown> = {}
  const result: CanIResult = {allowed: false, warnings}
  if (query.nonResourceURL) {
    if (!NON_RESOURCE_VERBS.includes(query.verb)) warnings.push(...unknownVerb(query.verb, NON_RESOURCE_VERBS))
    result.nonResourceAttributes = {path: query.nonResourceURL, verb: query.verb}
    spec.nonResourceAttributes = result.nonResourceAttributes
  } else {
    let disco = discovery
    if (!disco && query.resource !== '*') {
      disco = await apiCall(client, now, undefined, () => discover(client))
      warnings.push(...disco.errors)
    }
    disco ??= {errors: [], resources: []}
    const gvr = resolveResource(query.resource!, disco)
    if (gvr.warning) warnings.push(gvr.warning)
    if (!query.allNamespaces) {
      const namespaced = await isNamespaced(client, gvr.group, gvr.version, gvr.resource)
      if (namespaced === false) {
        warnings.push(notNamespacedWarning(gvr.group, gvr.resource))
      }
    }
    // kubectl checks resource verbs only in the same branch as the scope check (not with -A).
    if (!query.allNamespaces && !RESOURCE_VERBS.includes(query.verb)) warnings.push(...unknownVerb(query.verb, RESOURCE_VERBS))
    const attrs: ResourceAttributes = {namespace: query.namespace, verb: query.verb, group: gvr.group, resource: gvr.resource, subresource: query.subresource ?? '', name: query.name ?? ''}
    result.resourceAttributes = attrs
    spec.resourceAttributes = attrs
  }
  const review = await post<{status?: AccessReviewStatus}>(client, 'selfsubjectaccessreviews', {spec}, now)
  const status = review.status ?? {allowed: false}
  result.allowed = Boolean(status.allowed)
  if (status.reason) result.reason = status.reason
  if (status.evaluationError) result.evaluationError = status.evaluationError
  return result
}

/** SelfSubjectRulesReview for a namespace (can-i --list). */
export async function rulesReview(client: KubeClient, namespace: string, now = new Date()): Promise<RulesReviewStatus> {
  const review = await post<{status?: RulesReviewStatus}>(client, 'selfsubjectrulesreviews', {spec: {namespace}}, now)
  return review.status ?? {incomplete: false, nonResourceRules: [], resourceRules: []}
}

async function post<T>(client: KubeClient, resource: string, body: Record<string, unknown>, now: Date): Promise<T> {
  const kind = resource === 'selfsubjectaccessreviews' ? 'SelfSubjectAccessReview' : 'SelfSubjectRulesReview'
  // Reviews need `create` on themselves; kube-apiserver grants it to every authenticated user through the
  // system:basic-user ClusterRoleBinding, so a 403 here usually means that binding was changed or removed.
  const forbiddenHint = `creating ${resource} needs RBAC "create" on ${resource}.authorization.k8s.io (the system:basic-user ClusterRoleBinding grants it to system:authenticated)`
  return apiCall(client, now, forbiddenHint, () =>
    client.request<T>({
      body: {apiVersion: 'authorization.k8s.io/v1', kind, metadata: {creationTimestamp: null}, ...body, status: kind === 'SelfSubjectAccessReview' ? {allowed: false} : {incomplete: false, nonResourceRules: null, resourceRules: null}},
      method: 'POST',
      path: `/apis/authorization.k8s.io/v1/${resource}`,
      resource: `${resource}.authorization.k8s.io`,
    }),
  )
}

// The impersonation filter's 403 names the verb; it comes before any handler, on every request.
const IMPERSONATE_DENIED = /cannot impersonate resource/
const IMPERSONATE_HINT = 'impersonation needs RBAC "impersonate" on each users, groups, serviceaccounts, uids or userextras it asserts'

/** Runs an API call, turning a StatusError into kubectl's message plus a hint (for 401: the likely cause found locally). */
export async function apiCall<T>(client: KubeClient, now: Date, forbiddenHint: string | undefined, call: () => Promise<T>): Promise<T> {
  try {
    return await call()
  } catch (error) {
    if (error instanceof StatusError) {
      let hint: string | undefined
      if (error.reason === 'Unauthorized') hint = explainUnauthorized(client.lastCredential, client.connection, now)
      else if (error.reason === 'Forbidden') hint = IMPERSONATE_DENIED.test(error.message) ? IMPERSONATE_HINT : forbiddenHint
      throw statusToError(error, hint)
    }
    throw error
  }
}
