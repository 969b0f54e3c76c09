// kube-apiserver's bootstrap RBAC policy (plugin/pkg/auth/authorizer/rbac/bootstrappolicy), the parts that matter for
// authentication and access checks: cluster-admin, the self-review and discovery roles, the aggregated
// admin/edit/view roles and their aggregate-to-* sources.
import type {ClusterRole, ClusterRoleBinding, PolicyRule, RbacObject} from '../api/rbac.js'

const bootstrapMeta = (name: string, labels: Record<string, string> = {}) => ({
  annotations: {'rbac.authorization.kubernetes.io/autoupdate': 'true'},
  labels: {'kubernetes.io/bootstrapping': 'rbac-defaults', ...labels},
  name,
})

const role = (name: string, rules: PolicyRule[], labels?: Record<string, string>): ClusterRole => ({
  kind: 'ClusterRole',
  metadata: bootstrapMeta(name, labels),
  rules,
})

const aggregated = (name: string, selectorLabel: string, labels?: Record<string, string>): ClusterRole => ({
  aggregationRule: {clusterRoleSelectors: [{matchLabels: {[selectorLabel]: 'true'}}]},
  kind: 'ClusterRole',
  metadata: bootstrapMeta(name, labels),
  rules: [],
})

const bindGroups = (name: string, groups: string[]): ClusterRoleBinding => ({
  kind: 'ClusterRoleBinding',
  metadata: bootstrapMeta(name),
  roleRef: {apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name},
  subjects: groups.map((g) => ({apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: g})),
})

const r = (verbs: string[], apiGroups: string[], resources: string[]): PolicyRule => ({apiGroups, resources, verbs})
const url = (verbs: string[], nonResourceURLs: string[]): PolicyRule => ({nonResourceURLs, verbs})

const read = ['get', 'list', 'watch']
const write = ['create', 'delete', 'deletecollection', 'patch', 'update']
const AGG = 'rbac.authorization.k8s.io/aggregate-to-'

const viewCore = ['configmaps', 'endpoints', 'persistentvolumeclaims', 'persistentvolumeclaims/status', 'pods', 'replicationcontrollers',
  'replicationcontrollers/scale', 'serviceaccounts', 'services', 'services/status']
const viewApps = ['controllerrevisions', 'daemonsets', 'daemonsets/status', 'deployments', 'deployments/scale', 'deployments/status',
  'replicasets', 'replicasets/scale', 'replicasets/status', 'statefulsets', 'statefulsets/scale', 'statefulsets/status']

export function bootstrapPolicy(): RbacObject[] {
  return [
    role('cluster-admin', [r(['*'], ['*'], ['*']), url(['*'], ['*'])]),
    role('system:basic-user', [
      r(['create'], ['authorization.k8s.io'], ['selfsubjectaccessreviews', 'selfsubjectrulesreviews']),
      r(['create'], ['authentication.k8s.io'], ['selfsubjectreviews']),
    ]),
    role('system:discovery', [
      url(['get'], ['/api', '/api/*', '/apis', '/apis/*', '/healthz', '/livez', '/openapi', '/openapi/*', '/readyz', '/version', '/version/']),
    ]),
    role('system:public-info-viewer', [url(['get'], ['/healthz', '/livez', '/readyz', '/version', '/version/'])]),
    role('system:monitoring', [
      url(['get'], ['/healthz', '/healthz/*', '/livez', '/livez/*', '/metrics', '/metrics/slis', '/readyz', '/readyz/*']),
    ]),
    role('system:service-account-issuer-discovery', [
      url(['get'], ['/.well-known/openid-configuration', '/.well-known/openid-configuration/', '/openid/v1/jwks', '/openid/v1/jwks/']),
    ]),
    role('system:auth-delegator', [
      r(['create'], ['authentication.k8s.io'], ['tokenreviews']),
      r(['create'], ['authorization.k8s.io'], ['subjectaccessreviews']),
    ]),
    aggregated('admin', `${AGG}admin`),
    aggregated('edit', `${AGG}edit`, {[`${AGG}admin`]: 'true'}),
    aggregated('view', `${AGG}view`, {[`${AGG}edit`]: 'true'}),
    role(
      'system:aggregate-to-admin',
      [
        r(['create'], ['authorization.k8s.io'], ['localsubjectaccessreviews']),
        r([...write, ...read], ['rbac.authorization.k8s.io'], ['rolebindings', 'roles']),
      ],
      {[`${AGG}admin`]: 'true'},
    ),
    role(
      'system:aggregate-to-edit',
      [
        r(['impersonate'], [''], ['serviceaccounts']),
        r(write, [''], ['pods', 'pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy']),
        r(['create'], [''], ['pods/eviction']),
        r(write, [''], ['configmaps', 'endpoints', 'persistentvolumeclaims', 'replicationcontrollers', 'replicationcontrollers/scale',
          'secrets', 'serviceaccounts', 'services', 'services/proxy']),
        r(['create'], [''], ['serviceaccounts/token']),
        r(write, ['apps'], ['daemonsets', 'deployments', 'deployments/rollback', 'deployments/scale', 'replicasets', 'replicasets/scale',
          'statefulsets', 'statefulsets/scale']),
        r(write, ['autoscaling'], ['horizontalpodautoscalers']),
        r(write, ['batch'], ['cronjobs', 'jobs']),
        r(write, ['networking.k8s.io'], ['ingresses', 'networkpolicies']),
        r(write, ['policy'], ['poddisruptionbudgets']),
        r(write, ['coordination.k8s.io'], ['leases']),
        r(read, [''], ['pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy', 'secrets', 'services/proxy']),
      ],
      {[`${AGG}edit`]: 'true'},
    ),
    role(
      'system:aggregate-to-view',
      [
        r(read, [''], [...viewCore, 'bindings', 'events', 'limitranges', 'namespaces/status', 'pods/log', 'pods/status',
          'replicationcontrollers/status', 'resourcequotas', 'resourcequotas/status']),
        r(read, [''], ['namespaces']),
        r(read, ['discovery.k8s.io'], ['endpointslices']),
        r(read, ['apps'], viewApps),
        r(read, ['autoscaling'], ['horizontalpodautoscalers', 'horizontalpodautoscalers/status']),
        r(read, ['batch'], ['cronjobs', 'cronjobs/status', 'jobs', 'jobs/status']),
        r(read, ['policy'], ['poddisruptionbudgets', 'poddisruptionbudgets/status']),
        r(read, ['networking.k8s.io'], ['ingresses', 'ingresses/status', 'networkpolicies']),
        r(read, ['coordination.k8s.io'], ['leases']),
      ],
      {[`${AGG}view`]: 'true'},
    ),
    bindGroups('cluster-admin', ['system:masters']),
    bindGroups('system:basic-user', ['system:authenticated']),
    bindGroups('system:discovery', ['system:authenticated']),
    bindGroups('system:public-info-viewer', ['system:authenticated', 'system:unauthenticated']),
    bindGroups('system:monitoring', ['system:monitoring']),
    bindGroups('system:service-account-issuer-discovery', ['system:serviceaccounts']),
  ]
}
