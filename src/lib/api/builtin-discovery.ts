// The built-in API groups kube-apiserver serves, as data: `authctl serve` publishes them as discovery, and the
// offline `rbac` commands resolve resource types against them as kubectl's RESTMapper would against that server.
const FULL = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch']
const CREATE = ['create']
const GET_PATCH_UPDATE = ['get', 'patch', 'update']

export interface SubDef {
  name: string
  kind: string
  group?: string
  version?: string
  verbs: string[]
}

export interface ResourceDef {
  name: string
  singular: string
  kind: string
  namespaced: boolean
  verbs: string[]
  shortNames?: string[]
  categories?: string[]
  subresources?: SubDef[]
}

export interface GroupVersionDef {
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
