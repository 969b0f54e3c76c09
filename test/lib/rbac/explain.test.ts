import assert from 'node:assert/strict'

import {buildPolicyStore, parsePolicy} from '../../../src/lib/rbac/index.js'
import {explain, explanationText, type NearMissCode} from '../../../src/lib/rbac/explain.js'
import {BUILTIN_API} from '../../../src/lib/api/builtin-discovery.js'
import {impersonatedUser} from '../../../src/lib/api/user.js'
import {describeRequest, offlineDiscovery, requestAttributes, resolveType} from '../../../src/lib/rbac/request.js'
import type {PolicyStore} from '../../../src/lib/rbac/store.js'

async function store(yaml: string): Promise<PolicyStore> {
  return buildPolicyStore((await parsePolicy(yaml)).objects)
}

const rb = (name: string, ns: string, subject: string, roleKind: string, role: string) => `
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: ${name}, namespace: ${ns}}
subjects: [${subject}]
roleRef: {kind: ${roleKind}, name: ${role}, apiGroup: rbac.authorization.k8s.io}
---`
const crb = (name: string, subject: string, role: string) => `
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: ${name}}
subjects: [${subject}]
roleRef: {kind: ClusterRole, name: ${role}, apiGroup: rbac.authorization.k8s.io}
---`
const clusterRole = (name: string, rule: string) => `
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: ${name}}
rules: [${rule}]
---`

function ask(s: PolicyStore, user: string, groups: string[], verb: string, target: string, namespace = 'dev', subresource?: string) {
  return explain(s, requestAttributes(impersonatedUser(user, groups), {namespace, subresource, target, verb}))
}

function onlyMiss(e: ReturnType<typeof explain>, code: NearMissCode) {
  assert.equal(e.allowed, false)
  const found = e.nearMisses.filter((m) => m.code === code)
  assert.equal(found.length, 1, `expected one ${code} near miss, got ${JSON.stringify(e.nearMisses.map((m) => m.code))}`)
  return found[0]
}

