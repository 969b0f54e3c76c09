import assert from 'node:assert/strict'
import {mkdir, readdir, readFile, writeFile} from 'node:fs/promises'
import {request} from 'node:https'
import {join} from 'node:path'

import {makeTempDir, runCli} from '../../helpers/cli.js'
import {browse, makePki, startProvider, type TestPki, type TestProvider} from './provider.js'
import {AUTH_URL, startCli, testEnv} from './process.js'

describe('oidc logout', function () {
  this.timeout(60_000)
  let tmp: {dir: string; cleanup: () => Promise<void>}
  let pki: TestPki
  let op: TestProvider
  let cacheDir: string
  let n = 0

  before(async () => {
    tmp = await makeTempDir('authctl-oidc-logout-')
    pki = makePki(tmp.dir)
    op = await startProvider(pki)
  })
  after(async () => {
    await op?.close()
    await tmp?.cleanup()
  })
  beforeEach(() => {
    cacheDir = join(tmp.dir, `cache-${++n}`)
  })

  const env = () => testEnv(tmp.dir)
  const common = () => ['--certificate-authority', pki.caFile, '--token-cache-dir', cacheDir]

  async function login(): Promise<string> {
    const run = startCli(['oidc', 'get-token', '--oidc-issuer-url', op.issuer, '--oidc-client-id', 'kubernetes', '--grant-type', 'authcode',
      '--listen-address', '127.0.0.1:0', '--oidc-extra-scope', 'offline_access', ...common()], env())
    const [, url] = await run.waitFor(AUTH_URL)
    await browse(url, pki.ca)
    assert.equal((await run.done).exitCode, 0)
    const file = (await readdir(cacheDir)).find((f) => f.endsWith('.json'))!
    return JSON.parse(await readFile(join(cacheDir, file), 'utf8')).refreshToken
  }

  function refreshWith(token: string): Promise<{status: number; body: any}> {
    return new Promise((resolve, reject) => {
      const req = request(`${op.issuer}/token`, {ca: pki.ca, headers: {'content-type': 'application/x-www-form-urlencoded'}, method: 'POST'}, (res) => {
        let body = ''
        res.on('data', (d) => (body += d))
        res.on('end', () => resolve({body: JSON.parse(body), status: res.statusCode ?? 0}))
      })
      req.on('error', reject)
      req.end(new URLSearchParams({client_id: 'kubernetes', grant_type: 'refresh_token', refresh_token: token}).toString())
    })
  }

  it('--revoke revokes the refresh token at the issuer and removes the cache entry', async () => {
    const refreshToken = await login()
    assert.ok(refreshToken)
    const result = await runCli(['oidc', 'logout', '--oidc-issuer-url', op.issuer, '--oidc-client-id', 'kubernetes', '--revoke', ...common()], {env: env()})
    assert.equal(result.exitCode, 0, result.stderr)
    assert.equal(result.stdout, `logged out of ${op.issuer} (client kubernetes) (refresh token revoked)\n`)
    assert.deepEqual(await readdir(cacheDir), [])
    const refused = await refreshWith(refreshToken)
    assert.equal(refused.status, 400)
    assert.equal(refused.body.error, 'invalid_grant')
  })

  it('without --revoke only forgets the login; other issuers and clients are kept; --json lists what went', async () => {
    const refreshToken = await login()
    await writeFile(join(cacheDir, `${'a'.repeat(64)}.json`), JSON.stringify({clientId: 'kubernetes', issuer: 'https://other.example', obtainedAt: '', scopes: [], grantType: 'auto', token: 'x.y.z'}))
    const result = await runCli(['oidc', 'logout', '--oidc-issuer-url', op.issuer, '--json', ...common()], {env: env()})
    assert.equal(result.exitCode, 0, result.stderr)
    assert.deepEqual(JSON.parse(result.stdout), {removed: [{clientId: 'kubernetes', issuer: op.issuer}]})
    assert.deepEqual(await readdir(cacheDir), [`${'a'.repeat(64)}.json`])
    assert.equal((await refreshWith(refreshToken)).status, 200, 'not revoked')
  })

  it('--all also clears the marker of a login that failed before anything was cached', async () => {
    await mkdir(cacheDir, {recursive: true})
    const marker = join(cacheDir, `${'b'.repeat(64)}.pending`)
    await writeFile(marker, JSON.stringify({clientId: 'kubernetes', host: 'h', issuer: op.issuer, pid: 1, reason: 'timed out', startedAt: new Date().toISOString(), state: 'failed'}))
    const result = await runCli(['oidc', 'logout', '--all', ...common()], {env: env()})
    assert.equal(result.exitCode, 0, result.stderr)
    assert.equal(result.stderr, 'no cached login matched\n')
    assert.deepEqual(await readdir(cacheDir), [])
  })

  it('needs --oidc-issuer-url or --all (exit 2)', async () => {
    const result = await runCli(['oidc', 'logout', ...common()], {env: env()})
    assert.equal(result.exitCode, 2)
    assert.match(result.stderr, /^error: pass --oidc-issuer-url \(optionally with --oidc-client-id\), or --all\n$/)
  })
})
