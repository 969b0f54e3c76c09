// The Webhook authorizer (apiserver plugin/pkg/authorizer/webhook): a SubjectAccessReview (v1 or v1beta1) POSTed to
// the server of a kubeconfig over the one HTTPS client. matchConditions (CEL over the v1 spec as `request`) decide
// whether it is asked at all: any false → NoOpinion without a call; otherwise any error → the failure policy plus the
// error. Answers are cached by the spec (allowed for authorizedTTL, others for unauthorizedTTL, each cache switchable)
// and a failed or late call (past `timeout`) gives the failure policy plus the error. Unlike kube-apiserver, a failed
// call is not retried with backoff: the failure policy applies at once.
import type {WebhookTarget} from '../authn/webhook.js'
import {unmarshalError} from '../go/json.js'
import type {WebhookConfiguration} from '../authconfig/types.js'
import type {CompiledExpression} from '../cel/index.js'
import {HttpClient, NetError, parseJson} from '../net/client.js'
import type {Attributes} from '../rbac/types.js'
import type {Authorizer, ChainDecision} from './chain.js'

export interface WebhookAuthorizerOptions {
  name: string
  config: WebhookConfiguration
  /** The compiled matchConditions, in order. */
  matchConditions: readonly CompiledExpression[]
  target: WebhookTarget
  /** Milliseconds since the epoch (cache expiry); Date.now by default. */
  now?: () => number
}

/** kube-apiserver's LRU size and the request-controlled attribute size beyond which answers are not cached. */
const CACHE_ENTRIES = 8192
const MAX_CACHED_ATTRIBUTE_BYTES = 10_000

interface Status {
  allowed: boolean
  denied: boolean
  reason: string
}

/** The authorization.k8s.io/v1 SubjectAccessReviewSpec of a request, with Go's omitempty. */
function reviewSpec(a: Attributes): Record<string, unknown> {
  const u = a.user
  const spec: Record<string, unknown> = {}
  if (a.resourceRequest) {
    const ra: Record<string, string> = {}
    for (const [key, value] of [['namespace', a.namespace], ['verb', a.verb], ['group', a.apiGroup], ['version', a.apiVersion], ['resource', a.resource], ['subresource', a.subresource], ['name', a.name]] as const) {
      if (value) ra[key] = value
    }
    spec.resourceAttributes = ra
  } else {
    spec.nonResourceAttributes = {...(a.path ? {path: a.path} : {}), ...(a.verb ? {verb: a.verb} : {})}
  }
  if (u.username) spec.user = u.username
  if (u.groups.length) spec.groups = u.groups
  if (u.extra && Object.keys(u.extra).length) spec.extra = u.extra
  if (u.uid) spec.uid = u.uid
  return spec
}

/** The `request` variable of matchConditions: every field present, extra always a map. */
function celRequest(a: Attributes): Record<string, unknown> {
  const u = a.user
  return {
    extra: u.extra ?? {},
    groups: u.groups,
    uid: u.uid ?? '',
    user: u.username,
    ...(a.resourceRequest
      ? {resourceAttributes: {group: a.apiGroup ?? '', name: a.name ?? '', namespace: a.namespace ?? '', resource: a.resource ?? '', subresource: a.subresource ?? '', verb: a.verb, version: a.apiVersion ?? ''}}
      : {nonResourceAttributes: {path: a.path ?? '', verb: a.verb}}),
  }
}

function controlledSize(a: Attributes): number {
  return (a.namespace?.length ?? 0) + a.verb.length + (a.apiGroup?.length ?? 0) + (a.apiVersion?.length ?? 0) + (a.resource?.length ?? 0) + (a.subresource?.length ?? 0) + (a.name?.length ?? 0) + (a.path?.length ?? 0)
}

/** Go's net/http error text for a failed POST. */
function callError(url: string, error: unknown): string {
  if (error instanceof NetError && error.code === 'ETIMEDOUT') return `Post ${JSON.stringify(url)}: context deadline exceeded`
  return `Post ${JSON.stringify(url)}: ${(error as Error).message}`
}

/**
 * The answer's status, typed as kube-apiserver decodes it: a field of the wrong JSON type fails the call (so the
 * failure policy applies), never reads as "not allowed" or, worse, as an answer at all.
 */
function reviewStatus(status: unknown): Status {
  if (status === undefined || status === null) return {allowed: false, denied: false, reason: ''}
  if (typeof status !== 'object' || Array.isArray(status)) throw new Error(unmarshalError(status, 'v1.SubjectAccessReviewStatus', 'SubjectAccessReview.status'))
  const {allowed, denied, reason} = status as Record<string, unknown>
  for (const [field, value] of [['allowed', allowed], ['denied', denied]] as const) {
    if (value !== undefined && value !== null && typeof value !== 'boolean') throw new Error(unmarshalError(value, 'bool', `SubjectAccessReviewStatus.status.${field}`))
  }
  if (reason !== undefined && reason !== null && typeof reason !== 'string') throw new Error(unmarshalError(reason, 'string', 'SubjectAccessReviewStatus.status.reason'))
  return {allowed: allowed === true, denied: denied === true, reason: typeof reason === 'string' ? reason : ''}
}

