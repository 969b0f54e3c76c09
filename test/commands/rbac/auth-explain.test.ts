// `authctl auth explain` (built CLI) against a fake API on 127.0.0.1: the server's SSAR answer, explained with the
// RBAC objects the caller may list, or the answer alone when the lists are forbidden.
import assert from 'node:assert/strict'
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {makeTempDir, runCli} from '../../helpers/cli.js'
import {type FakeApi, makePki, startFakeApi} from '../../e2e/kube/fixtures.js'

const list = (items: unknown[]) => ({body: JSON.stringify({apiVersion: 'rbac.authorization.k8s.io/v1', items, kind: 'List', metadata: {}}), status: 200})
const forbidden = (path: string) => ({
  body: JSON.stringify({apiVersion: 'v1', code: 403, kind: 'Status', message: `forbidden: ${path}`, metadata: {}, reason: 'Forbidden', status: 'Failure'}),
  status: 403,
})

describe('authctl auth explain (live)', function () {
  this.timeout(60_000)
  let tmp: Awaited<ReturnType<typeof makeTempDir>>
  let api: FakeApi
  let kubeconfig: string

  before(async () => {
    tmp = await makeTempDir('authctl-auth-explain-')
    const pki = makePki(tmp.dir)
    api = await startFakeApi(pki, {
      decide: (spec, user) => {
        const r = spec.resourceAttributes
        if (user.username === 'jane' && r?.resource === 'pods' && r.verb === 'get' && r.namespace === 'dev') {
          return {allowed: true, reason: 'RBAC: allowed by RoleBinding "jane-pods/dev" of Role "pod-reader" to User "jane"'}
        }
        return {allowed: false}
      },
      override: (req) => {
        if (req.method !== 'GET' || !req.path.startsWith('/apis/rbac.authorization.k8s.io/v1/')) return undefined
        if (req.headers.authorization === 'Bearer tok-reader') return forbidden(req.path)
        if (req.path.endsWith('/clusterroles')) return list([{metadata: {name: 'editor'}, rules: [{apiGroups: [''], resources: ['pods'], verbs: ['*']}]}])
        if (req.path.endsWith('/clusterrolebindings')) return list([])
        if (req.path.endsWith('/namespaces/dev/roles')) return list([{metadata: {name: 'pod-reader', namespace: 'dev'}, rules: [{apiGroups: [''], resources: ['pods'], verbs: ['get']}]}])
        if (req.path.endsWith('/namespaces/dev/rolebindings')) {
          return list([{metadata: {name: 'jane-pods', namespace: 'dev'}, roleRef: {apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'pod-reader'}, subjects: [{kind: 'User', name: 'jane'}]}])
        }
        return list([])
      },
      tokens: {'tok-jane': {groups: ['system:authenticated'], username: 'jane'}, 'tok-reader': {groups: ['system:authenticated'], username: 'jane'}},
    })
    kubeconfig = join(tmp.dir, 'kubeconfig')
    writeFileSync(kubeconfig, `apiVersion: v1
kind: Config
clusters:
- {name: c, cluster: {server: "${api.url}", certificate-authority: ${pki.caFile}}}
users:
- {name: jane, user: {token: tok-jane}}
- {name: limited, user: {token: tok-reader}}
contexts:
- {name: jane, context: {cluster: c, user: jane, namespace: dev}}
- {name: limited, context: {cluster: c, user: limited, namespace: dev}}
current-context: jane
`)
  })
  after(async () => {
    await api?.close()
    await tmp?.cleanup()
  })
  const env = () => ({KUBECONFIG: kubeconfig})

  it('explains an allowed request with the grants from the RBAC objects it can read', async () => {
    const r = await runCli(['auth', 'explain', 'get', 'pods'], {env: env()})
    assert.equal(r.exitCode, 0, r.stderr)
    assert.match(r.stdout, /^server: yes\nyes: jane may get pods in namespace "dev"\n {2}allowed by RoleBinding "jane-pods\/dev" of Role "pod-reader" to User "jane"\n/)
  })

  it('explains a denial with near misses; --json carries the answer and the explanation', async () => {
    const r = await runCli(['auth', 'explain', 'delete', 'pods', '--json'], {env: env()})
    assert.equal(r.exitCode, 1)
    const doc = JSON.parse(r.stdout)
    assert.equal(doc.allowed, false)
    assert.deepEqual(doc.explanation.nearMisses.map((m: any) => m.code), ['verb'])
    assert.equal(doc.user.username, 'jane')
  })

  it('falls back to the server answer when the RBAC lists are forbidden', async () => {
    const r = await runCli(['auth', 'explain', 'get', 'pods', '--context', 'limited'], {env: env()})
    assert.equal(r.exitCode, 0, r.stderr)
    assert.match(r.stdout, /^server: yes\nnote: cannot read \/apis\/rbac\.authorization\.k8s\.io\/v1\/clusterroles \(403 Forbidden\): showing the server's answer only\n$/)
  })
})
