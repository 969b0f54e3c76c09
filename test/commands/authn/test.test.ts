// The structured-config cases of kube-apiserver's OIDC authenticator table through `authn test`: tokens signed here
// (jose), keys in a JWKS file, one configuration with an issuer per scenario, a fixed --now. Then keys fetched live
// from a local HTTPS issuer (discovery, --jwks-uri).
import assert from 'node:assert/strict'
import {writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {base, generateKeys, NOW_TEXT, sign, TOKEN_TABLE as CASES, tokenTableConfig} from '../../helpers/authn-tables.js'
import {type CliResult, makeTempDir, runCli} from '../../helpers/cli.js'
import {discovery, startIssuers} from '../../helpers/jwt-issuers.js'
import {makePki, type TestPki} from '../oidc/provider.js'

describe('authn test: structured-config token table', function () {
  this.timeout(300_000)
  let dir: string
  let cleanup: () => Promise<void>
  let configFile: string
  let jwksFile: string
  const results = new Map<string, CliResult>()

  before(async () => {
    ;({cleanup, dir} = await makeTempDir('authctl-authn-test-'))
    const jwks = await generateKeys()
    configFile = join(dir, 'authentication-config.yaml')
    jwksFile = join(dir, 'jwks.json')
    await writeFile(configFile, JSON.stringify(tokenTableConfig(), null, 2))
    await writeFile(jwksFile, JSON.stringify(jwks))
    const queue = await Promise.all(CASES.map(async ([name, token]) => ({name, token: await token()})))
    const worker = async () => {
      for (let job = queue.shift(); job; job = queue.shift()) results.set(job.name, await runCli(['authn', 'test', configFile, job.token, '--jwks', jwksFile, '--now', NOW_TEXT, '--json']))
    }
    await Promise.all([worker(), worker()])
  })
  after(() => cleanup())

  it('the configuration itself is valid', async () => {
    const r = await runCli(['authn', 'validate', configFile])
    assert.equal(r.exitCode, 0, r.stdout + r.stderr)
  })

  it('has at least 40 token cases', () => assert.ok(CASES.length >= 40))

  it('--explain: authenticators of other issuers are skipped, the matching one decides', async () => {
    const token = await sign(base('email', {email: 'jane@example.com'}))
    const r = await runCli(['authn', 'test', configFile, token, '--jwks', jwksFile, '--now', NOW_TEXT, '--explain'])
    assert.equal(r.exitCode, 0, r.stdout + r.stderr)
    const lines = r.stdout.split('\n')
    assert.match(lines[0], /^- jwt\[0\] issuer +token iss "https:\/\/email\.example\.com" is not "https:\/\/claims\.example\.com"$/)
    assert.match(lines[1], /^- jwt\[1\] issuer /)
    assert.match(lines[2], /^✓ jwt\[2\] issuer +token iss matches "https:\/\/email\.example\.com"$/)
    assert.ok(lines.includes('authenticated by jwt[2] (issuer https://email.example.com)'))
  })

  for (const [name, , expect] of CASES) {
    it(name, () => {
      const r = results.get(name)!
      const doc = JSON.parse(r.stdout)
      if ('user' in expect) {
        assert.equal(r.exitCode, 0, r.stdout + r.stderr)
        assert.equal(doc.authenticated, true)
        assert.deepEqual(doc.user, expect.user)
      } else if ('unclaimed' in expect) {
        assert.equal(r.exitCode, 1, r.stderr)
        assert.equal(doc.authenticated, false)
        assert.equal(doc.authenticator, undefined)
        assert.match(r.stderr, /^error: no JWT authenticator in the configuration claims the token/)
      } else {
        assert.equal(r.exitCode, 1, r.stdout + r.stderr)
        assert.equal(doc.authenticated, false)
        if (typeof expect.error === 'string') assert.equal(doc.error, expect.error)
        else assert.match(doc.error, expect.error)
        assert.equal(doc.failedStep, expect.step)
        assert.match(r.stderr, new RegExp(`^error: jwt\\[\\d+\\] rejected the token at ${expect.step}: `))
      }
    })
  }
})

describe('authn test: keys live from the issuer (discovery, --jwks-uri)', function () {
  this.timeout(120_000)
  let tmp: {dir: string; cleanup: () => Promise<void>}
  let issuers: Awaited<ReturnType<typeof startIssuers>>
  let configFile: string
  let downFile: string
  let pki: TestPki

  before(async () => {
    tmp = await makeTempDir('authctl-authn-test-live-')
    pki = makePki(tmp.dir)
    const jwks = await generateKeys()
    issuers = await startIssuers(pki, () => jwks)
    configFile = join(tmp.dir, 'live.json')
    await writeFile(configFile, JSON.stringify(tokenTableConfig(discovery(issuers.url, pki.ca))))
    downFile = join(tmp.dir, 'down.json')
    await writeFile(downFile, JSON.stringify(tokenTableConfig((name) => ({certificateAuthority: pki.ca, discoveryURL: `https://127.0.0.1:1/${name}/.well-known/openid-configuration`}))))
  })
  after(async () => {
    await issuers?.close()
    await tmp?.cleanup()
  })

  const test = (file: string, token: string, ...flags: string[]) => runCli(['authn', 'test', file, token, '--now', NOW_TEXT, '--json', ...flags])

  it('without --jwks: the matching issuer\'s discoveryURL and JWKS, trusting its certificateAuthority', async () => {
    const r = await test(configFile, await sign(base('claims', {groups: ['dev'], uid: 'u-1'})))
    assert.equal(r.exitCode, 0, r.stdout + r.stderr)
    assert.deepEqual(JSON.parse(r.stdout).user, {groups: ['oidc:dev', 'system:authenticated'], uid: 'u-1', username: 'oidc:jane'})
    assert.equal(issuers.hits.get('/claims/.well-known/openid-configuration'), 1)
    assert.ok((issuers.hits.get('/jwks') ?? 0) >= 1)
  })

  it('without --jwks: rejections are the same as offline', async () => {
    const r = await test(configFile, await sign(base('cel', {email: 'jane@example.com', hd: 'evil.com', roles: 'dev'})))
    assert.equal(r.exitCode, 1, r.stdout + r.stderr)
    assert.equal(JSON.parse(r.stdout).error, 'oidc: error evaluating claim validation expression: validation expression \'claims.hd == "example.com"\' failed: the hd claim must be set to example.com')
  })

  it('--jwks-uri: keys from that URL through the same client', async () => {
    const before = issuers.hits.get('/email/.well-known/openid-configuration') ?? 0
    const r = await test(configFile, await sign(base('email', {email: 'jane@example.com'})), '--jwks-uri', `${issuers.url}/jwks`)
    assert.equal(r.exitCode, 0, r.stdout + r.stderr)
    assert.equal(JSON.parse(r.stdout).user.username, 'jane@example.com')
    assert.equal(issuers.hits.get('/email/.well-known/openid-configuration') ?? 0, before, 'no discovery with --jwks-uri')
  })

  it('a kid the JWKS does not hold (fetched less than 10 s ago) → refused at signature', async () => {
    const r = await test(configFile, await sign(base('claims', {uid: 'u-1'}), {kid: 'rotated'}), '--explain')
    assert.equal(r.exitCode, 1, r.stdout + r.stderr)
    assert.equal(JSON.parse(r.stdout).failedStep, 'signature')
  })

  it('a discovery URL that is down → exit 1, "oidc: authenticator not initialized" with the cause', async () => {
    const r = await test(downFile, await sign(base('claims', {uid: 'u-1'})))
    assert.equal(r.exitCode, 1, r.stdout + r.stderr)
    const doc = JSON.parse(r.stdout)
    assert.equal(doc.error, 'oidc: authenticator not initialized')
    assert.equal(doc.failedStep, 'keys')
    assert.match(r.stderr, /^error: jwt\[0\] rejected the token at keys: oidc: authenticator not initialized \(the keys could not be fetched: .*127\.0\.0\.1:1/)
  })

  it('--jwks with --jwks-uri, or an http --jwks-uri → usage error (exit 2)', async () => {
    const token = await sign(base('claims', {uid: 'u-1'}))
    assert.equal((await test(configFile, token, '--jwks', 'x.json', '--jwks-uri', `${issuers.url}/jwks`)).exitCode, 2)
    const r = await test(configFile, token, '--jwks-uri', 'http://127.0.0.1/jwks')
    assert.equal(r.exitCode, 2, r.stderr)
    assert.match(r.stderr, /^error: --jwks-uri must be an https URL/)
  })
})
