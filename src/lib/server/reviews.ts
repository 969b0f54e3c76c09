// The review APIs: SelfSubjectReview, SelfSubjectAccessReview, SelfSubjectRulesReview, SubjectAccessReview,
// LocalSubjectAccessReview and TokenReview. Each takes the decoded request object and answers as kube-apiserver's
// REST storage does (201 with the object and its status, or a Status error).
import type {UserInfo} from '../api/user.js'
import {type PolicyStore, rulesFor} from '../rbac/index.js'
import type {Attributes, AuthorizationResult} from '../rbac/types.js'
import {rfc3339} from '../go/time.js'
import {badRequest, type FieldError, invalid, type Status} from './status.js'

export interface Reply {
  code: number
  body: unknown
}

type AnyObject = Record<string, any>

const fail = (status: Status): Reply => ({body: status, code: status.code})
const created = (body: unknown): Reply => ({body, code: 201})

function userInfoJson(user: UserInfo) {
  return {
    ...(user.username ? {username: user.username} : {}),
    ...(user.uid ? {uid: user.uid} : {}),
    ...(user.groups.length ? {groups: user.groups} : {}),
    ...(user.extra && Object.keys(user.extra).length ? {extra: user.extra} : {}),
  }
}

export function selfSubjectReview(version: string, user: UserInfo, now: Date): Reply {
  return created({
    apiVersion: `authentication.k8s.io/${version}`,
    kind: 'SelfSubjectReview',
    metadata: {creationTimestamp: rfc3339(now)},
    status: {userInfo: userInfoJson(user)},
  })
}

/** Spec validation shared by the access reviews: exactly one of resourceAttributes / nonResourceAttributes. */
function attributesErrors(spec: AnyObject): FieldError[] {
  const hasResource = spec.resourceAttributes != null
  const hasNonResource = spec.nonResourceAttributes != null
  if (hasResource && hasNonResource) {
    return [{detail: 'cannot be specified in combination with resourceAttributes', field: 'spec.nonResourceAttributes', value: goValue(spec.nonResourceAttributes)}]
  }
  if (!hasResource && !hasNonResource) {
    return [{detail: 'exactly one of nonResourceAttributes or resourceAttributes must be specified', field: 'spec.resourceAttributes', value: '"null"'}]
  }
  return []
}

/** Go's %#v-ish rendering used in field errors: enough to recognise the value. */
const goValue = (value: unknown) => JSON.stringify(JSON.stringify(value))

function attributesFromSpec(spec: AnyObject, user: UserInfo): Attributes {
  const ra = spec.resourceAttributes
  if (ra) {
    return {
      apiGroup: ra.group ?? '', apiVersion: ra.version || '*', name: ra.name ?? '', namespace: ra.namespace ?? '', resource: ra.resource ?? '',
      resourceRequest: true, subresource: ra.subresource ?? '', user, verb: ra.verb ?? '',
    }
  }
  const nra = spec.nonResourceAttributes ?? {}
  return {path: nra.path ?? '', resourceRequest: false, user, verb: nra.verb ?? ''}
}

/** The authorizer chain the reviews ask (system:masters, then RBAC). */
export type Authorizer = (attributes: Attributes) => AuthorizationResult

function accessStatus(authorize: Authorizer, attributes: Attributes) {
  const decision = authorize(attributes)
  const status: {allowed: boolean; denied?: boolean; reason?: string; evaluationError?: string} = {allowed: decision.decision === 'Allow'}
  if (decision.decision === 'Deny') status.denied = true
  if (decision.reason) status.reason = decision.reason
  if (decision.error) status.evaluationError = decision.error
  return status
}

/** The spec echoed back the way the API server's omitempty fields print: empty strings dropped. */
function compactSpec(value: any): any {
  if (Array.isArray(value)) return value.map(compactSpec)
  if (value === null || typeof value !== 'object') return value
  const out: AnyObject = {}
  for (const k of Object.keys(value)) {
    const v = value[k]
    if (v !== '' && v !== undefined) out[k] = compactSpec(v)
  }
  return out
}

