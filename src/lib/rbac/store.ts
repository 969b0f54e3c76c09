// An immutable RBAC policy: roles by name, bindings indexed by subject so a decision looks only at the bindings
// that name the user, one of its groups or its service account, never at every binding.
import {aggregateClusterRoles} from './aggregate.js'
import {serviceAccountUsername} from '../api/user.js'
import type {ClusterRole, ClusterRoleBinding, RbacObject, Role, RoleBinding, Subject} from '../api/rbac.js'

type Binding = ClusterRoleBinding | RoleBinding

/** A binding together with its load order, so candidates from several index keys are visited in file order. */
export interface Indexed<B extends Binding> {
  binding: B
  order: number
}

export interface PolicyStore {
  readonly clusterRoles: ReadonlyMap<string, ClusterRole>
  /** namespace → name → Role */
  readonly roles: ReadonlyMap<string, ReadonlyMap<string, Role>>
  readonly clusterRoleBindings: readonly ClusterRoleBinding[]
  readonly roleBindings: readonly RoleBinding[]
  /** subject key → ClusterRoleBindings naming it */
  readonly clusterIndex: ReadonlyMap<string, Array<Indexed<ClusterRoleBinding>>>
  /** namespace → subject key → RoleBindings naming it */
  readonly namespaceIndex: ReadonlyMap<string, Map<string, Array<Indexed<RoleBinding>>>>
}

/** The index key for a subject, or undefined when it can never match (an SA with no namespace, an unknown kind). */
export function subjectKey(subject: Subject, bindingNamespace: string): string | undefined {
  switch (subject.kind) {
    case 'User':
      return `u:${subject.name}`
    case 'Group':
      return `g:${subject.name}`
    case 'ServiceAccount': {
      const ns = subject.namespace || bindingNamespace
      return ns ? `u:${serviceAccountUsername(ns, subject.name)}` : undefined
    }
    default:
      return undefined
  }
}

/** The keys under which a user's bindings are indexed. */
export function userKeys(user: {username: string; groups: readonly string[]}): string[] {
  return [`u:${user.username}`, ...user.groups.map((g) => `g:${g}`)]
}

/** A user's index keys and one string naming exactly that set of keys (JSON, so no two key lists share it). */
export interface UserKeys {
  keys: string[]
  id: string
}

// Authenticated users are mostly the same object request after request (a certificate's or a static token's user),
// so their keys are made once per user object; the check on name and groups guards against a reused object.
const keysByUser = new WeakMap<object, {username: string; groups: readonly string[]; length: number; keys: UserKeys}>()

/** userKeys() and their id, remembered per user object. */
export function cachedUserKeys(user: {username: string; groups: readonly string[]}): UserKeys {
  const known = keysByUser.get(user)
  if (known && known.username === user.username && known.groups === user.groups && known.length === user.groups.length) return known.keys
  const list = userKeys(user)
  const keys = {id: JSON.stringify(list), keys: list}
  keysByUser.set(user, {groups: user.groups, keys, length: user.groups.length, username: user.username})
  return keys
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key)
  if (list) list.push(value)
  else map.set(key, [value])
}

/** Builds a store; later objects with the same kind/namespace/name replace earlier ones (like `kubectl apply`). */
export function buildPolicyStore(objects: readonly RbacObject[]): PolicyStore {
  const clusterRoleList = new Map<string, ClusterRole>()
  const roles = new Map<string, Map<string, Role>>()
  const crbs = new Map<string, ClusterRoleBinding>()
  const rbs = new Map<string, RoleBinding>()
  for (const object of objects) {
    const {name, namespace = ''} = object.metadata
    if (object.kind === 'ClusterRole') clusterRoleList.set(name, object)
    else if (object.kind === 'ClusterRoleBinding') crbs.set(name, object)
    else if (object.kind === 'Role') {
      if (!roles.has(namespace)) roles.set(namespace, new Map())
      roles.get(namespace)!.set(name, object)
    } else rbs.set(`${namespace}/${name}`, object)
  }

  const clusterIndex = new Map<string, Array<Indexed<ClusterRoleBinding>>>()
  const clusterRoleBindings = [...crbs.values()]
  clusterRoleBindings.forEach((binding, order) => {
    for (const key of new Set((binding.subjects ?? []).map((s) => subjectKey(s, '')))) {
      if (key) push(clusterIndex, key, {binding, order})
    }
  })
  const namespaceIndex = new Map<string, Map<string, Array<Indexed<RoleBinding>>>>()
  const roleBindings = [...rbs.values()]
  roleBindings.forEach((binding, order) => {
    const ns = binding.metadata.namespace ?? ''
    if (!namespaceIndex.has(ns)) namespaceIndex.set(ns, new Map())
    for (const key of new Set((binding.subjects ?? []).map((s) => subjectKey(s, ns)))) {
      if (key) push(namespaceIndex.get(ns)!, key, {binding, order})
    }
  })

  return {
    clusterRoleBindings,
    clusterIndex,
    clusterRoles: aggregateClusterRoles(clusterRoleList),
    namespaceIndex,
    roleBindings,
    roles,
  }
}

/** The bindings that may apply to a user, in load order, each once. */
export function candidateBindings<B extends Binding>(index: ReadonlyMap<string, Array<Indexed<B>>> | undefined, keys: readonly string[]): B[] {
  if (!index) return []
  const lists: Array<Array<Indexed<B>>> = []
  for (const key of keys) {
    const list = index.get(key)
    if (list) lists.push(list)
  }
  if (lists.length === 0) return []
  // Each list is already in load order and free of duplicates; only several lists need merging.
  if (lists.length === 1) return lists[0].map((e) => e.binding)
  const merged = lists.flat().sort((a, b) => a.order - b.order)
  return merged.filter((e, i) => i === 0 || merged[i - 1].order !== e.order).map((e) => e.binding)
}
