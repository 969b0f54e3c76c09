// The user a Kubernetes API server sees after authentication (authentication.k8s.io/v1 UserInfo), the well-known
// names and groups, and the users that service-account names and impersonation turn into.

export interface UserInfo {
  username: string
  uid?: string
  groups: string[]
  extra?: Record<string, string[]>
}

export const ALL_AUTHENTICATED = 'system:authenticated'
export const ALL_UNAUTHENTICATED = 'system:unauthenticated'
export const ANONYMOUS = 'system:anonymous'

/** AuthenticatedGroupAdder: system:authenticated for every authenticated user but anonymous. */
export function withAuthenticatedGroup(user: UserInfo): UserInfo {
  if (user.username === ANONYMOUS || user.groups.includes(ALL_AUTHENTICATED) || user.groups.includes(ALL_UNAUTHENTICATED)) return user
  return {...user, groups: [...user.groups, ALL_AUTHENTICATED]}
}

export const SERVICE_ACCOUNT_PREFIX = 'system:serviceaccount:'

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/

/** serviceaccount.MakeUsername. */
export function serviceAccountUsername(namespace: string, name: string): string {
  return `${SERVICE_ACCOUNT_PREFIX}${namespace}:${name}`
}

/** serviceaccount.MakeGroupNames: the groups every service account of the namespace is in. */
export function serviceAccountGroups(namespace: string): string[] {
  return ['system:serviceaccounts', `system:serviceaccounts:${namespace}`]
}

/** serviceaccount.SplitUsername: `system:serviceaccount:<ns>:<name>` with valid names. */
export function splitServiceAccount(username: string): {namespace: string; name: string} | undefined {
  if (!username.startsWith(SERVICE_ACCOUNT_PREFIX)) return undefined
  const parts = username.slice(SERVICE_ACCOUNT_PREFIX.length).split(':')
  if (parts.length !== 2) return undefined
  const [namespace, name] = parts
  if (namespace.length > 63 || !DNS_LABEL.test(namespace) || name.length > 253 || !DNS_SUBDOMAIN.test(name)) return undefined
  return {name, namespace}
}

/**
 * The user an impersonation becomes (filters/impersonation.go), as for `--as NAME --as-group G...`: a service
 * account impersonated without groups is in its namespace's service-account groups; then system:authenticated is
 * added (system:unauthenticated for system:anonymous) unless either is already there.
 */
export function impersonatedUser(username: string, groups: readonly string[] = [], more: {uid?: string; extra?: Record<string, string[]>} = {}): UserInfo {
  const sa = splitServiceAccount(username)
  const result = groups.length === 0 && sa ? serviceAccountGroups(sa.namespace) : [...groups]
  if (username !== ANONYMOUS) {
    if (!result.includes(ALL_AUTHENTICATED) && !result.includes(ALL_UNAUTHENTICATED)) result.push(ALL_AUTHENTICATED)
  } else if (!result.includes(ALL_UNAUTHENTICATED)) result.push(ALL_UNAUTHENTICATED)
  return {groups: result, username, ...(more.uid ? {uid: more.uid} : {}), ...(more.extra && Object.keys(more.extra).length ? {extra: more.extra} : {})}
}
