// Real kubectl runs `authctl oidc get-token` as its exec credential plugin and sends the token it printed, for both
// ExecCredential versions (the full path against `authctl serve` is serve-whoami.test.ts).
import assert from 'node:assert/strict'
import {writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {cliPath, makeTempDir, runProgram} from '../../helpers/cli.js'
import {makePki, startHttps, startProvider, type TestPki, type TestProvider} from '../../commands/oidc/provider.js'
import {testEnv} from '../../commands/oidc/process.js'

const KUBECTL_DIR = '/usr/lib/google-cloud-sdk/bin'

describe('oidc get-token as the exec plugin of real kubectl', function () {
  this.timeout(60_000)
  let tmp: {dir: string; cleanup: () => Promise<void>}
  let pki: TestPki
  let op: TestProvider
  let api: Awaited<ReturnType<typeof startHttps>>
  const seen: Array<string | undefined> = []

  before(async () => {
    tmp = await makeTempDir('authctl-oidc-kubectl-')
    pki = makePki(tmp.dir)
    op = await startProvider(pki)
    api = await startHttps(pki, (req, res) => {
      seen.push(req.headers.authorization)
      res.setHeader('content-type', 'application/json')
      res.end(JSON.stringify({ok: true}))
    })
  })
  after(async () => {
    await api?.close()
    await op?.close()
    await tmp?.cleanup()
  })

  for (const [kubectl, apiVersion] of [
    ['kubectl.1.32', 'client.authentication.k8s.io/v1'],
    ['kubectl.1.27', 'client.authentication.k8s.io/v1beta1'],
  ]) {
    it(`${kubectl} with exec apiVersion ${apiVersion} sends the token as a bearer token`, async () => {
      const kubeconfig = join(tmp.dir, `${kubectl}.yaml`)
      const args = ['oidc', 'get-token', '--oidc-issuer-url', op.issuer, '--oidc-client-id', 'ci', '--oidc-client-secret', 'ci-secret',
        '--grant-type', 'client-credentials', '--certificate-authority', pki.caFile, '--token-cache-dir', join(tmp.dir, `cache-${kubectl}`),
        '--oidc-auth-request-extra-params', 'resource=urn:kubernetes']
      await writeFile(kubeconfig, JSON.stringify({
        apiVersion: 'v1',
        clusters: [{cluster: {'certificate-authority-data': Buffer.from(pki.ca).toString('base64'), server: api.url}, name: 'c'}],
        contexts: [{context: {cluster: 'c', user: 'oidc'}, name: 'c'}],
        'current-context': 'c',
        kind: 'Config',
        users: [{name: 'oidc', user: {exec: {apiVersion, args: [cliPath, ...args], command: process.execPath, interactiveMode: 'Never'}}}],
      }))
      seen.length = 0
      const result = await runProgram(join(KUBECTL_DIR, kubectl), ['--kubeconfig', kubeconfig, 'get', '--raw', '/api/authctl-probe'], {
        env: testEnv(tmp.dir, {KUBECACHEDIR: join(tmp.dir, `kube-cache-${kubectl}`)}),
      })
      assert.equal(result.exitCode, 0, result.stderr)
      assert.deepEqual(JSON.parse(result.stdout), {ok: true})
      const bearer = seen.find((h) => h?.startsWith('Bearer '))
      assert.ok(bearer, `kubectl sent no bearer token: ${JSON.stringify(seen)}`)
      const claims = JSON.parse(Buffer.from(bearer.slice(7).split('.')[1], 'base64url').toString())
      assert.equal(claims.iss, op.issuer)
      assert.equal(claims.aud, 'ci')
    })
  }

  it('kubectl reports a failing plugin with our error line', async () => {
    const kubeconfig = join(tmp.dir, 'failing.yaml')
    const dead = await startHttps(pki, () => {})
    await dead.close()
    await writeFile(kubeconfig, JSON.stringify({
      apiVersion: 'v1',
      clusters: [{cluster: {'certificate-authority-data': Buffer.from(pki.ca).toString('base64'), server: api.url}, name: 'c'}],
      contexts: [{context: {cluster: 'c', user: 'oidc'}, name: 'c'}],
      'current-context': 'c',
      kind: 'Config',
      users: [{name: 'oidc', user: {exec: {apiVersion: 'client.authentication.k8s.io/v1', args: [cliPath, 'oidc', 'get-token', '--oidc-issuer-url', dead.url,
        '--oidc-client-id', 'kubernetes', '--token-cache-dir', join(tmp.dir, 'cache-failing')], command: process.execPath, interactiveMode: 'Never'}}}],
    }))
    const result = await runProgram(join(KUBECTL_DIR, 'kubectl.1.32'), ['--kubeconfig', kubeconfig, 'get', '--raw', '/api/x'], {
      env: testEnv(tmp.dir, {KUBECACHEDIR: join(tmp.dir, 'kube-cache-failing')}),
    })
    assert.equal(result.exitCode, 1)
    assert.match(result.stderr, /error: cannot reach the issuer for discovery document at https:\/\/127\.0\.0\.1:\d+/)
    assert.match(result.stderr, /getting credentials: exec: executable .* failed with exit code 1/)
  })
})