describe('rbac explain', () => {
  it('lists every granting binding with kube-apiserver wording; the first is the server reason', async () => {
    const s = await store(clusterRole('reader', '{apiGroups: [""], resources: [pods], verbs: [get]}') +
      crb('readers', '{kind: Group, name: devs}', 'reader') + rb('jane-read', 'dev', '{kind: User, name: jane}', 'ClusterRole', 'reader'))
    const e = ask(s, 'jane', ['devs'], 'get', 'pods')
    assert.equal(e.allowed, true)
    assert.deepEqual(e.grants.map((g) => g.description), [
      'ClusterRoleBinding "readers" of ClusterRole "reader" to Group "devs"',
      'RoleBinding "jane-read/dev" of ClusterRole "reader" to User "jane"',
    ])
    assert.equal(e.reason, 'RBAC: allowed by ClusterRoleBinding "readers" of ClusterRole "reader" to Group "devs"')
    assert.deepEqual(e.nearMisses, [])
  })

  it('--as users are the impersonation filter\'s: service-account groups, then system:authenticated (system:unauthenticated for anonymous)', () => {
    assert.deepEqual(impersonatedUser('system:serviceaccount:ci:bot'), {groups: ['system:serviceaccounts', 'system:serviceaccounts:ci', 'system:authenticated'], username: 'system:serviceaccount:ci:bot'})
    assert.deepEqual(impersonatedUser('system:serviceaccount:ci:bot', ['g']), {groups: ['g', 'system:authenticated'], username: 'system:serviceaccount:ci:bot'})
    assert.deepEqual(impersonatedUser('system:serviceaccount:CI:bot'), {groups: ['system:authenticated'], username: 'system:serviceaccount:CI:bot'})
    assert.deepEqual(impersonatedUser('system:anonymous'), {groups: ['system:unauthenticated'], username: 'system:anonymous'})
    assert.deepEqual(impersonatedUser('jane', ['system:unauthenticated']), {groups: ['system:unauthenticated'], username: 'jane'})
  })

  it('service account subjects are described name before namespace', async () => {
    const s = await store(clusterRole('reader', '{apiGroups: [""], resources: [pods], verbs: [get]}') +
      rb('ci', 'ci', '{kind: ServiceAccount, name: deployer}', 'ClusterRole', 'reader'))
    const e = ask(s, 'system:serviceaccount:ci:deployer', [], 'get', 'pods', 'ci')
    assert.equal(e.reason, 'RBAC: allowed by RoleBinding "ci/ci" of ClusterRole "reader" to ServiceAccount "deployer/ci"')
  })

  it('system:masters is allowed by the privileged authorizer with no reason', async () => {
    const e = ask(await store(''), 'root', ['system:masters'], 'delete', 'nodes')
    assert.equal(e.allowed, true)
    assert.equal(e.privileged, true)
    assert.equal(e.reason, '')
  })

  it('near miss: a RoleBinding confines a ClusterRole to its own namespace', async () => {
    const s = await store(clusterRole('editor', '{apiGroups: [""], resources: [pods], verbs: ["*"]}') +
      rb('jane-edit', 'staging', '{kind: User, name: jane}', 'ClusterRole', 'editor'))
    const m = onlyMiss(ask(s, 'jane', [], 'delete', 'pods', 'prod'), 'namespace')
    assert.equal(m.message, 'RoleBinding "jane-edit/staging" grants ClusterRole "editor" only in namespace "staging", but the request is in namespace "prod"')
    const cluster = onlyMiss(ask(s, 'jane', [], 'delete', 'pods', ''), 'namespace')
    assert.match(cluster.message, /but the request is cluster-wide$/)
  })

  it('near miss: resourceNames cannot grant list or create', async () => {
    const s = await store(clusterRole('one-cm', '{apiGroups: [""], resources: [configmaps], resourceNames: [app], verbs: [get, list, create]}') +
      rb('jane', 'dev', '{kind: User, name: jane}', 'ClusterRole', 'one-cm'))
    assert.equal(ask(s, 'jane', [], 'get', 'configmaps/app').allowed, true)
    for (const verb of ['list', 'create']) {
      const m = onlyMiss(ask(s, 'jane', [], verb, 'configmaps'), 'resourceNames')
      assert.match(m.message, /limited to resourceNames \[app\], which cannot grant a request without a name/)
    }
    assert.match(onlyMiss(ask(s, 'jane', [], 'get', 'configmaps/other'), 'resourceNames').message, /not "other"/)
  })

  it('near miss: roleRef points to a missing role (and the evaluation error is the server\'s)', async () => {
    const s = await store(rb('jane', 'dev', '{kind: User, name: jane}', 'Role', 'ghost'))
    const e = ask(s, 'jane', [], 'get', 'pods')
    const m = onlyMiss(e, 'missingRole')
    assert.equal(m.message, 'RoleBinding "jane/dev" refers to Role "ghost", which cannot be used: role.rbac.authorization.k8s.io "ghost" not found')
    assert.equal(e.evaluationError, 'role.rbac.authorization.k8s.io "ghost" not found')
    assert.equal(e.reason, 'RBAC: role.rbac.authorization.k8s.io "ghost" not found')
  })

  it('near miss: ServiceAccount subject without a namespace in a ClusterRoleBinding', async () => {
    const s = await store(clusterRole('reader', '{apiGroups: [""], resources: [pods], verbs: [get]}') +
      crb('ci-read', '{kind: ServiceAccount, name: deployer}', 'reader'))
    const m = onlyMiss(ask(s, 'system:serviceaccount:ci:deployer', [], 'get', 'pods', 'ci'), 'serviceAccountNamespace')
    assert.equal(m.message, 'ClusterRoleBinding "ci-read" names ServiceAccount "deployer" without a namespace, which matches no one in a ClusterRoleBinding (set namespace: ci)')
  })

  it('near miss: verb, resource and API group mismatch name the differing field', async () => {
    const s = await store(clusterRole('deployer', '{apiGroups: [apps], resources: [deployments], verbs: [get, update]}') +
      rb('jane', 'dev', '{kind: User, name: jane}', 'ClusterRole', 'deployer'))
    assert.match(onlyMiss(ask(s, 'jane', [], 'delete', 'deployments'), 'verb').message, /allows verbs \[get, update\], not "delete"/)
    assert.match(onlyMiss(ask(s, 'jane', [], 'get', 'statefulsets.apps'), 'resource').message, /covers resources \[deployments\], not "statefulsets"/)
    // A cluster that still serves extensions/v1beta1 deployments (given as --api-resources would give it).
    const discovery = offlineDiscovery([{group: 'extensions', kind: 'Deployment', namespaced: true, resource: 'deployments', shortNames: [], singular: 'deployment', version: 'v1beta1'}])
    const old = explain(s, requestAttributes(impersonatedUser('jane'), {namespace: 'dev', target: 'deployments.extensions', verb: 'get'}, {discovery}))
    assert.match(onlyMiss(old, 'apiGroup').message, /covers API groups \[apps\], not "extensions"/)
  })

  it('near miss: pods does not cover pods/exec, nor pods/log cover pods', async () => {
    const s = await store(clusterRole('exec', '{apiGroups: [""], resources: [pods, pods/log], verbs: [create, get]}') +
      rb('jane', 'dev', '{kind: User, name: jane}', 'ClusterRole', 'exec'))
    const m = onlyMiss(ask(s, 'jane', [], 'create', 'pods', 'dev', 'exec'), 'subresource')
    assert.match(m.message, /the rule covers \[pods, pods\/log\] but the request is for "pods\/exec"/)
    const logOnly = await store(clusterRole('logs', '{apiGroups: [""], resources: [pods/log], verbs: [get]}') +
      rb('jane', 'dev', '{kind: User, name: jane}', 'ClusterRole', 'logs'))
    assert.match(onlyMiss(ask(logOnly, 'jane', [], 'get', 'pods'), 'subresource').message, /covers \[pods\/log\] but the request is for "pods"/)
  })

  it('near miss: group or user name differs by an OIDC prefix', async () => {
    const s = await store(clusterRole('reader', '{apiGroups: [""], resources: [pods], verbs: [get]}') +
      crb('oidc-devs', '{kind: Group, name: "oidc:devs"}', 'reader') + crb('oidc-jane', '{kind: User, name: "oidc:jane"}', 'reader'))
    const e = ask(s, 'jane', ['devs'], 'get', 'pods')
    assert.equal(onlyMiss(e, 'groupName').message, 'ClusterRoleBinding "oidc-devs" binds Group "oidc:devs", but the user is in group "devs" (check the OIDC groups prefix / claim mapping)')
    assert.match(onlyMiss(e, 'userName').message, /binds User "oidc:jane", but the user is "jane"/)
  })

  it('non-resource URLs: verb and URL misses', async () => {
    const s = await store(clusterRole('metrics', '{nonResourceURLs: [/metrics], verbs: [get]}') + crb('m', '{kind: User, name: jane}', 'metrics'))
    assert.equal(explain(s, requestAttributes(impersonatedUser('jane'), {namespace: 'dev', target: '/metrics', verb: 'get'})).allowed, true)
    const e = explain(s, requestAttributes(impersonatedUser('jane'), {namespace: 'dev', target: '/logs', verb: 'get'}))
    assert.match(onlyMiss(e, 'nonResourceURL').message, /covers non-resource URLs \[\/metrics\], not "\/logs"/)
  })

  it('text output names the answer, grants and misses', async () => {
    const s = await store(rb('jane', 'dev', '{kind: User, name: jane}', 'Role', 'ghost'))
    const a = requestAttributes(impersonatedUser('jane'), {namespace: 'dev', target: 'pods', verb: 'get'})
    const text = explanationText(explain(s, a), describeRequest(a), a.user)
    assert.equal(text.split('\n')[0], 'no: jane may not get pods in namespace "dev"')
    assert.match(text, /near miss \(missingRole\)/)
  })
})

