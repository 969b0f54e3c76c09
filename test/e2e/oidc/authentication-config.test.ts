// Two real OpenID providers configured at once in an AuthenticationConfiguration: `authctl serve
// --authentication-config` (a real process) fetches each one's discovery and JWKS, maps the id_tokens with CEL, and
// real kubectl 1.32 and 1.33 `auth whoami` (get-token as the exec plugin) show the mapped users. An edit of the file
// while serve runs takes effect without a restart.
import assert from 'node:assert/strict'
import {existsSync} from 'node:fs'
import {writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {cliPath, makeTempDir, runProgram} from '../../helpers/cli.js'
import {type ServeProcess, startServe} from '../../helpers/serve-process.js'
import {browse, makePki, startProvider, type TestPki, type TestProvider} from '../../commands/oidc/provider.js'
import {AUTH_URL, startCli, testEnv} from '../../commands/oidc/process.js'
import {KUBECTL_DIR} from '../server/fixtures.js'

const KUBECTLS = ['1.32', '1.33'].map((v) => join(KUBECTL_DIR, `kubectl.${v}`)).filter((p) => existsSync(p))

function authenticationConfig(a: TestProvider, b: TestProvider, ca: string, usernamePrefix: string): string {
  return JSON.stringify({
    apiVersion: 'apiserver.config.k8s.io/v1',
    kind: 'AuthenticationConfiguration',
    jwt: [
      {
        issuer: {audiences: ['kubernetes'], certificateAuthority: ca, url: a.issuer},
        claimValidationRules: [{expression: 'claims.?email_verified.orValue(true) == true', message: 'email must be verified'}],
        claimMappings: {
          groups: {expression: 'claims.groups.map(g, "corp:" + g)'},
          username: {expression: `"${usernamePrefix}" + claims.email`},
        },
        userValidationRules: [{expression: "!user.username.startsWith('system:')", message: 'no system: users'}],
      },
      {
        issuer: {audiences: ['kubernetes'], certificateAuthority: ca, url: b.issuer},
        claimMappings: {
          extra: [{key: 'example.com/login', valueExpression: 'claims.sub'}],
          groups: {claim: 'groups', prefix: 'partner:'},
          username: {claim: 'sub', prefix: 'partner:'},
        },
      },
    ],
  })
}

describe('oidc: two real providers in --authentication-config, kubectl auth whoami, live edit', function () {
  this.timeout(180_000)
  let tmp: {dir: string; cleanup: () => Promise<void>}
  let pki: TestPki
  let a: TestProvider
  let b: TestProvider
  let serve: ServeProcess | undefined
  let configFile: string
  let kubeconfig: string

  const getToken = (op: TestProvider, cache: string) => ['oidc', 'get-token', `--oidc-issuer-url=${op.issuer}`, '--oidc-client-id=kubernetes', '--oidc-extra-scope=email,groups',
    `--certificate-authority=${pki.caFile}`, `--token-cache-dir=${join(tmp.dir, cache)}`, '--listen-address=127.0.0.1:0', '--grant-type=authcode']
  const login = async (op: TestProvider, cache: string, person: string) => {
    const run = startCli(getToken(op, cache), testEnv(tmp.dir))
    const [, url] = await run.waitFor(AUTH_URL)
    await browse(url, pki.ca, person)
    assert.equal((await run.done).exitCode, 0, run.stderr())
  }
  const whoami = async (kubectl: string, context: string) => {
    const r = await runProgram(kubectl, ['--kubeconfig', kubeconfig, '--context', context, 'auth', 'whoami', '-o', 'json'], {env: testEnv(tmp.dir, {KUBECACHEDIR: join(tmp.dir, 'kube-cache')})})
    assert.equal(r.exitCode, 0, r.stderr)
    return JSON.parse(r.stdout).status.userInfo
  }

  before(async () => {
    tmp = await makeTempDir('authctl-oidc-authn-config-')
    pki = makePki(tmp.dir)
    a = await startProvider(pki)
    b = await startProvider(pki)
    configFile = join(tmp.dir, 'authentication-config.json')
    await writeFile(configFile, authenticationConfig(a, b, pki.ca, 'corp:'))
    serve = await startServe(['--authentication-config', configFile, '--tls-cert-file', join(tmp.dir, 'issuer-srv.crt'), '--tls-private-key-file', join(tmp.dir, 'issuer-srv.key')],
      {env: {XDG_STATE_HOME: tmp.dir}})
    const user = (op: TestProvider, cache: string) => ({exec: {apiVersion: 'client.authentication.k8s.io/v1', args: [cliPath, ...getToken(op, cache)], command: process.execPath, interactiveMode: 'IfAvailable'}})
    kubeconfig = join(tmp.dir, 'kubeconfig')
    await writeFile(kubeconfig, JSON.stringify({
      apiVersion: 'v1',
      clusters: [{cluster: {'certificate-authority-data': Buffer.from(pki.ca).toString('base64'), server: serve.url}, name: 'ref'}],
      contexts: [{context: {cluster: 'ref', user: 'a'}, name: 'a'}, {context: {cluster: 'ref', user: 'b'}, name: 'b'}],
      'current-context': 'a',
      kind: 'Config',
      users: [{name: 'a', user: user(a, 'cache-a')}, {name: 'b', user: user(b, 'cache-b')}],
    }))
    await login(a, 'cache-a', 'alice')
    await login(b, 'cache-b', 'bob')
  })
  after(async () => {
    await serve?.stop()
    await a?.close()
    await b?.close()
    await tmp?.cleanup()
  })

  it('kubectl 1.32 and 1.33 are installed', () => assert.equal(KUBECTLS.length, 2, KUBECTL_DIR))

  for (const version of ['1.32', '1.33']) {
    it(`kubectl ${version} auth whoami: each provider's id_token mapped by its own jwt[] entry (CEL and claims)`, async () => {
      const kubectl = join(KUBECTL_DIR, `kubectl.${version}`)
      assert.deepEqual(await whoami(kubectl, 'a'), {groups: ['corp:developers', 'corp:oncall', 'system:authenticated'], username: 'corp:alice@example.com'})
      const partner = await whoami(kubectl, 'b')
      assert.equal(partner.username, 'partner:bob')
      assert.deepEqual(partner.groups, ['partner:developers', 'partner:oncall', 'system:authenticated'])
      assert.deepEqual(partner.extra['example.com/login'], ['bob'])
    })
  }

  it('an edit of the file while serve runs takes effect without a restart', async () => {
    const reloaded = new Promise<void>((resolve) => {
      serve!.child.stderr!.on('data', () => serve!.stderr().includes('reloaded authentication config') && resolve())
    })
    await writeFile(configFile, authenticationConfig(a, b, pki.ca, 'staff:'))
    await reloaded
    const user = await whoami(join(KUBECTL_DIR, 'kubectl.1.33'), 'a')
    assert.equal(user.username, 'staff:alice@example.com')
    assert.equal(serve!.child.exitCode, null, 'still the same process')
  })
})