/** The failure policy's decision, with the error that caused it. */
export function failureDecision(config: Pick<WebhookConfiguration, 'failurePolicy'>, message: string): ChainDecision {
  return {authorizerError: message, decision: config.failurePolicy === 'Deny' ? 'Deny' : 'NoOpinion', error: message, reason: ''}
}

/**
 * The matchConditions' verdict: undefined when every condition holds (the webhook is asked); NoOpinion when one is
 * false; the failure policy with the CEL errors when none is false but some erred.
 */
export function matchConditionsDecision(conditions: readonly CompiledExpression[], config: Pick<WebhookConfiguration, 'failurePolicy'>, a: Attributes): ChainDecision | undefined {
  if (conditions.length === 0) return undefined
  const activation = {request: celRequest(a)}
  const errors: string[] = []
  for (const condition of conditions) {
    try {
      if (condition.evaluate(activation) === false) return {decision: 'NoOpinion', reason: ''}
    } catch (error) {
      // evaluate() throws only CelEvaluationError (cost budget included).
      errors.push(`cel evaluation error: expression '${condition.expression}' resulted in error: ${(error as Error).message}`)
    }
  }
  return errors.length ? failureDecision(config, errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`) : undefined
}

export function webhookAuthorizer(options: WebhookAuthorizerOptions): Authorizer {
  const {config, matchConditions, name, target} = options
  const now = options.now ?? Date.now
  const client = new HttpClient({ca: target.ca, cert: target.cert, key: target.key, maxBytes: 4 * 1024 * 1024, timeoutMs: config.timeout})
  const cache = new Map<string, {expires: number; status: Status}>()
  const failure = (message: string) => failureDecision(config, message)

  async function call(spec: Record<string, unknown>): Promise<Status> {
    const version = config.subjectAccessReviewVersion
    // v1beta1 names the groups `group` (same place in the field order).
    const wireSpec = version === 'v1beta1' ? Object.fromEntries(Object.entries(spec).map(([k, v]) => [k === 'groups' ? 'group' : k, v])) : spec
    const review = {apiVersion: `authorization.k8s.io/${version}`, kind: 'SubjectAccessReview', metadata: {creationTimestamp: null}, spec: wireSpec, status: {allowed: false}}
    const res = await client.request(target.server, {
      body: JSON.stringify(review),
      headers: {Accept: 'application/json, */*', 'Content-Type': 'application/json', ...(target.token ? {Authorization: `Bearer ${target.token}`} : {})},
      method: 'POST',
    })
    if (res.status < 200 || res.status >= 300) throw new Error(`the server responded with HTTP ${res.status}`)
    const json = parseJson(res.body)
    if (json === undefined || typeof json !== 'object' || json === null) throw new Error('the response is not a SubjectAccessReview (not JSON)')
    return reviewStatus(json.status)
  }

  function decide(status: Status): ChainDecision {
    if (status.allowed && status.denied) {
      const error = 'webhook subject access review returned both allow and deny response'
      return {authorizerError: error, decision: 'Deny', error, reason: status.reason}
    }
    return {decision: status.denied ? 'Deny' : status.allowed ? 'Allow' : 'NoOpinion', reason: status.reason}
  }

  return {
    // Skipped and cached answers come at once; only a call answers later.
    authorize(attributes) {
      const skip = matchConditionsDecision(matchConditions, config, attributes)
      if (skip) return skip
      const spec = reviewSpec(attributes)
      const key = JSON.stringify(spec)
      const hit = cache.get(key)
      if (hit && hit.expires > now()) return decide(hit.status)
      if (hit) cache.delete(key)
      return call(spec).then((status) => {
        const ttl = status.allowed ? (config.cacheAuthorizedRequests ? config.authorizedTTL : 0) : (config.cacheUnauthorizedRequests ? config.unauthorizedTTL : 0)
        if (ttl > 0 && controlledSize(attributes) < MAX_CACHED_ATTRIBUTE_BYTES) {
          if (cache.size >= CACHE_ENTRIES) cache.delete(cache.keys().next().value!)
          cache.set(key, {expires: now() + ttl, status})
        }
        return decide(status)
      }, (error) => failure(callError(target.server, error)))
    },
    close: () => client.close(),
    name,
    rules: () => ({evaluationError: 'webhook authorizer does not support user rule resolution', incomplete: true, nonResourceRules: [], resourceRules: []}),
    type: 'Webhook',
  }
}
