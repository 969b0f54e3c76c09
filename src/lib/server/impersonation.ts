// The impersonation filter (k8s.io/apiserver pkg/endpoints/filters/impersonation.go): every Impersonate-* header is
// checked with an `impersonate` authorization for the authenticated user; the first denial is a 403, and groups,
// extras or a UID without a user is an internal error. The result replaces the request's user.
import {impersonatedUser, serviceAccountUsername, splitServiceAccount, type UserInfo} from '../api/user.js'
import type {Attributes, AuthorizationResult} from '../rbac/types.js'

interface ImpersonationRequest {
  kind: 'Group' | 'ServiceAccount' | 'UID' | 'User' | 'UserExtra'
  namespace?: string
  name: string
  fieldPath?: string
}

/** Go's %v of a v1.ObjectReference, used in the "without impersonating a user" error. */
const goObjectRef = (r: ImpersonationRequest) => `{${[r.kind, r.namespace ?? '', r.name, '', '', '', r.fieldPath ?? ''].join(' ')}}`

export type ImpersonationOutcome =
  | {kind: 'none'}
  | {kind: 'ok'; user: UserInfo}
  | {kind: 'forbidden'; attributes: Attributes; reason: string}
  | {kind: 'error'; message: string}

/** Headers as node gives them: lower-cased names, repeated headers as arrays (see headersDistinct). */
export type HeaderMap = Record<string, string[] | undefined>

function unescapeExtraKey(key: string): string {
  try {
    return decodeURIComponent(key)
  } catch {
    return key
  }
}

export function impersonate(
  headers: HeaderMap,
  requestor: UserInfo,
  authorize: (attributes: Attributes) => AuthorizationResult,
): ImpersonationOutcome {
  const requests: ImpersonationRequest[] = []
  const requestedUser = headers['impersonate-user']?.[0] ?? ''
  if (requestedUser) {
    const sa = splitServiceAccount(requestedUser)
    requests.push(sa ? {kind: 'ServiceAccount', name: sa.name, namespace: sa.namespace} : {kind: 'User', name: requestedUser})
  }
  const groups = headers['impersonate-group'] ?? []
  for (const g of groups) requests.push({kind: 'Group', name: g})
  for (const [header, values] of Object.entries(headers)) {
    if (!header.startsWith('impersonate-extra-')) continue
    const key = unescapeExtraKey(header.slice('impersonate-extra-'.length).toLowerCase())
    for (const value of values ?? []) requests.push({fieldPath: key, kind: 'UserExtra', name: value})
  }
  const uid = headers['impersonate-uid']?.[0] ?? ''
  if (uid) requests.push({kind: 'UID', name: uid})
  if (requests.length === 0) return {kind: 'none'}
  if (!requestedUser) return {kind: 'error', message: `requested [${requests.map(goObjectRef).join(' ')}] without impersonating a user`}

  let username = ''
  const extra: Record<string, string[]> = {}
  let newUid = ''
  for (const r of requests) {
    const attributes: Attributes = {apiGroup: '', apiVersion: 'v1', name: r.name, namespace: r.namespace ?? '', resourceRequest: true, user: requestor, verb: 'impersonate'}
    switch (r.kind) {
      case 'ServiceAccount':
        attributes.resource = 'serviceaccounts'
        username = serviceAccountUsername(r.namespace!, r.name)
        break
      case 'User':
        attributes.resource = 'users'
        username = r.name
        break
      case 'Group':
        attributes.resource = 'groups'
        break
      case 'UserExtra':
        attributes.apiGroup = 'authentication.k8s.io'
        attributes.resource = 'userextras'
        attributes.subresource = r.fieldPath
        ;(extra[r.fieldPath!] ??= []).push(r.name)
        break
      case 'UID':
        attributes.apiGroup = 'authentication.k8s.io'
        attributes.resource = 'uids'
        newUid = r.name
        break
    }
    const decision = authorize(attributes)
    if (decision.decision !== 'Allow') return {attributes, kind: 'forbidden', reason: decision.reason}
  }
  return {kind: 'ok', user: impersonatedUser(username, groups, {extra, uid: newUid})}
}
