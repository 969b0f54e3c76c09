// Discovery for the built-in API groups, in both formats kubectl understands: aggregated (apidiscovery.k8s.io/v2,
// one request each for /api and /apis) and legacy (APIVersions, APIGroupList, APIResourceList per group-version).
// Enough for kubectl's resource resolution, short names and the namespace-scope check in `auth can-i`.
import {BUILTIN_API, type GroupVersionDef, type ResourceDef} from '../api/builtin-discovery.js'

export const AGGREGATED_V2 = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList'
export const AGGREGATED_V2BETA1 = 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList'

/** Which aggregated discovery version the Accept header asks for, if any (parameter order does not matter). */
export function aggregatedVersion(accept: string | undefined): 'v2' | 'v2beta1' | undefined {
  for (const part of (accept ?? '').split(',')) {
    const params = new Map(part.split(';').slice(1).map((p) => p.trim().split('=') as [string, string]))
    if (params.get('g') === 'apidiscovery.k8s.io' && params.get('as') === 'APIGroupDiscoveryList') {
      const v = params.get('v')
      if (v === 'v2' || v === 'v2beta1') return v
    }
  }
  return undefined
}

function aggregatedResource(gv: GroupVersionDef, r: ResourceDef) {
  return {
    resource: r.name,
    responseKind: {group: gv.group, kind: r.kind, version: gv.version},
    scope: r.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: r.singular,
    verbs: r.verbs,
    ...(r.shortNames ? {shortNames: r.shortNames} : {}),
    ...(r.categories ? {categories: r.categories} : {}),
    ...(r.subresources
      ? {subresources: r.subresources.map((s) => ({responseKind: {group: s.group ?? gv.group, kind: s.kind, version: s.version ?? gv.version}, subresource: s.name, verbs: s.verbs}))}
      : {}),
  }
}

/** Aggregated discovery for `/api` (core) or `/apis` (named groups). */
export function aggregatedDiscovery(core: boolean, version: 'v2' | 'v2beta1') {
  const groups = new Map<string, GroupVersionDef[]>()
  for (const gv of BUILTIN_API) {
    if ((gv.group === '') !== core) continue
    groups.set(gv.group, [...(groups.get(gv.group) ?? []), gv])
  }
  return {
    apiVersion: `apidiscovery.k8s.io/${version}`,
    items: [...groups.entries()].map(([group, versions]) => ({
      metadata: group ? {creationTimestamp: null, name: group} : {creationTimestamp: null},
      versions: versions.map((gv) => ({freshness: 'Current', resources: gv.resources.map((r) => aggregatedResource(gv, r)), version: gv.version})),
    })),
    kind: 'APIGroupDiscoveryList',
    metadata: {},
  }
}

export function apiVersions(serverAddress: string) {
  return {kind: 'APIVersions', serverAddressByClientCIDRs: [{clientCIDR: '0.0.0.0/0', serverAddress}], versions: ['v1']}
}

export function apiGroupList() {
  return {
    apiVersion: 'v1',
    groups: BUILTIN_API.filter((gv) => gv.group).map((gv) => {
      const v = {groupVersion: `${gv.group}/${gv.version}`, version: gv.version}
      return {name: gv.group, preferredVersion: v, versions: [v]}
    }),
    kind: 'APIGroupList',
  }
}

/** APIResourceList for one group-version, or undefined when it is not served. */
export function apiResourceList(group: string, version: string) {
  const gv = BUILTIN_API.find((g) => g.group === group && g.version === version)
  if (!gv) return undefined
  const resources = gv.resources.flatMap((r) => [
    {
      kind: r.kind, name: r.name, namespaced: r.namespaced, singularName: r.singular, verbs: r.verbs,
      ...(r.shortNames ? {shortNames: r.shortNames} : {}), ...(r.categories ? {categories: r.categories} : {}),
    },
    ...(r.subresources ?? []).map((s) => ({
      kind: s.kind, name: `${r.name}/${s.name}`, namespaced: r.namespaced, singularName: '', verbs: s.verbs,
      ...(s.group !== undefined ? {group: s.group, version: s.version} : {}),
    })),
  ])
  return {apiVersion: 'v1', groupVersion: group ? `${group}/${version}` : version, kind: 'APIResourceList', resources}
}
