// ClusterRole aggregation as the clusterroleaggregation controller does it: an aggregated role's rules become the
// de-duplicated union of the rules of every other ClusterRole (sorted by name) its selectors match. Computed when the
// store is built; repeated until stable so chains (admin ⊇ edit ⊇ view) settle.
import type {ClusterRole, LabelSelector, PolicyRule} from '../api/rbac.js'

export function selectorMatches(selector: LabelSelector, labels: Record<string, string> = {}): boolean {
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.hasOwn(labels, e.key)
    const values = e.values ?? []
    if (e.operator === 'In' && !(has && values.includes(labels[e.key]))) return false
    if (e.operator === 'NotIn' && has && values.includes(labels[e.key])) return false
    if (e.operator === 'Exists' && !has) return false
    if (e.operator === 'DoesNotExist' && has) return false
  }
  // An empty selector matches nothing here: the controller ignores roles that select everything by accident.
  return Boolean(Object.keys(selector.matchLabels ?? {}).length || (selector.matchExpressions ?? []).length)
}

export function aggregateClusterRoles(input: ReadonlyMap<string, ClusterRole>): Map<string, ClusterRole> {
  const roles = new Map(input)
  const aggregated = [...roles.values()].filter((r) => r.aggregationRule?.clusterRoleSelectors?.length)
  if (aggregated.length === 0) return roles
  const names = [...roles.keys()].sort()
  for (let round = 0; round <= aggregated.length; round++) {
    let changed = false
    for (const target of aggregated) {
      const name = target.metadata.name
      const rules: PolicyRule[] = []
      const seen = new Set<string>()
      for (const other of names) {
        if (other === name) continue
        const role = roles.get(other)!
        if (!target.aggregationRule!.clusterRoleSelectors!.some((s) => selectorMatches(s, role.metadata.labels))) continue
        for (const rule of role.rules ?? []) {
          const key = JSON.stringify(rule)
          if (!seen.has(key)) {
            seen.add(key)
            rules.push(rule)
          }
        }
      }
      if (JSON.stringify(rules) !== JSON.stringify(roles.get(name)!.rules)) {
        roles.set(name, {...roles.get(name)!, rules})
        changed = true
      }
    }
    if (!changed) break
  }
  return roles
}
