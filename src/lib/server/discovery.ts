// Discovery for the built-in API groups, in both formats kubectl understands: aggregated (apidiscovery.k8s.io/v2,
// one request each for /api and /apis) and legacy (APIVersions, APIGroupList, APIResourceList per group-version).
// Enough for kubectl's resource resolution, short names and the namespace-scope check in `auth can-i`.
const FULL = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch']
const CREATE = ['create']
const GET_PATCH_UPDATE = ['get', 'patch', 'update']

interface SubDef {
  name: string
  kind: string
  group?: string
  version?: string
  verbs: string[]
}

interface ResourceDef {
  name: string
  singular: string
  kind: string
  namespaced: boolean
  verbs: string[]
  shortNames?: string[]
  categories?: string[]
  subresources?: SubDef[]
}

interface GroupVersionDef {
  group: string
  version: string
  resources: ResourceDef[]
}

const res = (name: string, kind: string, namespaced: boolean, opts: Partial<ResourceDef> = {}): ResourceDef => ({
  kind, name, namespaced, singular: kind.toLowerCase(), verbs: FULL, ...opts,
})
const status = (kind: string): SubDef => ({kind, name: 'status', verbs: GET_PATCH_UPDATE})
const scale = (): SubDef => ({group: 'autoscaling', kind: 'Scale', name: 'scale', verbs: GET_PATCH_UPDATE, version: 'v1'})

