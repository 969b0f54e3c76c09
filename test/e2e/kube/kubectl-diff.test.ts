// Differential checks: real kubectl and authctl's client against the same fake API server. kubectl 1.30 is used
// because it sends JSON review bodies (1.32 sends protobuf, which this fake server does not decode).
import assert from 'node:assert/strict'
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {answerLine, canI, type CanIQuery, rulesReview} from '../../../src/lib/kube/can-i.js'
import {KubeClient} from '../../../src/lib/kube/client.js'
import {incompleteWarning, listRules, rulesTable} from '../../../src/lib/kube/rules.js'
import {whoami, whoamiTable} from '../../../src/lib/kube/whoami.js'
import {makeTempDir, runProgram} from '../../helpers/cli.js'
import {kubectlBinary} from './compare.js'
import {type FakeApi, makePki, type Pki, startFakeApi} from './fixtures.js'

const KUBECTL = kubectlBinary('1.30')

describe('kube client vs real kubectl 1.30 on the same API', function () {
  this.timeout(120_000)
  let tmp: Awaited<ReturnType<typeof makeTempDir>>
  let pki: Pki
  let api: FakeApi
  let kubeconfig: string

  before(async function () {
    if (!KUBECTL) this.skip()
    tmp = await makeTempDir('authctl-kdiff-')
    pki = makePki(tmp.dir)
    api = await startFakeApi(pki, {
      decide: (spec) =>
        spec.resourceAttributes?.resource === 'pods'
          ? {allowed: true}
          : {allowed: false, evaluationError: 'eval boom', reason: 'RBAC: some reason'},
      rules: () => ({
        evaluationError: 'webhook down',
        incomplete: true,
        nonResourceRules: [{nonResourceURLs: ['/api', '/api/*'], verbs: ['get']}],
        resourceRules: [
          {apiGroups: ['apps'], resourceNames: ['web', 'api'], resources: ['deployments'], verbs: ['get']},
          {apiGroups: [''], resources: ['pods', 'pods/log'], verbs: ['get', 'list']},
          {apiGroups: ['*'], resources: ['*'], verbs: ['*']},
        ],
      }),
    })
    kubeconfig = join(tmp.dir, 'kubeconfig')
    writeFileSync(
      kubeconfig,
      `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "${api.url}", certificate-authority: ${pki.caFile}}}]
users: [{name: jane, user: {client-certificate: ${pki.clientCertFile}, client-key: ${pki.clientKeyFile}}}]
contexts: [{name: x, context: {cluster: c, user: jane, namespace: team-a}}]
current-context: x
`,
    )
  })
  after(async () => {
    await api?.close()
    await tmp?.cleanup()
  })

  const kubectl = (args: string[]) => runProgram(KUBECTL!, ['--kubeconfig', kubeconfig, ...args], {env: {KUBECACHEDIR: join(tmp.dir, 'cache')}})
  const client = () => new KubeClient({caPem: pki.caPem, clientCertPem: pki.clientCert, clientKeyPem: pki.clientKey, server: api.url},
    {env: {}, now: () => new Date(), stderr: () => undefined, stdinIsTty: false})

  async function ours(query: CanIQuery) {
    const c = client()
    try {
      const result = await canI(c, query)
      return {exitCode: result.allowed ? 0 : 1, stderr: result.warnings.map((w) => `Warning: ${w}\n`).join(''), stdout: answerLine(result)}
    } finally {
      c.close()
    }
  }

  const cases: Array<[string[], CanIQuery]> = [
    [['get', 'po'], {namespace: 'team-a', resource: 'po', verb: 'get'}],
    [['frob', 'nodes'], {namespace: 'team-a', resource: 'nodes', verb: 'frob'}],
    [['frob', 'nodes', '-A'], {allNamespaces: true, namespace: '', resource: 'nodes', verb: 'frob'}],
    [['get', 'widgets.example.com'], {namespace: 'team-a', resource: 'widgets.example.com', verb: 'get'}],
    [['create', 'deploy/web', '-n', 'prod'], {name: 'web', namespace: 'prod', resource: 'deploy', verb: 'create'}],
    [['frob', '/logs'], {namespace: 'team-a', nonResourceURL: '/logs', verb: 'frob'}],
    [['get', 'pods', '--subresource=log'], {namespace: 'team-a', resource: 'pods', subresource: 'log', verb: 'get'}],
  ]
  for (const [args, query] of cases) {
    it(`can-i ${args.join(' ')}: same stdout, warnings, exit code and SSAR`, async () => {
      api.requests.length = 0
      const theirs = await kubectl(['auth', 'can-i', ...args])
      const theirSpec = JSON.parse(api.requests.find((r) => r.path.includes('selfsubjectaccessreviews'))!.body).spec
      api.requests.length = 0
      const mine = await ours(query)
      const mySpec = JSON.parse(api.requests.find((r) => r.path.includes('selfsubjectaccessreviews'))!.body).spec
      assert.deepEqual(mine, theirs)
      const norm = (spec: any) => JSON.stringify(spec, (_k, v) => (v === '' ? undefined : v))
      assert.equal(norm(mySpec), norm(theirSpec))
    })
  }

  it('can-i --list: same table and incomplete warning', async () => {
    const theirs = await kubectl(['auth', 'can-i', '--list'])
    const c = client()
    const status = await rulesReview(c, 'team-a')
    c.close()
    assert.equal(rulesTable(listRules(status)), theirs.stdout)
    assert.equal(`Warning: ${incompleteWarning(status)}\n`, theirs.stderr)
    const noHeaders = await kubectl(['auth', 'can-i', '--list', '--no-headers'])
    assert.equal(rulesTable(listRules(status), true), noHeaders.stdout)
  })

  it('whoami: same table', async () => {
    const theirs = await kubectl(['auth', 'whoami'])
    const c = client()
    const r = await whoami(c)
    c.close()
    assert.ok(r.confirmed)
    assert.equal(whoamiTable(r.review.status.userInfo), theirs.stdout)
  })
})
