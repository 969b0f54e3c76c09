// The structured-config cases of kube-apiserver's OIDC authenticator table through `authn test`: tokens signed here
// (jose), keys in a JWKS file, one configuration with an issuer per scenario, a fixed --now.
import assert from 'node:assert/strict'
import {writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {base, generateKeys, NOW_TEXT, sign, TOKEN_TABLE as CASES, tokenTableConfig} from '../../helpers/authn-tables.js'
import {type CliResult, makeTempDir, runCli} from '../../helpers/cli.js'

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
