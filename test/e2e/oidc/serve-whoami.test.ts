// The whole path: a login through get-token against a real OpenID provider, then real kubectl (and authctl auth
// whoami) with get-token as the exec plugin against `authctl serve` configured with the same issuer and claim flags.
import assert from 'node:assert/strict'
import {writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import type {RunningServer} from '../../../src/lib/server/index.js'
import {cliPath, runCli, runProgram} from '../../helpers/cli.js'
import {browse, type TestPki, type TestProvider} from '../../commands/oidc/provider.js'
import {AUTH_URL, startCli, testEnv} from '../../commands/oidc/process.js'
import {type OidcServeFixture, startOidcServe} from './serve-fixture.js'

describe('oidc: the ExecCredential is accepted by real kubectl against authctl serve', function () {
  this.timeout(90_000)
  let tmp: {dir: string; cleanup: () => Promise<void>}
  let pki: TestPki
  let op: TestProvider
  let server: RunningServer
  let fixture: OidcServeFixture | undefined
  let kubeconfig: string

  before(async () => {
    fixture = await startOidcServe('authctl-oidc-serve-')
    ;({op, pki, server, tmp} = fixture)
    const getToken = ['oidc', 'get-token', `--oidc-issuer-url=${op.issuer}`, '--oidc-client-id=kubernetes', '--oidc-extra-scope=email,groups',
      `--certificate-authority=${pki.caFile}`, `--token-cache-dir=${join(tmp.dir, 'cache')}`, '--listen-address=127.0.0.1:0', '--grant-type=authcode']
    kubeconfig = join(tmp.dir, 'kubeconfig')
    await writeFile(kubeconfig, JSON.stringify({
      apiVersion: 'v1',
      clusters: [{cluster: {'certificate-authority-data': Buffer.from(server.caCertificate).toString('base64'), server: server.url}, name: 'ref'}],
      contexts: [{context: {cluster: 'ref', user: 'oidc'}, name: 'ref'}],
      'current-context': 'ref',
      kind: 'Config',
      users: [{name: 'oidc', user: {exec: {apiVersion: 'client.authentication.k8s.io/v1', args: [cliPath, ...getToken], command: process.execPath, interactiveMode: 'IfAvailable'}}}],
    }))
    // The person's login, once; every kubectl call after it is served from the cache.
    const run = startCli(getToken, testEnv(tmp.dir))
    const [, url] = await run.waitFor(AUTH_URL)
    await browse(url, pki.ca)
    assert.equal((await run.done).exitCode, 0)
  })
  after(async () => {
    await fixture?.close()
  })

  it('kubectl 1.32 auth whoami shows the user and groups mapped from the id_token', async () => {
    const result = await runProgram('/usr/lib/google-cloud-sdk/bin/kubectl.1.32', ['--kubeconfig', kubeconfig, 'auth', 'whoami', '-o', 'json'], {
      env: testEnv(tmp.dir, {KUBECACHEDIR: join(tmp.dir, 'kube-cache')}),
    })
    assert.equal(result.exitCode, 0, result.stderr)
    const review = JSON.parse(result.stdout)
    assert.equal(review.status.userInfo.username, 'alice@example.com')
    assert.deepEqual(review.status.userInfo.groups, ['oidc:developers', 'oidc:oncall', 'system:authenticated'])
  })

  it('authctl auth whoami shows the same user', async () => {
    const result = await runCli(['auth', 'whoami', '--kubeconfig', kubeconfig], {env: testEnv(tmp.dir)})
    assert.equal(result.exitCode, 0, result.stderr)
    assert.match(result.stdout, /Username +alice@example\.com\n/)
    assert.match(result.stdout, /Groups +\[oidc:developers oidc:oncall system:authenticated\]\n/)
  })
})
