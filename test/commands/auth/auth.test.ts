// The built CLI (`authctl auth whoami|can-i`) against a fake API on 127.0.0.1, next to real kubectl 1.30 on the same
// kubeconfig contexts: stdout and exit codes must be equal; stderr equal up to authctl's "error: " prefix and hint.
import assert from 'node:assert/strict'
import {chmodSync, writeFileSync} from 'node:fs'
import net from 'node:net'
import {join} from 'node:path'

import {makeTempDir, runCli} from '../../helpers/cli.js'
import {assertSameAsKubectl, kubectlBinary} from '../../e2e/kube/compare.js'
import {type FakeApi, makePki, type Pki, startFakeApi} from '../../e2e/kube/fixtures.js'

// 1.30 sends JSON review bodies; kubectl 1.32's protobuf bodies are for `authctl serve`, which decodes them.
const KUBECTL = kubectlBinary('1.30')

const plugin = `#!/usr/bin/env node
process.stderr.write('plugin ran\\n')
process.stdout.write(JSON.stringify({kind: 'ExecCredential', apiVersion: 'client.authentication.k8s.io/v1', status: {token: 'tok-exec'}}))
`

describe('authctl auth whoami / can-i (built CLI) vs kubectl', function () {
  this.timeout(180_000)
  let tmp: Awaited<ReturnType<typeof makeTempDir>>
  let pki: Pki
  let api: FakeApi
  let kubeconfig: string

  before(async () => {
    tmp = await makeTempDir('authctl-auth-cmd-')
    pki = makePki(tmp.dir)
    api = await startFakeApi(pki, {
      decide: (spec, user) => {
        const r = spec.resourceAttributes
        if (user.groups.includes('dev') && r?.resource === 'pods') return {allowed: true, reason: 'RBAC: allowed by RoleBinding "dev/team-a" of Role "pod-reader" to Group "dev"'}
        if (user.username === 'system:serviceaccount:ci:deployer' && r?.resource === 'deployments') return {allowed: true}
        return {allowed: false}
      },
      override: (req) =>
        req.headers.authorization === 'Bearer tok-forbidden' && req.method === 'POST'
          ? {body: JSON.stringify({apiVersion: 'v1', code: 403, kind: 'Status', message: `${req.path.split('/').pop()}.authorization.k8s.io is forbidden: User "nobody" cannot create resource`, metadata: {}, reason: 'Forbidden', status: 'Failure'}), status: 403}
          : undefined,
      rules: (_ns, user) => ({
        incomplete: false,
        nonResourceRules: [{nonResourceURLs: ['/api', '/api/*'], verbs: ['get']}],
        resourceRules: [
          {apiGroups: ['authorization.k8s.io'], resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'], verbs: ['create']},
          ...(user.groups.includes('dev') ? [{apiGroups: [''], resources: ['pods', 'pods/log'], verbs: ['get', 'list', 'watch']}] : []),
        ],
      }),
      tokens: {
        'tok-ci': {groups: ['system:serviceaccounts', 'system:serviceaccounts:ci'], uid: 'sa-1', username: 'system:serviceaccount:ci:deployer'},
        'tok-exec': {groups: ['exec-users'], username: 'exec-jane'},
        'tok-forbidden': {groups: [], username: 'nobody'},
      },
    })
    const pluginPath = join(tmp.dir, 'plugin.js')
    writeFileSync(pluginPath, plugin)
    chmodSync(pluginPath, 0o755)
    kubeconfig = join(tmp.dir, 'kubeconfig')
    writeFileSync(
      kubeconfig,
      `apiVersion: v1
kind: Config
clusters:
- {name: c, cluster: {server: "${api.url}", certificate-authority: ${pki.caFile}}}
- {name: wrong-ca, cluster: {server: "${api.url}", certificate-authority-data: ${Buffer.from(pki.otherCaPem).toString('base64')}}}
users:
- {name: jane, user: {client-certificate: ${pki.clientCertFile}, client-key: ${pki.clientKeyFile}}}
- {name: ci, user: {token: tok-ci}}
- {name: exec, user: {exec: {apiVersion: client.authentication.k8s.io/v1, command: ${pluginPath}, interactiveMode: Never}}}
- {name: nobody, user: {token: tok-forbidden}}
- {name: stranger, user: {token: tok-unknown}}
contexts:
- {name: x509, context: {cluster: c, user: jane, namespace: team-a}}
- {name: token, context: {cluster: c, user: ci, namespace: ci}}
- {name: exec, context: {cluster: c, user: exec}}
- {name: nobody, context: {cluster: c, user: nobody}}
- {name: stranger, context: {cluster: c, user: stranger}}
- {name: wrong-ca, context: {cluster: wrong-ca, user: jane}}
current-context: x509
`,
    )
  })
  after(async () => {
    await api?.close()
    await tmp?.cleanup()
  })

  const env = () => ({KUBECACHEDIR: join(tmp.dir, 'cache'), KUBECONFIG: kubeconfig})
  const ours = (args: string[]) => runCli(args, {env: env()})

  const same: string[][] = [
    ['auth', 'whoami'],
    ['auth', 'whoami', '-o', 'json'],
    ['auth', 'whoami', '-o', 'yaml'],
    ['auth', 'whoami', '--context', 'token'],
    ['auth', 'whoami', '--context', 'exec'],
    ['auth', 'whoami', '--as', 'bob', '--as-group', 'g1', '--as-group', 'g2', '--as-uid', 'u-7'],
    ['auth', 'whoami', '--as', 'system:serviceaccount:ci:deployer'],
    ['auth', 'whoami', '--as-group', 'g1'],
    ['auth', 'whoami', '--context', 'nobody'],
    ['auth', 'whoami', '--context', 'stranger'],
    ['auth', 'can-i', 'get', 'pods'],
    ['auth', 'can-i', 'get', 'po/web', '-n', 'prod'],
    ['auth', 'can-i', 'delete', 'secrets'],
    ['auth', 'can-i', 'get', 'nodes'],
    ['auth', 'can-i', 'get', 'widgets.example.com'],
    ['auth', 'can-i', 'frob', '/logs'],
    ['auth', 'can-i', 'get', 'pods', '--subresource=log', '-A'],
    ['auth', 'can-i', 'get', 'pods', '-q'],
    ['auth', 'can-i', 'delete', 'nodes', '-q'],
    ['auth', 'can-i', 'create', 'deploy', '--context', 'token'],
    ['auth', 'can-i', 'create', 'deploy', '--as', 'system:serviceaccount:ci:deployer'],
    ['auth', 'can-i', 'get', 'pods', '--context', 'exec'],
    ['auth', 'can-i', 'get', 'pods', '--context', 'nobody'],
    ['auth', 'can-i', 'get', 'pods', '--context', 'stranger'],
    ['auth', 'can-i', '--list'],
    ['auth', 'can-i', '--list', '--no-headers', '--context', 'token'],
    ['auth', 'can-i', '--list', '--as', 'bob', '--as-group', 'dev'],
  ]
  for (const args of same) {
    it(`${args.join(' ')}: same stdout and exit code as kubectl`, async function () {
      if (!KUBECTL) this.skip()
      await assertSameAsKubectl(KUBECTL, args, env())
    })
  }

  // kubectl 1.32 sends protobuf bodies; the fake server ignores SelfSubjectReview bodies, so whoami compares too.
  const KUBECTL_132 = kubectlBinary('1.32')
  for (const args of same.filter((a) => a[1] === 'whoami')) {
    it(`${args.join(' ')}: same as kubectl 1.32`, async function () {
      if (!KUBECTL_132) this.skip()
      await assertSameAsKubectl(KUBECTL_132, args, env())
    })
  }

  it('401: kubectl text plus the likely cause', async () => {
    const r = await ours(['auth', 'can-i', 'get', 'pods', '--context', 'stranger'])
    assert.equal(r.exitCode, 1)
    assert.equal(r.stderr, 'error: You must be logged in to the server (Unauthorized) (the server rejected the bearer token (revoked, unknown, or issued for another audience/issuer))\n')
  })

  it('403 on the review: kubectl text plus which permission is missing', async () => {
    const r = await ours(['auth', 'can-i', 'get', 'pods', '--context', 'nobody'])
    assert.equal(r.exitCode, 1)
    assert.equal(
      r.stderr,
      'error: Error from server (Forbidden): selfsubjectaccessreviews.authorization.k8s.io is forbidden: User "nobody" cannot create resource (creating selfsubjectaccessreviews needs RBAC "create" on selfsubjectaccessreviews.authorization.k8s.io (the system:basic-user ClusterRoleBinding grants it to system:authenticated))\n',
    )
  })

  it('TLS verify failure names the CA; exit 1', async () => {
    const r = await ours(['auth', 'whoami', '--context', 'wrong-ca'])
    assert.equal(r.exitCode, 1)
    assert.match(r.stderr, /^error: Unable to connect to the server: tls: failed to verify certificate: x509: certificate signed by unknown authority \(the certificate of 127\.0\.0\.1:\d+ \(name "127\.0\.0\.1"\) is not signed by the CA from certificate-authority-data \(CN=other-ca\)\)\n$/)
  })

  it('--request-timeout bounds each request', async () => {
    const sockets: net.Socket[] = []
    const silent = net.createServer((sock) => sockets.push(sock))
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r))
    const kc = join(tmp.dir, 'silent.yaml')
    writeFileSync(kc, `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "https://127.0.0.1:${(silent.address() as net.AddressInfo).port}", certificate-authority: ${pki.caFile}}}]
users: [{name: u, user: {token: t}}]
contexts: [{name: x, context: {cluster: c, user: u}}]
current-context: x
`)
    try {
      const r = await runCli(['auth', 'whoami', '--kubeconfig', kc, '--request-timeout', '300ms'])
      assert.equal(r.exitCode, 1)
      assert.match(r.stderr, /^error: Unable to connect to the server: .*Client\.Timeout exceeded.* \(the request timed out/)
      const bad = await runCli(['auth', 'whoami', '--kubeconfig', kc, '--request-timeout', 'soon'])
      assert.equal(bad.exitCode, 2)
    } finally {
      for (const sock of sockets) sock.destroy()
      await new Promise((r) => silent.close(r))
    }
  })

  it('usage errors use kubectl texts and exit 2', async () => {
    const cases: Array<[string[], string]> = [
      [['auth', 'can-i', 'get'], 'error: you must specify two arguments: verb resource or verb resource/resourceName.'],
      [['auth', 'can-i', '--list', '-q'], "error: list option can't be specified with neither quiet, all-namespaces nor subresource options"],
      [['auth', 'can-i', 'get', 'pods', '--no-headers'], 'error: --no-headers cannot be set without --list specified'],
    ]
    for (const [args, line] of cases) {
      const r = await ours(args)
      assert.equal(r.exitCode, 2, args.join(' '))
      assert.ok(r.stderr.startsWith(line), r.stderr)
    }
  })

  it('--json documents for can-i and --list', async () => {
    const yes = JSON.parse((await ours(['auth', 'can-i', 'get', 'pods', '--json'])).stdout)
    assert.equal(yes.allowed, true)
    assert.deepEqual(yes.resourceAttributes, {group: '', name: '', namespace: 'team-a', resource: 'pods', subresource: '', verb: 'get'})
    const no = await ours(['auth', 'can-i', 'get', 'nodes', '--json'])
    assert.equal(no.exitCode, 1)
    assert.deepEqual(JSON.parse(no.stdout).warnings, ["resource 'nodes' is not namespace scoped\n"])
    const list = JSON.parse((await ours(['auth', 'can-i', '--list', '--json'])).stdout)
    assert.equal(list.namespace, 'team-a')
    assert.ok(list.rules.some((r: any) => r.resources[0] === 'pods'))
  })

  it('--batch: a CI gate; exit 1 when an expectation fails', async () => {
    const good = join(tmp.dir, 'good.yaml')
    writeFileSync(good, '- {verb: get, resource: pods, expect: yes}\n- {verb: get, resource: secrets, expect: no}\n- {verb: create, resource: deploy, namespace: ci, as: "system:serviceaccount:ci:deployer", expect: yes}\n')
    const ok = await ours(['auth', 'can-i', '--batch', good])
    assert.equal(ok.exitCode, 0, ok.stderr)
    assert.match(ok.stdout, /^RESULT +CHECK +ANSWER +EXPECTED +DETAIL\nPASS +get pods +yes +yes +RBAC: allowed/)
    assert.equal(ok.stderr, '3/3 checks passed\n')
    const bad = join(tmp.dir, 'bad.json')
    writeFileSync(bad, JSON.stringify([{expect: true, resource: 'secrets', verb: 'get'}, {resource: 'pods', verb: 'get'}]))
    const failed = await ours(['auth', 'can-i', '--batch', bad, '--json'])
    assert.equal(failed.exitCode, 1)
    const doc = JSON.parse(failed.stdout)
    assert.equal(doc.failed, 1)
    assert.equal(doc.checks[0].ok, false)
    // Exit 1 means "no": an unreadable input exits 2, so `! authctl auth can-i …` never passes on a typo.
    const missing = await ours(['auth', 'can-i', '--batch', join(tmp.dir, 'nope.yaml')])
    assert.equal(missing.exitCode, 2)
    assert.match(missing.stderr, /cannot read batch file .*nope\.yaml.*no such file or directory/)
    const noKubeconfig = await ours(['auth', 'can-i', 'delete', 'secrets', '-q', '--kubeconfig', join(tmp.dir, 'nothere.kubeconfig')])
    assert.equal(noKubeconfig.exitCode, 2, noKubeconfig.stderr)
    assert.match(noKubeconfig.stderr, /nothere\.kubeconfig/)
  })

  it('whoami without SelfSubjectReview prints the local claims, unconfirmed, and exits 1', async () => {
    const bare = await startFakeApi(pki, {ssrVersions: []})
    try {
      const kc = join(tmp.dir, 'bare.yaml')
      writeFileSync(kc, `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "${bare.url}", certificate-authority: ${pki.caFile}}}]
users: [{name: jane, user: {client-certificate: ${pki.clientCertFile}, client-key: ${pki.clientKeyFile}}}]
contexts: [{name: x, context: {cluster: c, user: jane}}]
current-context: x
`)
      const r = await runCli(['auth', 'whoami', '--kubeconfig', kc])
      assert.equal(r.exitCode, 1)
      assert.match(r.stdout, /^ATTRIBUTE +VALUE\nSource +client certificate \(local; not confirmed by the server\)\nUsername +jane\nGroups +\[dev qa\]\n/)
      assert.equal(
        r.stderr,
        'error: the selfsubjectreviews API is not enabled in the cluster\nenable APISelfSubjectReview feature gate and authentication.k8s.io/v1alpha1 or authentication.k8s.io/v1beta1 API\n',
      )
    } finally {
      await bare.close()
    }
  })
})