describe('rbac request parsing', () => {
  it('TYPE/NAME splits on the first slash as kubectl does; TYPE resolves against the built-in discovery', () => {
    const a = requestAttributes(impersonatedUser('jane'), {namespace: 'dev', target: 'po/exec', verb: 'get'})
    assert.equal(a.resource, 'pods')
    assert.equal(a.name, 'exec')
    const gr = (t: string) => {
      const {group, resource} = resolveType(t)
      return {group, resource}
    }
    assert.deepEqual(gr('deployments'), {group: 'apps', resource: 'deployments'})
    assert.deepEqual(gr('Deployment'), {group: 'apps', resource: 'deployments'})
    assert.deepEqual(gr('deploy'), {group: 'apps', resource: 'deployments'})
    assert.deepEqual(gr('deployments.apps'), {group: 'apps', resource: 'deployments'})
    assert.deepEqual(gr('deployments.v1.apps'), {group: 'apps', resource: 'deployments'})
    assert.deepEqual(gr('*'), {group: '', resource: '*'})
    // Unknown types are sent as typed, as kubectl sends them, with its warning.
    const warnings: string[] = []
    assert.deepEqual(resolveType('Widgets.example.com', {warnings}).resource, 'Widgets.example.com')
    assert.deepEqual(warnings, ["the server doesn't have a resource type 'widgets' in group 'example.com'\n"])
  })

  it('every short name, plural, singular and kind the built-in discovery serves resolves to its resource', () => {
    for (const gv of BUILTIN_API) {
      for (const r of gv.resources) {
        for (const name of [r.name, r.singular, r.kind, r.kind.toLowerCase(), ...(r.shortNames ?? []), `${r.name}.${gv.group}`, `${r.name}.${gv.version}.${gv.group}`]) {
          if (name.endsWith('.')) continue
          const warnings: string[] = []
          const got = resolveType(name, {warnings})
          assert.deepEqual([got.group, got.resource, warnings], [gv.group, r.name, []], name)
        }
      }
    }
  })

  it('a namespaced request for a cluster-scoped type gets kubectl\'s warning; -A does not', () => {
    const warnings: string[] = []
    requestAttributes(impersonatedUser('jane'), {namespace: 'default', target: 'no', verb: 'get'}, {warnings})
    requestAttributes(impersonatedUser('jane'), {namespace: '', target: 'nodes', verb: 'get'}, {warnings})
    requestAttributes(impersonatedUser('jane'), {namespace: 'default', target: 'crd', verb: 'get'}, {warnings})
    assert.deepEqual(warnings, ["resource 'nodes' is not namespace scoped\n", "resource 'customresourcedefinitions' is not namespace scoped in group 'apiextensions.k8s.io'\n"])
  })

  it('impersonated users get system:authenticated, service accounts their groups', () => {
    assert.deepEqual(impersonatedUser('jane', ['devs']).groups, ['devs', 'system:authenticated'])
    assert.deepEqual(impersonatedUser('system:serviceaccount:ci:bot').groups, ['system:serviceaccounts', 'system:serviceaccounts:ci', 'system:authenticated'])
  })
})
