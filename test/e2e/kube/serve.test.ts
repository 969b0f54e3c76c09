// authctl auth whoami / can-i and real kubectl 1.32 (protobuf bodies) against `authctl serve` on 127.0.0.1, on the
// same kubeconfig contexts: x509, static token, exec plugin user, impersonation; allowed, denied and
// no-permission paths, and --list. stdout and exit codes must be equal (stderr up to authctl's prefix and hint).
import assert from 'node:assert/strict'
import {chmodSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {startServer, type RunningServer} from '../../../src/lib/server/index.js'
import {makeTempDir, runCli, runProgram} from '../../helpers/cli.js'
import {assertSameAsKubectl, kubectlBinary} from './compare.js'
import {makePki, type Pki} from './fixtures.js'

const KUBECTL = kubectlBinary('1.32')

const policy = `
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: pod-reader}
rules:
- {apiGroups: [""], resources: [pods, pods/log], verbs: [get, list, watch]}
- {apiGroups: [apps], resources: [deployments], resourceNames: [web, api], verbs: [get]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: jane-pods, namespace: team-a}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: pod-reader}
subjects: [{kind: User, name: jane, apiGroup: rbac.authorization.k8s.io}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: devs-pods, namespace: dev}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: pod-reader}
subjects: [{kind: Group, name: developers, apiGroup: rbac.authorization.k8s.io}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: deployer}
rules:
- {apiGroups: [apps], resources: [deployments], verbs: [create, update]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: ci-deployer, namespace: ci}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: deployer}
subjects: [{kind: ServiceAccount, name: deployer, namespace: ci}]
`

describe('authctl auth vs kubectl 1.32 against authctl serve', function () {
  this.timeout(180_000)
  let tmp: Awaited<ReturnType<typeof makeTempDir>>
  let pki: Pki
  let server: RunningServer
  let kubeconfig: string

  before(async function () {
    if (!KUBECTL) this.skip()
    tmp = await makeTempDir('authctl-kube-serve-')
    pki = makePki(tmp.dir)
    const tokens = join(tmp.dir, 'tokens.csv')
    writeFileSync(tokens, 'tok-admin,admin,u-admin,"system:masters"\ntok-dev,dave,u-dave,"developers"\ntok-exec,exec-erin,u-erin,"developers"\ntok-anon-ish,nobody,u-nobody,""\n')
    const policyFile = join(tmp.dir, 'policy.yaml')
    writeFileSync(policyFile, policy)
    server = await startServer({
      clientCAFile: pki.caFile,
      policyPaths: [policyFile],
      port: 0,
      reloadIntervalMs: 0,
      tlsCertFile: join(tmp.dir, 'server.crt'),
      tlsKeyFile: join(tmp.dir, 'server.key'),
      tokenAuthFile: tokens,
    })
    const plugin = join(tmp.dir, 'plugin.js')
    writeFileSync(plugin, `#!/usr/bin/env node\nprocess.stdout.write(JSON.stringify({kind: 'ExecCredential', apiVersion: 'client.authentication.k8s.io/v1', status: {token: 'tok-exec'}}))\n`)
    chmodSync(plugin, 0o755)
    kubeconfig = join(tmp.dir, 'kubeconfig')
    writeFileSync(
      kubeconfig,
      `apiVersion: v1
kind: Config
clusters:
- {name: ref, cluster: {server: "${server.url}", certificate-authority: ${pki.caFile}}}
users:
- {name: jane, user: {client-certificate: ${pki.clientCertFile}, client-key: ${pki.clientKeyFile}}}
- {name: admin, user: {token: tok-admin}}
- {name: dave, user: {token: tok-dev}}
- {name: erin, user: {exec: {apiVersion: client.authentication.k8s.io/v1, command: ${plugin}, interactiveMode: Never}}}
- {name: stranger, user: {token: tok-unknown}}
contexts:
- {name: jane, context: {cluster: ref, user: jane, namespace: team-a}}
- {name: admin, context: {cluster: ref, user: admin}}
- {name: dave, context: {cluster: ref, user: dave, namespace: dev}}
- {name: erin, context: {cluster: ref, user: erin, namespace: dev}}
- {name: stranger, context: {cluster: ref, user: stranger}}
current-context: jane
`,
    )
  })
  after(async () => {
    await server?.close()
    await tmp?.cleanup()
  })

  const cases: string[][] = [
    // x509
    ['auth', 'whoami'],
    ['auth', 'can-i', 'get', 'pods'],
    ['auth', 'can-i', 'list', 'po'],
    ['auth', 'can-i', 'get', 'pods', '--subresource=log'],
    ['auth', 'can-i', 'get', 'deployments.apps/web'],
    ['auth', 'can-i', 'get', 'deploy/db'],
    ['auth', 'can-i', 'delete', 'pods'],
    ['auth', 'can-i', 'get', 'pods', '-n', 'prod'],
    ['auth', 'can-i', 'get', 'pods', '-A'],
    ['auth', 'can-i', 'get', 'secrets', '-q'],
    ['auth', 'can-i', 'get', 'nodes'],
    ['auth', 'can-i', 'get', '/healthz'],
    ['auth', 'can-i', 'get', '/metrics'],
    ['auth', 'can-i', '--list'],
    ['auth', 'can-i', '--list', '-n', 'prod', '--no-headers'],
    // static token
    ['auth', 'whoami', '--context', 'dave'],
    ['auth', 'can-i', 'watch', 'pods', '--context', 'dave'],
    ['auth', 'can-i', '--list', '--context', 'dave'],
    // exec plugin user
    ['auth', 'whoami', '--context', 'erin'],
    ['auth', 'can-i', 'get', 'pods', '--context', 'erin'],
    // impersonation (admin may impersonate; jane may not)
    ['auth', 'whoami', '--context', 'admin', '--as', 'jane', '--as-group', 'developers'],
    ['auth', 'can-i', 'get', 'pods', '-n', 'dev', '--context', 'admin', '--as', 'bob', '--as-group', 'developers'],
    ['auth', 'can-i', 'create', 'deployments', '-n', 'ci', '--context', 'admin', '--as', 'system:serviceaccount:ci:deployer'],
    ['auth', 'can-i', '--list', '-n', 'ci', '--context', 'admin', '--as', 'system:serviceaccount:ci:deployer'],
    ['auth', 'can-i', '*', '*', '--context', 'admin'],
    ['auth', 'whoami', '--as', 'admin'],
    ['auth', 'can-i', 'get', 'pods', '--as', 'admin'],
    // no credentials the server accepts
    ['auth', 'whoami', '--context', 'stranger'],
    ['auth', 'can-i', 'get', 'pods', '--context', 'stranger'],
  ]
  const env = () => ({KUBECACHEDIR: join(tmp.dir, 'kube-cache'), KUBECONFIG: kubeconfig})
  for (const args of cases) {
    it(args.join(' '), async () => {
      await assertSameAsKubectl(KUBECTL!, args, env())
    })
  }

  it('auth whoami -o json|yaml: same document as kubectl (creationTimestamp is the time of each request)', async () => {
    for (const format of ['json', 'yaml']) {
      const args = ['auth', 'whoami', '-o', format]
      const [mine, theirs] = [await runCli(args, {env: env()}), await runProgram(KUBECTL!, args, {env: env()})]
      const stamp = /("?creationTimestamp"?: )"?[^"\n]+"?/
      assert.equal(mine.exitCode, 0, mine.stderr)
      assert.match(mine.stdout, stamp)
      assert.equal(mine.stdout.replace(stamp, '$1X'), theirs.stdout.replace(stamp, '$1X'))
    }
  })

  it('a forbidden impersonation is named in the hint', async () => {
    const {mine} = await assertSameAsKubectl(KUBECTL!, ['auth', 'whoami', '--as', 'admin'], env())
    assert.match(mine.stderr, /\(users "admin" is forbidden: User "jane" cannot impersonate resource "users"/)
    const canI = await assertSameAsKubectl(KUBECTL!, ['auth', 'can-i', 'get', 'pods', '--as', 'admin'], env())
    assert.match(canI.mine.stderr, /\(impersonation needs RBAC "impersonate"/)
  })

  it('--batch against the server: a passing and a failing gate', async () => {
    const file = join(tmp.dir, 'gate.yaml')
    writeFileSync(file, `- {verb: get, resource: pods, namespace: team-a, expect: yes}
- {verb: get, resource: secrets, namespace: team-a, expect: no}
- {verb: create, resource: deployments, namespace: ci, as: "system:serviceaccount:ci:deployer", expect: yes}
`)
    const ok = await runCli(['auth', 'can-i', '--batch', file], {env: env()})
    assert.equal(ok.exitCode, 1, 'jane may not impersonate the ServiceAccount, so the third check errors')
    assert.match(ok.stdout, /\nFAIL +create deployments -n ci --as system:serviceaccount:ci:deployer +error +yes +Error from server \(Forbidden\)/)
    const asAdmin = await runCli(['auth', 'can-i', '--batch', file, '--context', 'admin'], {env: env()})
    assert.equal(asAdmin.exitCode, 1, 'admin may read secrets, so the second expectation fails')
    assert.match(asAdmin.stdout, /\nFAIL +get secrets -n team-a +yes +no +\n/)
    assert.match(asAdmin.stdout, /\nPASS +create deployments -n ci --as system:serviceaccount:ci:deployer +yes +yes +RBAC: allowed by RoleBinding "ci-deployer\/ci"/)
  })
})
