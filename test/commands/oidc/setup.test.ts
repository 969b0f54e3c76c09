import assert from 'node:assert/strict'
import {join} from 'node:path'

import {makeTempDir, runCli} from '../../helpers/cli.js'
import {browse, makePki, startProvider, type TestPki, type TestProvider} from './provider.js'
import {AUTH_URL, startCli, testEnv} from './process.js'

describe('oidc setup', function () {
  this.timeout(60_000)
  let tmp: {dir: string; cleanup: () => Promise<void>}
  let pki: TestPki
  let op: TestProvider
  let cacheDir: string

  before(async () => {
    tmp = await makeTempDir('authctl-oidc-setup-')
    pki = makePki(tmp.dir)
    op = await startProvider(pki)
    cacheDir = join(tmp.dir, 'cache')
  })
  after(async () => {
    await op?.close()
    await tmp?.cleanup()
  })

  const args = (extra: string[]) => ['oidc', 'setup', '--oidc-issuer-url', op.issuer, '--oidc-client-id', 'kubernetes', '--grant-type', 'authcode',
    '--certificate-authority', pki.caFile, '--token-cache-dir', cacheDir, '--listen-address', '127.0.0.1:0', '--oidc-extra-scope', 'email,groups', ...extra]

  it('logs in, prints the claims and the user kube-apiserver derives with the claim flags, and the kubeconfig command', async () => {
    const run = startCli(args(['--oidc-username-claim', 'email', '--oidc-groups-claim', 'groups', '--oidc-groups-prefix', 'oidc:']), testEnv(tmp.dir))
    const [, url] = await run.waitFor(AUTH_URL)
    await browse(url, pki.ca)
    const result = await run.done
    assert.equal(result.exitCode, 0, result.stderr)
    assert.match(result.stdout, /^issuer +https:\/\/127\.0\.0\.1:\d+\n/)
    assert.match(result.stdout, /JWKS +1 key at https:\/\/127\.0\.0\.1:\d+\/jwks\n/)
    assert.match(result.stdout, /"email": "alice@example\.com"/)
    assert.match(result.stdout, /kube-apiserver flags:\n {2}--oidc-issuer-url=https:\/\/127\.0\.0\.1:\d+\n {2}--oidc-client-id=kubernetes\n {2}--oidc-ca-file=\S+issuer-ca\.crt\n {2}--oidc-username-claim=email\n {2}--oidc-groups-claim=groups\n {2}--oidc-groups-prefix=oidc:\n/)
    assert.match(result.stdout, /username +alice@example\.com\n +groups +oidc:developers, oidc:oncall\n/)
    assert.match(result.stdout, /kubectl config set-credentials oidc --exec-api-version=client\.authentication\.k8s\.io\/v1 --exec-interactive-mode=IfAvailable --exec-command=authctl --exec-arg=oidc --exec-arg=get-token --exec-arg=--oidc-issuer-url=https:\/\/127\.0\.0\.1:\d+ --exec-arg=--oidc-client-id=kubernetes --exec-arg=--oidc-extra-scope=email --exec-arg=--oidc-extra-scope=groups --exec-arg=--grant-type=authcode/)
  })

  it('uses the cached login; with the default claim the username gets the "<issuer>#" prefix (--json)', async () => {
    const result = await runCli(args(['--json']), {env: testEnv(tmp.dir)})
    assert.equal(result.exitCode, 0, result.stderr)
    assert.doesNotMatch(result.stderr, /Open this URL/)
    const doc = JSON.parse(result.stdout)
    assert.deepEqual(doc.user, {groups: [], username: `${op.issuer}#alice`})
    assert.equal(doc.kubeconfigUser.name, 'oidc')
    assert.equal(doc.kubeconfigUser.user.exec.command, 'authctl')
    assert.equal(doc.claims.sub, 'alice')
  })

  it('says why kube-apiserver would reject the token (exit 1)', async () => {
    const result = await runCli(args(['--oidc-required-claim', 'hd=example.com']), {env: testEnv(tmp.dir)})
    assert.equal(result.exitCode, 1)
    assert.match(result.stdout, /kube-apiserver would reject this token: oidc: required claim hd not present in ID token\n/)
  })
})
