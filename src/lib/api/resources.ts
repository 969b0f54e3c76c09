// API resources as kubectl's RESTMapper sees them, and the resolution of a TYPE argument against them (short names,
// plural and singular names, kinds, TYPE.group, TYPE.version.group). Pure: fetching discovery lives in kube/.
import {BUILTIN_API} from './builtin-discovery.js'

export interface ApiResource {
  group: string
  version: string
  /** Plural resource name, e.g. deployments. */
  resource: string
  singular: string
  kind: string
  shortNames: string[]
  namespaced: boolean
}

export interface Discovery {
  /** Resources in priority order: discovery's group order, preferred version first. */
  resources: ApiResource[]
  /** Why (part of) discovery failed, for a warning; resolution still works with what was found. */
  errors: string[]
}

export interface ResolvedResource {
  group: string
  version: string
  resource: string
  /** Namespace scope, when discovery knows the resource. */
  namespaced?: boolean
  /** kubectl's warning for a type discovery does not know, as printed after "Warning: " (with its blank line). */
  warning?: string
}

// kubectl does not warn about these when discovery does not know them: they are virtual resources.
const NON_STANDARD_RESOURCES = ['users', 'groups']

/** The resources of the built-in API groups `authctl serve` publishes. */
export function builtinResources(): ApiResource[] {
  return BUILTIN_API.flatMap((gv) =>
    gv.resources.map((r) => ({
      group: gv.group, kind: r.kind, namespaced: r.namespaced, resource: r.name, shortNames: r.shortNames ?? [], singular: r.singular, version: gv.version,
    })),
  )
}

/** Resources of an aggregated discovery document (apidiscovery.k8s.io APIGroupDiscoveryList). */
export function fromAggregated(doc: any): ApiResource[] {
  const out: ApiResource[] = []
  for (const item of doc?.items ?? []) {
    const group = item?.metadata?.name ?? ''
    for (const v of item?.versions ?? []) {
      if (v?.freshness === 'Stale') continue
      for (const r of v?.resources ?? []) {
        // client-go drops resources without a responseKind.
        if (!r?.resource || !r?.responseKind?.kind) continue
        out.push({
          group,
          kind: r.responseKind.kind,
          namespaced: r.scope === 'Namespaced',
          resource: r.resource,
          shortNames: r.shortNames ?? [],
          singular: r.singularResource || r.responseKind.kind.toLowerCase(),
          version: v.version,
        })
      }
    }
  }
  return out
}

/** Resources of one APIResourceList, without subresources (names with a slash). */
export function fromResourceList(doc: any, group: string, version: string): ApiResource[] {
  return (doc?.resources ?? [])
    .filter((r: any) => r?.name && !r.name.includes('/'))
    .map((r: any) => ({
      group,
      kind: r.kind ?? '',
      namespaced: Boolean(r.namespaced),
      resource: r.name,
      shortNames: r.shortNames ?? [],
      singular: r.singularName || String(r.kind ?? '').toLowerCase(),
      version,
    }))
}

/** The resolved group/version/resource, or the raw argument with a warning (kubectl's resourceFor). */
export function resolveResource(arg: string, discovery: Discovery): ResolvedResource {
  if (arg === '*') return {group: '', resource: '*', version: ''}
  const lower = arg.toLowerCase()
  const dot = lower.indexOf('.')
  const groupResource = dot < 0 ? {group: '', resource: lower} : {group: lower.slice(dot + 1), resource: lower.slice(0, dot)}
  let found: ApiResource | undefined
  // resource.version.group first (ParseResourceArg), then resource.group.
  const parts = lower.split('.')
  if (parts.length >= 3) {
    const [resource, version, ...group] = parts
    found = lookup(discovery.resources, resource, group.join('.'), version)
  }
  found ??= lookup(discovery.resources, groupResource.resource, groupResource.group)
  if (found) return {group: found.group, namespaced: found.namespaced, resource: found.resource, version: found.version}
  let warning: string | undefined
  if (!NON_STANDARD_RESOURCES.includes(groupResource.group ? `${groupResource.resource}.${groupResource.group}` : groupResource.resource)) {
    warning = groupResource.group
      ? `the server doesn't have a resource type '${groupResource.resource}' in group '${groupResource.group}'\n`
      : `the server doesn't have a resource type '${groupResource.resource}'\n`
  }
  return {group: '', resource: arg, version: '', warning}
}

/** kubectl's warning for a namespaced request on a cluster-scoped resource (with its blank line). */
export function notNamespacedWarning(group: string, resource: string): string {
  return group ? `resource '${resource}' is not namespace scoped in group '${group}'\n` : `resource '${resource}' is not namespace scoped\n`
}

// The shortcut expander turns a short name into its resource (and group), then the mapper matches the plural or
// singular name; the first match in discovery's priority order wins.
function lookup(resources: ApiResource[], name: string, group: string, version?: string): ApiResource | undefined {
  const inScope = (r: ApiResource) => (!group || r.group === group) && (!version || r.version === version)
  const short = resources.find((r) => inScope(r) && r.shortNames.includes(name))
  if (short) return short
  return resources.find((r) => inScope(r) && (r.resource === name || r.singular === name))
}
