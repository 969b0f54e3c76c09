import assert from 'node:assert/strict'
import {mkdir, readdir, readFile, stat, writeFile} from 'node:fs/promises'
import {request} from 'node:https'
import {join} from 'node:path'

import {makeTempDir, runCli} from '../../helpers/cli.js'
import {browse, makePki, startHttps, startProvider, type TestPki, type TestProvider} from './provider.js'
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

  const interactive = {KUBERNETES_EXEC_INFO: JSON.stringify({apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', spec: {interactive: true}})}

  async function cachedEntry() {
    const file = (await readdir(cacheDir)).find((f) => f.endsWith('.json'))!
    return JSON.parse(await readFile(join(cacheDir, file), 'utf8'))
  }

  function revoke(token: string): Promise<number> {
    return new Promise((resolve, reject) => {
      const req = request(`${op.issuer}/token/revocation`, {ca: pki.ca, headers: {'content-type': 'application/x-www-form-urlencoded'}, method: 'POST'}, (res) => {
        res.resume()
        res.on('end', () => resolve(res.statusCode ?? 0))
      })
      req.on('error', reject)
      req.end(new URLSearchParams({client_id: 'kubernetes', token, token_type_hint: 'refresh_token'}).toString())
    })
  }

  it('fails with a clear error naming `authctl oidc logout` when the refresh token was revoked, and then fails fast', async () => {
    op.settings.idTokenTtl = 2
    await authcodeLogin()
    const {refreshToken} = await cachedEntry()
    assert.ok(refreshToken, 'a refresh token was cached')
    assert.equal(await revoke(refreshToken), 200)
    await new Promise((r) => setTimeout(r, 2100))
    op.hits.clear()
    const failed = await runCli(base(['--grant-type', 'authcode']), {env: env()})
    assert.equal(failed.exitCode, 1)
    assert.equal(failed.stdout, '')
    assert.match(failed.stderr, /^error: the cached login for https:\/\/127\.0\.0\.1:\d+ cannot be renewed: the issuer rejected the refresh token: invalid_grant/)
    assert.match(failed.stderr, /log in again .*`authctl oidc logout --oidc-issuer-url https:\/\/127\.0\.0\.1:\d+ --oidc-client-id kubernetes`/)
    assert.equal(op.hits.get('/auth') ?? 0, 0, 'no browser login started by a background call')
    assert.equal((await cachedEntry()).refreshToken, undefined, 'the rejected refresh token is forgotten')

    // The next background call fails at once without asking the issuer again.
    op.hits.clear()
    const again = await runCli(base(['--grant-type', 'authcode']), {env: env()})
    assert.equal(again.exitCode, 1)
    assert.match(again.stderr, /the last login for .* failed: the issuer rejected the refresh token.*authctl oidc logout/)
    assert.equal(op.hits.size, 0)
  })

  it('10 parallel get-token calls with an empty cache perform exactly one login', async () => {
    const runs = Array.from({length: 10}, () => startCli(base(['--grant-type', 'authcode']), env(interactive)))
    const [, url] = await Promise.race(runs.map((r) => r.waitFor(AUTH_URL)))
    await browse(url, pki.ca)
    const results = await Promise.all(runs.map((r) => r.done))
    for (const r of results) assert.equal(r.exitCode, 0, r.stderr)
    const tokens = new Set(results.map((r) => JSON.parse(r.stdout).status.token))
    assert.equal(tokens.size, 1, 'all got the same token')
    assert.equal(results.filter((r) => AUTH_URL.test(r.stderr)).length, 1, 'one login URL shown')
    assert.equal(op.hits.get('/auth'), 1, 'one authorization request')
    assert.equal(op.hits.get('/token'), 1, 'one code exchange')
    assert.deepEqual((await readdir(cacheDir)).filter((f) => !f.endsWith('.json')), [], 'no lock or marker left')
  })

  it('ten parallel non-interactive calls with an empty cache wait for the one login and all get an ExecCredential', async () => {
    // No terminal and no KUBERNETES_EXEC_INFO interactive: a script, CI or k9s running kubectl.
    const runs = Array.from({length: 10}, () => startCli(base(['--grant-type', 'authcode']), env()))
    const [, url] = await Promise.race(runs.map((r) => r.waitFor(AUTH_URL)))
    await browse(url, pki.ca)
    const results = await Promise.all(runs.map((r) => r.done))
    for (const r of results) assert.equal(r.exitCode, 0, r.stderr)
    const credentials = results.map((r) => JSON.parse(r.stdout))
    assert.ok(credentials.every((c) => c.kind === 'ExecCredential' && c.status.token), 'ten ExecCredentials')
    assert.equal(new Set(credentials.map((c) => c.status.token)).size, 1, 'all got the same token')
    assert.equal(results.filter((r) => AUTH_URL.test(r.stderr)).length, 1, 'one login URL shown')
    assert.equal(op.hits.get('/auth'), 1, 'one authorization request')
    assert.equal(op.hits.get('/token'), 1, 'one code exchange')
    assert.deepEqual((await readdir(cacheDir)).filter((f) => !f.endsWith('.json')), [], 'no lock or marker left')
  })

  it('an interrupted login releases the lock and leaves a failed marker that background calls report', async () => {
    const run = startCli(base(['--grant-type', 'authcode']), env(interactive))
    await run.waitFor(AUTH_URL)
    run.kill()
    const result = await run.done
    assert.equal(result.exitCode, 143, 'the shell convention for SIGTERM')
    assert.match(result.stderr, /error: login interrupted by SIGTERM\n$/)
    const files = await readdir(cacheDir)
    assert.deepEqual(files.filter((f) => f.endsWith('.lock')), [], 'lock released')
    const background = await runCli(base(['--grant-type', 'authcode']), {env: env()})
    assert.equal(background.exitCode, 1)
    assert.match(background.stderr, /^error: the last login for \S+ failed: login interrupted by SIGTERM; not starting another one without a terminal \(.*authctl oidc logout/)
  })

  describe('bad input: clear error, exit 1, cache unchanged', () => {
    async function snapshot(): Promise<string> {
      const names = (await readdir(cacheDir)).sort()
      return JSON.stringify(await Promise.all(names.map(async (n) => [n, await readFile(join(cacheDir, n), 'utf8'), (await stat(join(cacheDir, n))).mode])))
    }
    async function expectFailure(args: string[], message: RegExp) {
      await mkdir(cacheDir, {recursive: true})
      await writeFile(join(cacheDir, 'unrelated.json'), '{"keep": true}\n')
      const before = await snapshot()
      const result = await runCli(args, {env: env()})
      assert.equal(result.exitCode, 1, result.stderr)
      assert.equal(result.stdout, '')
      assert.match(result.stderr, message)
      assert.equal(result.stderr.split('\n').filter(Boolean).length, 1, `one line: ${result.stderr}`)
      assert.equal(await snapshot(), before)
    }
    const withIssuer = (issuer: string, ca = pki.caFile) => ['oidc', 'get-token', '--oidc-issuer-url', issuer, '--oidc-client-id', 'kubernetes', '--certificate-authority', ca, '--token-cache-dir', cacheDir, '--listen-address', '127.0.0.1:0']

    it('unreachable issuer', async () => {
      const dead = await startHttps(pki, () => {})
      await dead.close()
      await expectFailure(withIssuer(dead.url), /^error: cannot reach the issuer for discovery document at https:\/\/127\.0\.0\.1:\d+\/\.well-known\/openid-configuration: .*ECONNREFUSED/)
    })

    it('bad discovery document (not JSON; another issuer; no jwks_uri)', async () => {
      const bodies = ['<html>not json</html>', JSON.stringify({issuer: 'https://elsewhere.example'}), '']
      const server = await startHttps(pki, (_req, res) => {
        res.setHeader('content-type', 'application/json')
        res.end(bodies[0] === '' ? JSON.stringify({authorization_endpoint: `${server.url}/auth`, issuer: server.url, token_endpoint: `${server.url}/token`}) : bodies[0])
      })
      try {
        await expectFailure(withIssuer(server.url), /^error: bad discovery document at .*: not JSON \(check --oidc-issuer-url/)
        bodies.shift()
        await expectFailure(withIssuer(server.url), /bad discovery document at .*: it names issuer "https:\/\/elsewhere\.example", not "https:\/\/127/)
        bodies.shift()
        await expectFailure(withIssuer(server.url), /bad discovery document at .*: jwks_uri is missing/)
      } finally {
        await server.close()
      }
    })

    it('wrong CA (another CA file, and the system roots)', async () => {
      const other = makePki(tmp.dir, 'other')
      await expectFailure(withIssuer(op.issuer, other.caFile), /^error: cannot fetch discovery document from .*: TLS certificate not trusted .*\(pass the issuer CA with --certificate-authority\)/)
      const noCa = withIssuer(op.issuer).filter((a, i, all) => a !== '--certificate-authority' && all[i - 1] !== '--certificate-authority')
      await expectFailure(noCa, /TLS certificate not trusted/)
    })

    it('token audience that does not include the client ID', async () => {
      await expectFailure(
        ['oidc', 'get-token', '--oidc-issuer-url', op.issuer, '--oidc-client-id', 'ci', '--oidc-client-secret', 'ci-secret', '--grant-type', 'client-credentials',
          '--certificate-authority', pki.caFile, '--token-cache-dir', cacheDir, '--oidc-auth-request-extra-params', 'resource=urn:billing'],
        /^error: access token audience \["billing-api"\] does not include client ID "ci" \(kube-apiserver would reject it/,
      )
    })
  })
})
