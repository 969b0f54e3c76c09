import assert from 'node:assert/strict'
import {writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {makeTempDir, runCli} from '../../helpers/cli.js'

const POLICY = `
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: pod-reader, namespace: dev}
rules:
- {apiGroups: [""], resources: [pods], verbs: [get, list]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: jane-pods, namespace: dev}
subjects: [{kind: User, name: jane}]
roleRef: {kind: Role, name: pod-reader, apiGroup: rbac.authorization.k8s.io}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: jane-edit, namespace: staging}
subjects: [{kind: User, name: jane}]
roleRef: {kind: ClusterRole, name: edit, apiGroup: rbac.authorization.k8s.io}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: not-rbac}
`

// A kubectl get -o yaml List dump, as read from stdin.
const LIST = `
apiVersion: v1
kind: List
items:
- apiVersion: rbac.authorization.k8s.io/v1
  kind: ClusterRoleBinding
  metadata: {name: ci-secrets}
  subjects: [{kind: ServiceAccount, name: deployer, namespace: ci}]
  roleRef: {kind: ClusterRole, name: secret-reader, apiGroup: rbac.authorization.k8s.io}
- apiVersion: rbac.authorization.k8s.io/v1
  kind: ClusterRole
  metadata: {name: secret-reader}
  rules: [{apiGroups: [""], resources: [secrets], verbs: [get, list]}]
`

describe('authctl rbac (offline)', function () {
  let dir: string
  let cleanup: () => Promise<void>
  let policy: string
  before(async () => {
    ;({cleanup, dir} = await makeTempDir())
    policy = join(dir, 'policy.yaml')
    await writeFile(policy, POLICY)
  })
  after(() => cleanup())

  it('can-i answers yes/no with exit 0/1 like kubectl auth can-i, skipping non-RBAC objects with a warning', async () => {
    const yes = await runCli(['rbac', 'can-i', 'get', 'pods', '-n', 'dev', '--as', 'jane', '-f', policy])
    assert.equal(yes.stdout, 'yes\n')
    assert.equal(yes.exitCode, 0)
    assert.match(yes.stderr, /Warning: .*skipping ConfigMap "not-rbac"/)
    const no = await runCli(['rbac', 'can-i', 'delete', 'pods', '-n', 'dev', '--as', 'jane', '-f', policy])
    assert.equal(no.stdout, 'no\n')
    assert.equal(no.exitCode, 1)
    const quiet = await runCli(['rbac', 'can-i', 'delete', 'pods', '-n', 'staging', '--as', 'jane', '-f', policy, '-q'])
    assert.equal(quiet.stdout, '')
    assert.equal(quiet.exitCode, 0)
  })

  it('can-i reads a List dump from stdin and --json gives the reason', async () => {
    const r = await runCli(['rbac', 'can-i', 'list', 'secrets', '-A', '--as', 'system:serviceaccount:ci:deployer', '-f', '-', '--json'], {input: LIST})
    assert.equal(r.exitCode, 0)
    const doc = JSON.parse(r.stdout)
    assert.equal(doc.allowed, true)
    assert.equal(doc.reason, 'RBAC: allowed by ClusterRoleBinding "ci-secrets" of ClusterRole "secret-reader" to ServiceAccount "deployer/ci"')
  })

  it('can-i: usage errors exit 2; a missing policy file is reported', async () => {
    const args = await runCli(['rbac', 'can-i', 'get', '--as', 'jane', '-f', policy])
    assert.equal(args.exitCode, 2)
    assert.match(args.stderr, /you must specify two arguments/)
    const missing = await runCli(['rbac', 'can-i', 'get', 'pods', '--as', 'jane', '-f', join(dir, 'nope.yaml')])
    assert.notEqual(missing.exitCode, 0)
    assert.match(missing.stderr, /cannot read policy .*no such file or directory/)
  })

  it('explain prints grants or near misses; --json carries them', async () => {
    const r = await runCli(['rbac', 'explain', 'delete', 'pods', '-n', 'dev', '--as', 'jane', '-f', policy])
    assert.equal(r.exitCode, 1)
    assert.match(r.stdout, /^no: jane may not delete pods in namespace "dev"\n/)
    assert.match(r.stdout, /near miss \(namespace\): RoleBinding "jane-edit\/staging" grants ClusterRole "edit" only in namespace "staging"/)
    assert.match(r.stdout, /near miss \(verb\): RoleBinding "jane-pods\/dev" of Role "pod-reader" to User "jane": the rule allows verbs \[get, list\], not "delete"/)
    const j = await runCli(['rbac', 'explain', 'get', 'pods', '-n', 'dev', '--as', 'jane', '-f', policy, '--json'])
    assert.equal(j.exitCode, 0)
    const doc = JSON.parse(j.stdout)
    assert.equal(doc.allowed, true)
    assert.deepEqual(doc.grants.map((g: any) => g.description), ['RoleBinding "jane-pods/dev" of Role "pod-reader" to User "jane"'])
    assert.equal(doc.request.namespace, 'dev')
  })

  it('who-can lists subjects with their bindings, system:masters last', async () => {
    const r = await runCli(['rbac', 'who-can', 'delete', 'pods', '-n', 'staging', '-f', policy])
    assert.equal(r.exitCode, 0)
    const lines = r.stdout.trim().split('\n')
    assert.match(lines[0], /^KIND\s+NAME\s+BINDING\s+ROLE$/)
    assert.ok(lines.some((l) => /^User\s+jane\s+RoleBinding\/staging\/jane-edit\s+ClusterRole\/edit$/.test(l)), r.stdout)
    assert.match(lines.at(-1)!, /^Group\s+system:masters\s+\(privileged authorizer\)/)
    const dev = await runCli(['rbac', 'who-can', 'delete', 'pods', '-n', 'dev', '-f', policy, '--no-bootstrap', '--json'])
    assert.deepEqual(JSON.parse(dev.stdout).entries, [])
  })

  it('matrix prints a verb × resource table', async () => {
    const r = await runCli(['rbac', 'matrix', '--as', 'jane', '-n', 'dev', '-f', policy, '--no-bootstrap'])
    assert.equal(r.exitCode, 0)
    assert.equal(r.stdout, [
      'NAME   GET   LIST   WATCH   CREATE   UPDATE   PATCH   DELETE   DELETECOLLECTION',
      'pods   ✔     ✔      ✖       ✖        ✖        ✖       ✖        ✖',
      '',
    ].join('\n'))
    const sel = await runCli(['rbac', 'matrix', '--as', 'jane', '-n', 'staging', '-f', policy, '--resource', 'deployments', '--resource', 'secrets', '--verb', 'get', '--verb', 'delete', '--json'])
    assert.deepEqual(JSON.parse(sel.stdout).rows, [
      {group: 'apps', resource: 'deployments', verbs: {delete: true, get: true}},
      {group: '', resource: 'secrets', verbs: {delete: true, get: true}},
    ])
  })

  it('test: a CI gate — exit 0 when every expectation holds, 1 with a readable diff otherwise', async () => {
    const good = join(dir, 'good.yaml')
    await writeFile(good, '- jane can get pods in dev\n- jane cannot delete pods in dev\n- {as: jane, verb: create, resource: pods, subresource: exec, namespace: staging, expect: allow}\n')
    const ok = await runCli(['rbac', 'test', good, '-f', policy])
    assert.equal(ok.exitCode, 0, ok.stdout + ok.stderr)
    assert.equal(ok.stdout.split('\n').filter((l) => l.startsWith('PASS')).length, 3)
    assert.match(ok.stderr, /3\/3 expectations met/)

    const bad = join(dir, 'bad.yaml')
    await writeFile(bad, 'tests:\n- jane can delete pods in dev\n- jane cannot create pods/exec in staging\n- jane can get pods in dev\n')
    const fail = await runCli(['rbac', 'test', bad, '-f', policy])
    assert.equal(fail.exitCode, 1)
    assert.match(fail.stdout, /FAIL {2}jane can delete pods in dev\n {2}- expected: allow\n {2}\+ actual: {3}deny\n {6}near miss \(namespace\)/)
    assert.match(fail.stdout, /FAIL {2}jane cannot create pods\/exec in staging\n {2}- expected: deny\n {2}\+ actual: {3}allow\n {6}allowed by RoleBinding "jane-edit\/staging" of ClusterRole "edit" to User "jane"/)
    assert.match(fail.stdout, /PASS {2}jane can get pods in dev/)
    assert.match(fail.stderr, /1\/3 expectations met/)
    const doc = JSON.parse((await runCli(['rbac', 'test', bad, '-f', policy, '--json'])).stdout)
    assert.equal(doc.failed, 2)

    const unreadable = join(dir, 'unreadable.yaml')
    await writeFile(unreadable, '- jane might get pods\n')
    const u = await runCli(['rbac', 'test', unreadable, '-f', policy])
    assert.equal(u.exitCode, 2)
    assert.match(u.stderr, /cannot read "jane might get pods"/)
  })

  it('every command: a missing -f file or tests file exits 2 (1 means "no"), naming the file', async () => {
    const nothere = join(dir, 'nothere.yaml')
    const tests = join(dir, 'ok-tests.yaml')
    await writeFile(tests, '- jane can get pods in dev\n')
    const cases: string[][] = [
      ['rbac', 'can-i', 'delete', 'secrets', '--as', 'jane', '-f', nothere, '-q'],
      ['rbac', 'explain', 'delete', 'secrets', '--as', 'jane', '-f', nothere],
      ['rbac', 'who-can', 'delete', 'secrets', '-f', nothere],
      ['rbac', 'matrix', '--as', 'jane', '-f', nothere],
      ['rbac', 'test', tests, '-f', nothere],
      ['rbac', 'test', join(dir, 'no-tests.yaml'), '-f', policy],
      ['rbac', 'can-i', 'get', 'widgets', '--as', 'jane', '-f', policy, '--api-resources', join(dir, 'no-crds.txt')],
    ]
    for (const args of cases) {
      const r = await runCli(args)
      assert.equal(r.exitCode, 2, `${args.join(' ')}: ${r.stderr}`)
      assert.match(r.stderr, /^error: cannot read .*(nothere|no-tests|no-crds)[^"]*": no such file or directory/, args.join(' '))
      assert.equal(r.stdout, '')
    }
  })

  it('resolves TYPE as kubectl does: short names, kinds, TYPE.group; unknown types warn and answer no', async () => {
    for (const type of ['po', 'pod', 'Pod', 'pods', 'pods.v1.']) {
      const r = await runCli(['rbac', 'can-i', 'list', type, '-n', 'dev', '--as', 'jane', '-f', policy])
      assert.deepEqual([r.exitCode, r.stdout, r.stderr.replace(/^Warning: [^\n]*skipping[^\n]*\n/gm, '')], [0, 'yes\n', ''], type)
    }
    for (const type of ['deploy', 'Deployment', 'deployments.apps', 'deployments.v1.apps']) {
      const r = await runCli(['rbac', 'can-i', 'create', type, '-n', 'staging', '--as', 'jane', '-f', policy])
      assert.equal(r.stdout, 'yes\n', type)
    }
    const typo = await runCli(['rbac', 'can-i', 'list', 'pdos', '-n', 'dev', '--as', 'jane', '-f', policy])
    assert.equal(typo.exitCode, 1)
    assert.equal(typo.stdout, 'no\n')
    assert.match(typo.stderr, /^Warning: the server doesn't have a resource type 'pdos'\n\n/m)
    // Subresources in tests and matrix resolve their TYPE too.
    const tests = join(dir, 'sub-tests.yaml')
    await writeFile(tests, '- jane can get po/log in staging\n- jane cannot create po/exec in dev\n')
    const t = await runCli(['rbac', 'test', tests, '-f', policy])
    assert.equal(t.exitCode, 0, t.stdout)
    const m = await runCli(['rbac', 'matrix', '--as', 'jane', '-n', 'staging', '--resource', 'po/log', '--resource', 'deploy', '--verb', 'get', '-f', policy])
    assert.match(m.stdout, /^pods\/log +✔$/m)
    assert.match(m.stdout, /^deployments\.apps +✔$/m)
  })

  it('--api-resources: a CRD from kubectl api-resources -o wide output or a discovery JSON dump resolves', async () => {
    const crdPolicy = join(dir, 'crd-policy.yaml')
    await writeFile(crdPolicy, `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: widget-reader}
rules: [{apiGroups: [example.com], resources: [widgets], verbs: [get]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: jane-widgets}
subjects: [{kind: User, name: jane}]
roleRef: {kind: ClusterRole, name: widget-reader, apiGroup: rbac.authorization.k8s.io}
`)
    const table = join(dir, 'api-resources.txt')
    await writeFile(table, [
      'NAME         SHORTNAMES   APIVERSION           NAMESPACED   KIND     VERBS                                                        CATEGORIES',
      'bindings                  v1                   true         Binding  create                                                       ',
      'widgets      wd,wdg       example.com/v1       true         Widget   create,delete,deletecollection,get,list,patch,update,watch   all',
      '',
    ].join('\n'))
    const json = join(dir, 'api-resources.json')
    await writeFile(json, JSON.stringify({apiVersion: 'v1', groupVersion: 'example.com/v1', kind: 'APIResourceList', resources: [
      {kind: 'Widget', name: 'widgets', namespaced: true, shortNames: ['wd'], singularName: 'widget', verbs: ['get']},
      {kind: 'Widget', name: 'widgets/status', namespaced: true, singularName: '', verbs: ['get']},
    ]}))
    const without = await runCli(['rbac', 'can-i', 'get', 'wd', '--as', 'jane', '-f', crdPolicy])
    assert.equal(without.stdout, 'no\n')
    assert.match(without.stderr, /the server doesn't have a resource type 'wd'/)
    for (const file of [table, json]) {
      for (const type of ['wd', 'widget', 'Widget', 'widgets.example.com']) {
        const r = await runCli(['rbac', 'can-i', 'get', type, '--as', 'jane', '-f', crdPolicy, '--api-resources', file])
        assert.deepEqual([r.exitCode, r.stdout, r.stderr], [0, 'yes\n', ''], `${file} ${type}`)
      }
    }
    // Built-in types still resolve with a CRD file given.
    const po = await runCli(['rbac', 'can-i', 'get', 'po', '-n', 'dev', '--as', 'jane', '-f', policy, '--api-resources', table])
    assert.equal(po.stdout, 'yes\n')
    await writeFile(join(dir, 'garbage.txt'), 'hello world\n')
    const bad = await runCli(['rbac', 'can-i', 'get', 'wd', '--as', 'jane', '-f', crdPolicy, '--api-resources', join(dir, 'garbage.txt')])
    assert.equal(bad.exitCode, 2)
    assert.match(bad.stderr, /garbage\.txt: expected a table with the columns NAME, SHORTNAMES, APIVERSION, NAMESPACED, KIND/)
  })
})