export function selfSubjectAccessReview(authorize: Authorizer, object: AnyObject, user: UserInfo): Reply {
  const spec = object.spec ?? {}
  const errors = attributesErrors(spec)
  if (errors.length) return fail(invalid('SelfSubjectAccessReview', 'authorization.k8s.io', object.metadata?.name ?? '', errors))
  return created({
    apiVersion: 'authorization.k8s.io/v1',
    kind: 'SelfSubjectAccessReview',
    metadata: {creationTimestamp: null},
    spec: compactSpec(spec),
    status: accessStatus(authorize, attributesFromSpec(spec, user)),
  })
}

function subjectFromSpec(spec: AnyObject): UserInfo {
  return {
    groups: Array.isArray(spec.groups) ? spec.groups : [],
    username: spec.user ?? '',
    ...(spec.uid ? {uid: spec.uid} : {}),
    ...(spec.extra ? {extra: spec.extra} : {}),
  }
}

export function subjectAccessReview(authorize: Authorizer, object: AnyObject, namespace?: string): Reply {
  const kind = namespace === undefined ? 'SubjectAccessReview' : 'LocalSubjectAccessReview'
  const spec = object.spec ?? {}
  const errors = attributesErrors(spec)
  if (!spec.user && !(spec.groups?.length)) {
    errors.push({detail: 'at least one of user or group must be specified', field: 'spec.user', value: '""'})
  }
  if (namespace !== undefined && spec.nonResourceAttributes) {
    errors.push({detail: 'disallowed on this kind of request', field: 'spec.nonResourceAttributes', value: goValue(spec.nonResourceAttributes)})
  }
  if (errors.length) return fail(invalid(kind, 'authorization.k8s.io', object.metadata?.name ?? '', errors))
  if (namespace !== undefined && (spec.resourceAttributes?.namespace ?? '') !== namespace) {
    return fail(badRequest(`spec.resourceAttributes.namespace must match namespace: ${namespace}`))
  }
  return created({
    apiVersion: 'authorization.k8s.io/v1',
    kind,
    metadata: namespace === undefined ? {creationTimestamp: null} : {creationTimestamp: null, namespace},
    spec: compactSpec(spec),
    status: accessStatus(authorize, attributesFromSpec(spec, subjectFromSpec(spec))),
  })
}

export function selfSubjectRulesReview(store: PolicyStore, object: AnyObject, user: UserInfo): Reply {
  const namespace = object.spec?.namespace ?? ''
  if (!namespace) return fail(badRequest('no namespace on request'))
  const rules = rulesFor(store, user, namespace)
  return created({
    apiVersion: 'authorization.k8s.io/v1',
    kind: 'SelfSubjectRulesReview',
    metadata: {creationTimestamp: null},
    spec: {namespace},
    status: {
      resourceRules: rules.resourceRules,
      nonResourceRules: rules.nonResourceRules,
      incomplete: rules.incomplete,
      ...(rules.evaluationError ? {evaluationError: rules.evaluationError} : {}),
    },
  })
}

export type TokenCheck = (token: string, audiences: string[]) => Promise<{user?: UserInfo; audiences?: string[]; error?: string}>

export async function tokenReview(object: AnyObject, check: TokenCheck, apiAudiences: string[]): Promise<Reply> {
  const spec = object.spec ?? {}
  if (!spec.token) return fail(badRequest('token is required for TokenReview in authentication'))
  const requested: string[] = spec.audiences?.length ? spec.audiences : apiAudiences
  const result = await check(spec.token, requested)
  const status = result.user
    ? {authenticated: true, user: userInfoJson(result.user), ...(result.audiences?.length ? {audiences: result.audiences} : requested.length ? {audiences: requested} : {})}
    : {user: {}, ...(result.error ? {error: result.error} : {})}
  return created({
    apiVersion: 'authentication.k8s.io/v1',
    kind: 'TokenReview',
    metadata: {creationTimestamp: null},
    spec: compactSpec(spec),
    status,
  })
}
