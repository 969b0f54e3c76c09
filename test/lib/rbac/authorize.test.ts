import assert from 'node:assert/strict'

import type {UserInfo} from '../../../src/lib/api/user.js'
import {authorize, bootstrapPolicy, buildPolicyStore, parsePolicy, rbacAuthorize, rulesFor, visitRulesFor} from '../../../src/lib/rbac/index.js'
import type {Attributes} from '../../../src/lib/rbac/types.js'
import type {RbacObject} from '../../../src/lib/api/rbac.js'

const policyYaml = `
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: pod-reader}
rules:
- {apiGroups: [""], resources: [pods, pods/log], verbs: [get, list, watch]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: deployer, namespace: dev}
rules:
- {apiGroups: [apps], resources: [deployments], verbs: [get, update], resourceNames: [web]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: read-pods, namespace: dev}
subjects:
- {kind: User, name: jane, apiGroup: rbac.authorization.k8s.io}
roleRef: {kind: ClusterRole, name: pod-reader, apiGroup: rbac.authorization.k8s.io}
---
apiVersion: v1
kind: List
items:
- apiVersion: rbac.authorization.k8s.io/v1
  kind: RoleBinding
  metadata: {name: deploy, namespace: dev}
  subjects:
  - {kind: Group, name: deployers}
  - {kind: ServiceAccount, name: ci}
  roleRef: {kind: Role, name: deployer}
- apiVersion: rbac.authorization.k8s.io/v1
  kind: ClusterRoleBinding
  metadata: {name: sa-no-namespace}
  subjects:
  - {kind: ServiceAccount, name: ci}
  roleRef: {kind: ClusterRole, name: cluster-admin}
- apiVersion: rbac.authorization.k8s.io/v1
  kind: ClusterRoleBinding
  metadata: {name: ops-view}
  subjects:
  - {kind: ServiceAccount, name: mon, namespace: ops}
  roleRef: {kind: ClusterRole, name: view}
- apiVersion: rbac.authorization.k8s.io/v1
  kind: RoleBinding
  metadata: {name: broken, namespace: qa}
  subjects: [{kind: User, name: jane}]
  roleRef: {kind: ClusterRole, name: missing}
- apiVersion: rbac.authorization.k8s.io/v1
  kind: RoleBinding
  metadata: {name: weird, namespace: qa}
  subjects: [{kind: User, name: jane}]
  roleRef: {kind: Policy, name: x}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: ignored}
`

const user = (username: string, groups: string[] = []): UserInfo => ({groups: [...groups, 'system:authenticated'], username})
const sa = (ns: string, name: string): UserInfo => ({groups: ['system:serviceaccounts', `system:serviceaccounts:${ns}`, 'system:authenticated'], username: `system:serviceaccount:${ns}:${name}`})

