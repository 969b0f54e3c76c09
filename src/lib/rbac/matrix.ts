// `rbac matrix`: a verb × resource table of what one user may do (rakkess-style), every cell decided as authorize() would, with the user's rules visited once.
import type {UserInfo} from '../api/user.js'
import {resourceDecider} from './authorize.js'
import type {PolicyStore} from './store.js'

export const MATRIX_VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection']

export interface MatrixResource {
  group: string
  resource: string
}

export interface MatrixRow extends MatrixResource {
  verbs: Record<string, boolean>
}

/** The concrete resources the policy's rules name (wildcards dropped), sorted by group then resource. */
export function policyResources(store: PolicyStore): MatrixResource[] {
  const seen = new Map<string, MatrixResource>()
  const add = (rules: ReadonlyArray<{apiGroups?: string[]; resources?: string[]}>) => {
    for (const rule of rules) {
      for (const group of rule.apiGroups ?? []) {
        if (group === '*') continue
        for (const resource of rule.resources ?? []) {
          if (resource.includes('*')) continue
          seen.set(`${group}\u0000${resource}`, {group, resource})
        }
      }
    }
  }
  for (const role of store.clusterRoles.values()) add(role.rules ?? [])
  for (const byName of store.roles.values()) for (const role of byName.values()) add(role.rules ?? [])
  return [...seen.values()].sort((a, b) => a.group.localeCompare(b.group) || a.resource.localeCompare(b.resource))
}

export function matrix(store: PolicyStore, user: UserInfo, namespace: string, resources: MatrixResource[], verbs = MATRIX_VERBS): MatrixRow[] {
  const allows = resourceDecider(store, user, namespace)
  return resources.map(({group, resource}) => {
    const slash = resource.indexOf('/')
    const base = slash < 0 ? resource : resource.slice(0, slash)
    const subresource = slash < 0 ? '' : resource.slice(slash + 1)
    const cells: Record<string, boolean> = {}
    for (const verb of verbs) {
      cells[verb] = allows({apiGroup: group, apiVersion: '*', name: '', resource: base, resourceRequest: true, subresource, verb})
    }
    return {group, resource, verbs: cells}
  })
}

/** NAME (resource.group) then one ✔/✖ column per verb. */
export function matrixRows(rows: MatrixRow[], verbs = MATRIX_VERBS): string[][] {
  return rows.map((r) => [r.group ? `${r.resource}.${r.group}` : r.resource, ...verbs.map((v) => (r.verbs[v] ? '✔' : '✖'))])
}
