// `can-i --list` parity: for generated policies (overlapping rules, duplicate verbs, resourceNames, non-resource URLs,
// bootstrap roles), authctl prints byte for byte what real kubectl 1.32 prints against `authctl serve` loaded with
// the same policy: `rbac can-i --list` offline from the file, `auth can-i --list` from the server's rules review.
import assert from 'node:assert/strict'
import {existsSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import fc from 'fast-check'

import {startServer, type RunningServer} from '../../../src/lib/server/index.js'
import {listRules, rulesTable} from '../../../src/lib/kube/rules.js'
import {rulesFor} from '../../../src/lib/rbac/authorize.js'
import {impersonatedUser} from '../../../src/lib/api/user.js'
import {loadPolicySources} from '../../../src/lib/rbac/source.js'
import {makeTempDir, runCli, runProgram} from '../../helpers/cli.js'
import {makePki} from './fixtures.js'

const KUBECTL = '/usr/lib/google-cloud-sdk/bin/kubectl.1.32'
const CASES = 200
const NAMESPACES = ['ns-a', 'ns-b']
const BOOTSTRAP_ROLES = ['view', 'edit', 'admin', 'cluster-admin', 'system:discovery', 'system:basic-user']

const resourceRule = fc.record({
  apiGroups: fc.array(fc.constantFrom('', 'apps', 'batch', '*'), {maxLength: 2, minLength: 1}),
  resources: fc.array(fc.constantFrom('pods', 'pods/log', 'secrets', 'deployments', 'jobs', '*'), {maxLength: 3, minLength: 1}),
  // Duplicates allowed: the same verb granted twice must still print once.
  verbs: fc.array(fc.constantFrom('get', 'list', 'watch', 'create', 'delete', '*'), {maxLength: 3, minLength: 1}),
  resourceNames: fc.option(fc.array(fc.constantFrom('a', 'b', 'web'), {maxLength: 2, minLength: 1}), {nil: undefined}),
})
const urlRule = fc.record({
  nonResourceURLs: fc.array(fc.constantFrom('/healthz', '/metrics', '/logs/*', '/api'), {maxLength: 2, minLength: 1}),
  verbs: fc.array(fc.constantFrom('get', 'post', '*'), {maxLength: 2, minLength: 1}),
})
const role = fc.record({
  cluster: fc.boolean(),
  namespace: fc.constantFrom(...NAMESPACES),
  rules: fc.array(fc.oneof(resourceRule, resourceRule, urlRule), {maxLength: 3, minLength: 1}),
})
const binding = fc.record({
  cluster: fc.boolean(),
  namespace: fc.constantFrom(...NAMESPACES),
  // An own role by index, or a bootstrap ClusterRole.
  roleRef: fc.oneof(fc.nat({max: 2}), fc.constantFrom(...BOOTSTRAP_ROLES)),
  toGroup: fc.boolean(),
})
const policyCase = fc.record({
  bindings: fc.array(binding, {maxLength: 3, minLength: 1}),
  roles: fc.array(role, {maxLength: 3, minLength: 1}),
  withGroup: fc.boolean(),
})
type PolicyCase = typeof policyCase extends fc.Arbitrary<infer T> ? T : never

/** The case's objects as YAML documents; every name carries the case number, so all cases share one policy. */
function documents(c: PolicyCase, i: number): string[] {
  const docs: string[] = []
  const roles = c.roles.map((r, j) => {
    // Roles cannot hold non-resource URLs; those rules go to ClusterRoles only.
    const rules = r.cluster ? r.rules : r.rules.filter((rule) => !('nonResourceURLs' in rule))
    const kind = r.cluster && rules.length > 0 ? 'ClusterRole' : 'Role'
    const name = `c${i}-r${j}`
    docs.push(JSON.stringify({apiVersion: 'rbac.authorization.k8s.io/v1', kind, metadata: kind === 'Role' ? {name, namespace: r.namespace} : {name}, rules}))
    return {kind, name, namespace: r.namespace}
  })
  c.bindings.forEach((b, j) => {
    const own = typeof b.roleRef === 'number' ? roles[b.roleRef % roles.length] : undefined
    const roleRef = own ? {apiGroup: 'rbac.authorization.k8s.io', kind: own.kind, name: own.name} : {apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: b.roleRef as string}
    // A RoleBinding to a Role lives in the Role's namespace (else it names a missing role: an evaluation error, fine too).
    const namespace = own?.kind === 'Role' && !b.cluster ? own.namespace : b.namespace
    const cluster = b.cluster && roleRef.kind === 'ClusterRole'
    const subject = b.toGroup && c.withGroup ? {apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: `g${i}`} : {apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: `u${i}`}
    docs.push(JSON.stringify({
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: cluster ? 'ClusterRoleBinding' : 'RoleBinding',
      metadata: cluster ? {name: `c${i}-b${j}`} : {name: `c${i}-b${j}`, namespace}, roleRef, subjects: [subject],
    }))
  })
  return docs
}

describe('can-i --list: byte-identical to kubectl 1.32 for generated policies', function () {
  this.timeout(600_000)
  let tmp: Awaited<ReturnType<typeof makeTempDir>>
  let server: RunningServer
  let cases: PolicyCase[]
  let policyPath: string
  const seed = Number(process.env.AUTHCTL_PARITY_SEED ?? 20_261_206)

  before(async function () {
    if (!existsSync(KUBECTL)) this.skip()
    tmp = await makeTempDir('authctl-list-parity-')
    const pki = makePki(tmp.dir)
    cases = fc.sample(policyCase, {numRuns: CASES, seed})
    policyPath = join(tmp.dir, 'policy.yaml')
    writeFileSync(policyPath, cases.flatMap((c, i) => documents(c, i)).join('\n---\n') + '\n')
    writeFileSync(join(tmp.dir, 'tokens.csv'), 'admin-token,admin,1,system:masters\n')
    server = await startServer({
      clientCAFile: pki.caCert, policyPaths: [policyPath], port: 0, reloadIntervalMs: 0,
      tlsCertFile: pki.serverCert, tlsKeyFile: pki.serverKey, tokenAuthFile: join(tmp.dir, 'tokens.csv'),
    })
    writeFileSync(join(tmp.dir, 'kubeconfig'), `apiVersion: v1
kind: Config
clusters: [{name: ref, cluster: {server: "${server.url}", certificate-authority: ${JSON.stringify(pki.caCert)}}}]
users: [{name: admin, user: {token: admin-token}}]
contexts: [{name: admin, context: {cluster: ref, user: admin, namespace: ns-a}}]
current-context: admin
`)
  })
  after(async () => {
    await server?.close()
    await tmp?.cleanup()
  })

  const identity = (i: number) => ({groups: cases[i].withGroup ? [`g${i}`] : [], username: `u${i}`})
  const asFlags = (i: number) => ['--as', `u${i}`, ...identity(i).groups.flatMap((g) => ['--as-group', g])]
  const env = () => ({KUBECACHEDIR: join(tmp.dir, 'cache'), KUBECONFIG: join(tmp.dir, 'kubeconfig')})

  it(`${CASES} generated policies: the offline rules table equals kubectl's output`, async () => {
    const {store} = await loadPolicySources({bootstrap: true, paths: [policyPath]})
    let next = 0
    const failures: string[] = []
    // Bounded concurrency: a few kubectl processes at a time.
    const worker = async () => {
      for (let i = next++; i < CASES; i = next++) {
        const theirs = await runProgram(KUBECTL, ['auth', 'can-i', '--list', '-n', 'ns-a', ...asFlags(i)], {env: env()})
        assert.equal(theirs.exitCode, 0, theirs.stderr)
        const {groups, username} = identity(i)
        const ours = rulesTable(listRules(rulesFor(store, impersonatedUser(username, groups), 'ns-a')))
        if (ours !== theirs.stdout) failures.push(`case ${i} (seed ${seed}): ${documents(cases[i], i).join('\n')}\n--- kubectl\n${theirs.stdout}--- authctl\n${ours}`)
      }
    }
    await Promise.all([worker(), worker(), worker()])
    assert.deepEqual(failures.slice(0, 1), [])
  })

  it('the CLIs print the same bytes: `auth can-i --list` against serve and `rbac can-i --list` on the file', async () => {
    for (let i = 0; i < 4; i++) {
      const theirs = await runProgram(KUBECTL, ['auth', 'can-i', '--list', '-n', 'ns-a', ...asFlags(i)], {env: env()})
      const live = await runCli(['auth', 'can-i', '--list', '-n', 'ns-a', ...asFlags(i)], {env: env()})
      const offline = await runCli(['rbac', 'can-i', '--list', '-n', 'ns-a', ...asFlags(i), '-f', policyPath])
      assert.equal(live.stdout, theirs.stdout, `auth can-i --list, case ${i}`)
      assert.equal(offline.stdout, theirs.stdout, `rbac can-i --list, case ${i}`)
      assert.equal(offline.exitCode, 0)
    }
  })

  it("the seed's pod-reader plus the built-in view: one pods row in sorted place, as kubectl prints it", async () => {
    const seedPolicy = join(tmp.dir, 'seed.yaml')
    writeFileSync(seedPolicy, `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: pod-reader}
rules: [{apiGroups: [""], resources: [pods], verbs: [get, list, watch]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: jane-pods}
subjects: [{kind: User, name: jane}]
roleRef: {kind: ClusterRole, name: pod-reader, apiGroup: rbac.authorization.k8s.io}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: jane-view, namespace: default}
subjects: [{kind: User, name: jane}]
roleRef: {kind: ClusterRole, name: view, apiGroup: rbac.authorization.k8s.io}
`)
    const r = await runCli(['rbac', 'can-i', '--list', '--as', 'jane', '-f', seedPolicy])
    const pods = r.stdout.split('\n').filter((l) => /^pods +/.test(l))
    assert.deepEqual(pods.map((l) => l.replace(/ +/g, ' ')), ['pods [] [] [get list watch]'])
    const lines = r.stdout.split('\n')
    assert.ok(lines.indexOf(pods[0]) > lines.findIndex((l) => l.startsWith('bindings')), 'pods sorts after bindings, among the [get list watch] rows')
  })
})
