import assert from 'node:assert/strict'
import {readdir, readFile, stat} from 'node:fs/promises'
import {join} from 'node:path'

import {makeTempDir, runCli} from '../../helpers/cli.js'
import {browse, makePki, startProvider, type TestPki, type TestProvider} from './provider.js'
import {AUTH_URL, DEVICE_URL, startCli, testEnv} from './process.js'

const decode = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString())

describe('oidc get-token against a real OpenID provider', function () {
  this.timeout(60_000)
  let tmp: {dir: string; cleanup: () => Promise<void>}
  let pki: TestPki
  let op: TestProvider
  let n = 0
  let cacheDir: string

  before(async () => {
    tmp = await makeTempDir('authctl-oidc-')
    pki = makePki(tmp.dir)
    op = await startProvider(pki)
  })
  after(async () => {
    await op?.close()
    await tmp?.cleanup()
  })
  beforeEach(() => {
    cacheDir = join(tmp.dir, `cache-${++n}`)
    op.settings.idTokenTtl = 3600
    op.hits.clear()
  })

  const base = (extra: string[] = []) => [
    'oidc', 'get-token',
    '--oidc-issuer-url', op.issuer,
    '--oidc-client-id', 'kubernetes',
    '--certificate-authority', pki.caFile,
    '--token-cache-dir', cacheDir,
    '--listen-address', '127.0.0.1:0',
    '--oidc-extra-scope', 'email,groups,offline_access',
    ...extra,
  ]
  const env = (extra: NodeJS.ProcessEnv = {}) => testEnv(tmp.dir, extra)

  async function authcodeLogin(extra: string[] = [], envExtra: NodeJS.ProcessEnv = {}) {
    const run = startCli(base(['--grant-type', 'authcode', ...extra]), env(envExtra))
    const [, url] = await run.waitFor(AUTH_URL)
    const page = await browse(url, pki.ca)
    assert.match(page.body, /Logged in/)
    const result = await run.done
    assert.equal(result.exitCode, 0, result.stderr)
    return {result, url}
  }

  it('logs in with authorization code + PKCE S256 on a loopback redirect and caches the id_token (0600)', async () => {
    const {result, url} = await authcodeLogin()
    const params = new URL(url).searchParams
    assert.equal(params.get('code_challenge_method'), 'S256')
    assert.match(params.get('code_challenge')!, /^[\w-]{43}$/)
    assert.match(params.get('redirect_uri')!, /^http:\/\/127\.0\.0\.1:\d+\/$/)
    const credential = JSON.parse(result.stdout)
    assert.equal(credential.apiVersion, 'client.authentication.k8s.io/v1')
    assert.equal(credential.kind, 'ExecCredential')
    const claims = decode(credential.status.token)
    assert.equal(claims.iss, op.issuer)
    assert.equal(claims.aud, 'kubernetes')
    assert.equal(claims.sub, 'alice')
    assert.deepEqual(claims.groups, ['developers', 'oncall'])
    assert.equal(credential.status.expirationTimestamp, new Date(claims.exp * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'))
    const files = await readdir(cacheDir)
    const entry = files.find((f) => f.endsWith('.json'))!
    assert.deepEqual(files, [entry], 'one cache file, no lock or marker left behind')
    assert.equal((await stat(join(cacheDir, entry))).mode & 0o777, 0o600)
    assert.equal((await stat(cacheDir)).mode & 0o777, 0o700)

    // The second call is served from the cache: no URL, same token, no request to the issuer.
    op.hits.clear()
    const again = await runCli(base(['--grant-type', 'authcode']), {env: env({KUBERNETES_EXEC_INFO: JSON.stringify({apiVersion: 'client.authentication.k8s.io/v1beta1', kind: 'ExecCredential', spec: {interactive: false}})})})
    assert.equal(again.exitCode, 0, again.stderr)
    assert.equal(again.stderr, '')
    const cached = JSON.parse(again.stdout)
    assert.equal(cached.apiVersion, 'client.authentication.k8s.io/v1beta1', 'follows KUBERNETES_EXEC_INFO')
    assert.equal(cached.status.token, credential.status.token)
    assert.equal(op.hits.size, 0)
  })

  it('uses the device code grant when no browser can be opened, approved by the user', async () => {
    const run = startCli(base(), env())
    const [, url] = await run.waitFor(DEVICE_URL)
    assert.match(run.stderr(), /enter the code [A-Z]{4}-[A-Z]{4}/)
    const page = await browse(url, pki.ca, 'bob')
    assert.match(page.body, /Sign-in Success/)
    const result = await run.done
    assert.equal(result.exitCode, 0, result.stderr)
    assert.equal(decode(JSON.parse(result.stdout).status.token).sub, 'bob')
    assert.equal(op.hits.get('/auth') ?? 0, 0, 'no authorization code request')
  })

  it('uses client credentials for CI, with a JWT access token for the client audience', async () => {
    const args = ['oidc', 'get-token', '--oidc-issuer-url', op.issuer, '--oidc-client-id', 'ci', '--oidc-client-secret', 'ci-secret',
      '--grant-type', 'client-credentials', '--certificate-authority', pki.caFile, '--token-cache-dir', cacheDir,
      '--oidc-auth-request-extra-params', 'resource=urn:kubernetes']
    const result = await runCli(args, {env: env()})
    assert.equal(result.exitCode, 0, result.stderr)
    const claims = decode(JSON.parse(result.stdout).status.token)
    assert.equal(claims.aud, 'ci')
    assert.equal(claims.sub, 'ci')
    assert.equal(claims.iss, op.issuer)
  })

  it('refreshes an expired id_token with the refresh token, without any interaction', async () => {
    op.settings.idTokenTtl = 2
    const {result} = await authcodeLogin()
    const first = JSON.parse(result.stdout).status.token
    await new Promise((r) => setTimeout(r, 2100)) // let the id_token really expire
    op.settings.idTokenTtl = 3600
    op.hits.clear()
    const again = await runCli(base(['--grant-type', 'authcode']), {env: env()})
    assert.equal(again.exitCode, 0, again.stderr)
    assert.doesNotMatch(again.stderr, /log in/i)
    const token = JSON.parse(again.stdout).status.token
    assert.notEqual(token, first)
    assert.ok(decode(token).exp * 1000 > Date.now() + 3000 * 1000)
    assert.equal(op.hits.get('/auth') ?? 0, 0, 'no new login')
    assert.equal(op.hits.get('/token'), 1, 'one refresh')
  })
})