export const BUILTIN_API: GroupVersionDef[] = [
  {group: '', resources: [
    res('bindings', 'Binding', true, {verbs: CREATE}),
    res('configmaps', 'ConfigMap', true, {shortNames: ['cm']}),
    res('endpoints', 'Endpoints', true, {shortNames: ['ep'], singular: 'endpoints'}),
    res('events', 'Event', true, {shortNames: ['ev']}),
    res('limitranges', 'LimitRange', true, {shortNames: ['limits']}),
    res('namespaces', 'Namespace', false, {shortNames: ['ns'], subresources: [{kind: 'Namespace', name: 'finalize', verbs: ['update']}, status('Namespace')],
      verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch']}),
    res('nodes', 'Node', false, {shortNames: ['no'], subresources: [{kind: 'NodeProxyOptions', name: 'proxy', verbs: ['create', 'delete', 'get', 'patch', 'update']}, status('Node')]}),
    res('persistentvolumeclaims', 'PersistentVolumeClaim', true, {shortNames: ['pvc'], subresources: [status('PersistentVolumeClaim')]}),
    res('persistentvolumes', 'PersistentVolume', false, {shortNames: ['pv'], subresources: [status('PersistentVolume')]}),
    res('pods', 'Pod', true, {categories: ['all'], shortNames: ['po'], subresources: [
      {kind: 'PodAttachOptions', name: 'attach', verbs: ['create', 'get']},
      {kind: 'Binding', name: 'binding', verbs: CREATE},
      {kind: 'Pod', name: 'ephemeralcontainers', verbs: GET_PATCH_UPDATE},
      {group: 'policy', kind: 'Eviction', name: 'eviction', verbs: CREATE, version: 'v1'},
      {kind: 'PodExecOptions', name: 'exec', verbs: ['create', 'get']},
      {kind: 'Pod', name: 'log', verbs: ['get']},
      {kind: 'PodPortForwardOptions', name: 'portforward', verbs: ['create', 'get']},
      {kind: 'PodProxyOptions', name: 'proxy', verbs: ['create', 'delete', 'get', 'patch', 'update']},
      {kind: 'Pod', name: 'resize', verbs: GET_PATCH_UPDATE},
      status('Pod'),
    ]}),
    res('podtemplates', 'PodTemplate', true),
    res('replicationcontrollers', 'ReplicationController', true, {categories: ['all'], shortNames: ['rc'], subresources: [scale(), status('ReplicationController')]}),
    res('resourcequotas', 'ResourceQuota', true, {shortNames: ['quota'], subresources: [status('ResourceQuota')]}),
    res('secrets', 'Secret', true),
    res('serviceaccounts', 'ServiceAccount', true, {shortNames: ['sa'], subresources: [{group: 'authentication.k8s.io', kind: 'TokenRequest', name: 'token', verbs: CREATE, version: 'v1'}]}),
    res('services', 'Service', true, {categories: ['all'], shortNames: ['svc'], subresources: [{kind: 'ServiceProxyOptions', name: 'proxy', verbs: ['create', 'delete', 'get', 'patch', 'update']}, status('Service')],
      verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch']}),
  ], version: 'v1'},
  {group: 'apps', resources: [
    res('controllerrevisions', 'ControllerRevision', true),
    res('daemonsets', 'DaemonSet', true, {categories: ['all'], shortNames: ['ds'], subresources: [status('DaemonSet')]}),
    res('deployments', 'Deployment', true, {categories: ['all'], shortNames: ['deploy'], subresources: [scale(), status('Deployment')]}),
    res('replicasets', 'ReplicaSet', true, {categories: ['all'], shortNames: ['rs'], subresources: [scale(), status('ReplicaSet')]}),
    res('statefulsets', 'StatefulSet', true, {categories: ['all'], shortNames: ['sts'], subresources: [scale(), status('StatefulSet')]}),
  ], version: 'v1'},
  {group: 'authentication.k8s.io', resources: [
    res('selfsubjectreviews', 'SelfSubjectReview', false, {verbs: CREATE}),
    res('tokenreviews', 'TokenReview', false, {verbs: CREATE}),
  ], version: 'v1'},
  {group: 'authorization.k8s.io', resources: [
    res('localsubjectaccessreviews', 'LocalSubjectAccessReview', true, {verbs: CREATE}),
    res('selfsubjectaccessreviews', 'SelfSubjectAccessReview', false, {verbs: CREATE}),
    res('selfsubjectrulesreviews', 'SelfSubjectRulesReview', false, {verbs: CREATE}),
    res('subjectaccessreviews', 'SubjectAccessReview', false, {verbs: CREATE}),
  ], version: 'v1'},
  {group: 'autoscaling', resources: [res('horizontalpodautoscalers', 'HorizontalPodAutoscaler', true, {categories: ['all'], shortNames: ['hpa'], subresources: [status('HorizontalPodAutoscaler')]})], version: 'v2'},
  {group: 'batch', resources: [
    res('cronjobs', 'CronJob', true, {categories: ['all'], shortNames: ['cj'], subresources: [status('CronJob')]}),
    res('jobs', 'Job', true, {categories: ['all'], subresources: [status('Job')]}),
  ], version: 'v1'},
  {group: 'certificates.k8s.io', resources: [
    res('certificatesigningrequests', 'CertificateSigningRequest', false, {shortNames: ['csr'], subresources: [{kind: 'CertificateSigningRequest', name: 'approval', verbs: GET_PATCH_UPDATE}, status('CertificateSigningRequest')]}),
  ], version: 'v1'},
  {group: 'coordination.k8s.io', resources: [res('leases', 'Lease', true)], version: 'v1'},
  {group: 'discovery.k8s.io', resources: [res('endpointslices', 'EndpointSlice', true)], version: 'v1'},
  {group: 'networking.k8s.io', resources: [
    res('ingressclasses', 'IngressClass', false),
    res('ingresses', 'Ingress', true, {shortNames: ['ing'], subresources: [status('Ingress')]}),
    res('networkpolicies', 'NetworkPolicy', true, {shortNames: ['netpol']}),
  ], version: 'v1'},
  {group: 'policy', resources: [res('poddisruptionbudgets', 'PodDisruptionBudget', true, {shortNames: ['pdb'], subresources: [status('PodDisruptionBudget')]})], version: 'v1'},
  {group: 'rbac.authorization.k8s.io', resources: [
    res('clusterrolebindings', 'ClusterRoleBinding', false),
    res('clusterroles', 'ClusterRole', false),
    res('rolebindings', 'RoleBinding', true),
    res('roles', 'Role', true),
  ], version: 'v1'},
  {group: 'storage.k8s.io', resources: [res('storageclasses', 'StorageClass', false, {shortNames: ['sc']})], version: 'v1'},
  {group: 'apiextensions.k8s.io', resources: [
    res('customresourcedefinitions', 'CustomResourceDefinition', false, {categories: ['api-extensions'], shortNames: ['crd', 'crds'], subresources: [status('CustomResourceDefinition')]}),
  ], version: 'v1'},
]

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
