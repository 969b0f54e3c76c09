// Talos API roles as carried in a client certificate's Organization values.

/** The built-in roles, in the order Talos introduced them (os:image:verifier and os:meta:writer since v1.13). */
export const TALOS_ROLES = [
  'os:admin',
  'os:reader',
  'os:etcd:backup',
  'os:impersonator',
  'os:operator',
  'os:image:verifier',
  'os:meta:writer',
] as const

export type TalosRole = (typeof TALOS_ROLES)[number]

export function isKnownRole(role: string): role is TalosRole {
  return (TALOS_ROLES as readonly string[]).includes(role)
}

/**
 * Talos's role parsing: entries are trimmed, empty ones dropped, every role kept (unknown ones too, for forward
 * compatibility) and the set sorted by byte order. Unknown roles are also returned on their own.
 */
export function parseRoles(values: Iterable<string>): {roles: string[]; unknown: string[]} {
  const roles = [...new Set([...values].map((v) => v.trim()).filter(Boolean))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  return {roles, unknown: roles.filter((r) => !isKnownRole(r))}
}