describe('rbac authorizer', () => {
  let objects: RbacObject[]
  let warnings: string[]
  before(async () => {
    ;({objects, warnings} = await parsePolicy(policyYaml, 'test.yaml'))
  })
  const store = () => buildPolicyStore([...bootstrapPolicy(), ...objects])

  it('loads multi-document YAML and List items, skipping other kinds with a warning', () => {
    assert.equal(objects.length, 8)
    assert.deepEqual(warnings, ['test.yaml: skipping ConfigMap "ignored"'])
  })

  const cases: Array<[string, UserInfo, Omit<Attributes, 'user'>, string, string]> = [
    ['RoleBinding → ClusterRole inside its namespace', user('jane'), {apiGroup: '', namespace: 'dev', resource: 'pods', resourceRequest: true, verb: 'list'},
      'Allow', 'RBAC: allowed by RoleBinding "read-pods/dev" of ClusterRole "pod-reader" to User "jane"'],
    ['RoleBinding → ClusterRole confined to its namespace', user('jane'), {apiGroup: '', namespace: 'prod', resource: 'pods', resourceRequest: true, verb: 'list'},
      'NoOpinion', ''],
    ['RoleBinding → ClusterRole not cluster-wide', user('jane'), {apiGroup: '', resource: 'pods', resourceRequest: true, verb: 'list'}, 'NoOpinion', ''],
    ['group subject with a Role', user('bob', ['deployers']), {apiGroup: 'apps', name: 'web', namespace: 'dev', resource: 'deployments', resourceRequest: true, verb: 'update'},
      'Allow', 'RBAC: allowed by RoleBinding "deploy/dev" of Role "deployer" to Group "deployers"'],
    ['resourceNames limit', user('bob', ['deployers']), {apiGroup: 'apps', name: 'db', namespace: 'dev', resource: 'deployments', resourceRequest: true, verb: 'update'},
      'NoOpinion', ''],
    ['SA subject defaults to the RoleBinding namespace', sa('dev', 'ci'), {apiGroup: 'apps', name: 'web', namespace: 'dev', resource: 'deployments', resourceRequest: true, verb: 'get'},
      'Allow', 'RBAC: allowed by RoleBinding "deploy/dev" of Role "deployer" to ServiceAccount "ci/dev"'],
    ['SA subject without namespace in a ClusterRoleBinding matches nothing', sa('default', 'ci'), {apiGroup: '', resource: 'nodes', resourceRequest: true, verb: 'get'},
      'NoOpinion', ''],
    ['SA in ClusterRoleBinding through aggregated view', sa('ops', 'mon'), {apiGroup: 'apps', namespace: 'x', resource: 'deployments', resourceRequest: true, verb: 'list'},
      'Allow', 'RBAC: allowed by ClusterRoleBinding "ops-view" of ClusterRole "view" to ServiceAccount "mon/ops"'],
    ['view has no secrets', sa('ops', 'mon'), {apiGroup: '', namespace: 'x', resource: 'secrets', resourceRequest: true, verb: 'get'}, 'NoOpinion', ''],
    ['bootstrap basic-user', user('jane'), {apiGroup: 'authorization.k8s.io', resource: 'selfsubjectaccessreviews', resourceRequest: true, verb: 'create'},
      'Allow', 'RBAC: allowed by ClusterRoleBinding "system:basic-user" of ClusterRole "system:basic-user" to Group "system:authenticated"'],
    ['bootstrap discovery path', user('jane'), {path: '/apis/apps/v1', resourceRequest: false, verb: 'get'},
      'Allow', 'RBAC: allowed by ClusterRoleBinding "system:discovery" of ClusterRole "system:discovery" to Group "system:authenticated"'],
    ['anonymous gets only public info', {groups: ['system:unauthenticated'], username: 'system:anonymous'}, {path: '/api', resourceRequest: false, verb: 'get'}, 'NoOpinion', ''],
    ['missing role and bad roleRef kind are reported', user('jane'), {apiGroup: '', namespace: 'qa', resource: 'pods', resourceRequest: true, verb: 'get'},
      'NoOpinion', 'RBAC: [clusterrole.rbac.authorization.k8s.io "missing" not found, unsupported role reference kind: "Policy"]'],
  ]
  for (const [name, u, attrs, decision, reason] of cases) {
    it(name, () => {
      const result = authorize(store(), {...attrs, user: u})
      assert.equal(result.decision, decision)
      assert.equal(result.reason, reason)
    })
  }

  it('system:masters is allowed first with an empty reason', () => {
    const result = authorize(store(), {apiGroup: '', resource: 'secrets', resourceRequest: true, user: user('root', ['system:masters']), verb: 'delete'})
    assert.deepEqual(result, {decision: 'Allow', reason: ''})
    // RBAC alone still allows it through the bootstrap cluster-admin binding, naming it.
    assert.match(rbacAuthorize(store(), {apiGroup: '', resource: 'secrets', resourceRequest: true, user: user('root', ['system:masters']), verb: 'delete'}).reason, /cluster-admin/)
  })

  it('one missing role gives the plain error text', () => {
    const s = buildPolicyStore([{kind: 'ClusterRoleBinding', metadata: {name: 'b'}, roleRef: {kind: 'ClusterRole', name: 'x'}, subjects: [{kind: 'User', name: 'u'}]}])
    const r = authorize(s, {path: '/x', resourceRequest: false, user: user('u'), verb: 'get'})
    assert.equal(r.reason, 'RBAC: clusterrole.rbac.authorization.k8s.io "x" not found')
    assert.equal(r.error, 'clusterrole.rbac.authorization.k8s.io "x" not found')
  })

  it('aggregation chains admin ⊇ edit ⊇ view', () => {
    const s = store()
    const view = s.clusterRoles.get('view')!.rules.length
    assert.ok(view > 0)
    assert.ok(s.clusterRoles.get('edit')!.rules.length > view)
    assert.ok(s.clusterRoles.get('admin')!.rules.length > s.clusterRoles.get('edit')!.rules.length)
    const admin = authorize(s, {apiGroup: 'rbac.authorization.k8s.io', namespace: 'a', resource: 'rolebindings', resourceRequest: true, user: user('x', ['system:masters']), verb: 'create'})
    assert.equal(admin.decision, 'Allow')
  })

  it('rulesFor lists cluster then namespace rules, un-compacted, with errors', () => {
    const rules = rulesFor(store(), user('jane'), 'dev')
    assert.deepEqual(rules.resourceRules.at(-1), {apiGroups: [''], resources: ['pods', 'pods/log'], verbs: ['get', 'list', 'watch']})
    assert.deepEqual(rules.resourceRules[0], {apiGroups: ['authorization.k8s.io'], resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'], verbs: ['create']})
    assert.ok(rules.nonResourceRules.some((r) => r.nonResourceURLs!.includes('/api/*')))
    assert.equal(rules.incomplete, false)
    assert.equal(rules.evaluationError, undefined)
    assert.equal(rulesFor(store(), user('jane'), 'qa').evaluationError,
      '[clusterrole.rbac.authorization.k8s.io "missing" not found, unsupported role reference kind: "Policy"]')
  })

  it('the visitor sees only bindings indexed for the user', () => {
    const many: RbacObject[] = Array.from({length: 5000}, (_, i) => ({
      kind: 'ClusterRoleBinding' as const, metadata: {name: `b${i}`}, roleRef: {kind: 'ClusterRole', name: 'view'}, subjects: [{kind: 'User', name: `u${i}`}],
    }))
    const s = buildPolicyStore([...bootstrapPolicy(), ...many])
    const seen = new Set<string>()
    visitRulesFor(s, user('u42'), '', (source) => {
      if (source) seen.add(source.binding.metadata.name)
      return true
    })
    assert.deepEqual([...seen].sort(), ['b42', 'system:basic-user', 'system:discovery', 'system:public-info-viewer'])
  })

  it('rejects a binding without roleRef and bad YAML', async () => {
    await assert.rejects(parsePolicy('kind: RoleBinding\nmetadata: {name: x}\nsubjects: []\n', 'f'), /f: RoleBinding "x": roleRef needs kind and name/)
    await assert.rejects(parsePolicy('kind: Role\nmetadata: {name: x}\nrules: [{resources: [pods]}]\n', 'f'), /every rule needs verbs/)
    await assert.rejects(parsePolicy('a: [\n', 'f'), /^AuthctlError: f: /)
  })
})
