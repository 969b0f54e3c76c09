// getToken's decisions with a scripted issuer (no network): expiry margin, refresh answers without an id_token
// (kubelogin#536), refresh tokens that are not rotated, --force-refresh.
import assert from 'node:assert/strict'
import {readFile} from 'node:fs/promises'

import {makeTempDir} from '../../helpers/cli.js'
import {AuthctlError} from '../../../src/lib/output/errors.js'
import {EXPIRY_MARGIN_MS, getToken, keyFor, type GetTokenOptions} from '../../../src/lib/oidc/get-token.js'
import {TokenCache} from '../../../src/lib/oidc/cache.js'
import type {Http, HttpResponse} from '../../../src/lib/oidc/http.js'

const ISSUER = 'https://issuer.test'

describe('oidc: getToken decisions', () => {
  let tmp: {dir: string; cleanup: () => Promise<void>}
  let sign: (claims: Record<string, unknown>) => Promise<string>
  let jwks: unknown
  const now = new Date('2030-01-01T00:00:00Z')
  const sec = (d: Date) => Math.floor(d.getTime() / 1000)

  before(async () => {
    tmp = await makeTempDir('authctl-oidc-unit-')
    const jose = await import('jose')
    const {privateKey, publicKey} = await jose.generateKeyPair('RS256')
    jwks = {keys: [{...(await jose.exportJWK(publicKey)), alg: 'RS256', kid: 'k'}]}
    sign = (claims) => new jose.SignJWT(claims).setProtectedHeader({alg: 'RS256', kid: 'k'}).sign(privateKey)
  })
  after(() => tmp.cleanup())

  let n = 0
  const options = (over: Partial<GetTokenOptions> = {}): GetTokenOptions => ({
    authTimeoutMs: 1000,
    cacheDir: `${tmp.dir}/c${++n}`,
    clientId: 'kubernetes',
    extraParams: {},
    extraScopes: [],
    forceRefresh: false,
    grantType: 'authcode',
    issuerUrl: ISSUER,
    listenAddresses: ['127.0.0.1:0'],
    ...over,
  })

  /** An issuer whose token endpoint answers from `answers` in order; records every form it receives. */
  function issuer(answers: Array<Record<string, unknown>>) {
    const forms: Array<Record<string, string | undefined>> = []
    const json = (status: number, body: unknown): HttpResponse => ({body: JSON.stringify(body), json: body, status})
    const http: Http = async (url, req) => {
      if (url === `${ISSUER}/.well-known/openid-configuration`) {
        return json(200, {authorization_endpoint: `${ISSUER}/auth`, issuer: ISSUER, jwks_uri: `${ISSUER}/jwks`, token_endpoint: `${ISSUER}/token`})
      }
      if (url === `${ISSUER}/jwks`) return json(200, jwks)
      if (url === `${ISSUER}/token`) {
        forms.push(req.form ?? {})
        const answer = answers.shift()
        if (!answer) throw new Error('unexpected token request')
        return 'error' in answer ? json(400, answer) : json(200, answer)
      }
      throw new Error(`unexpected ${url}`)
    }
    return {forms, http}
  }

  const idToken = (expiresInMs: number, extra: Record<string, unknown> = {}) =>
    sign({aud: 'kubernetes', exp: sec(now) + expiresInMs / 1000, iat: sec(now), iss: ISSUER, sub: 'alice', ...extra})

  async function seed(o: GetTokenOptions, token: string, refreshToken?: string) {
    await new TokenCache(o.cacheDir).write(keyFor(o), {clientId: 'kubernetes', grantType: o.grantType, issuer: ISSUER, obtainedAt: now.toISOString(), refreshToken, scopes: ['openid'], token})
  }

  const deps = (http: Http, interactive = false) => ({http, interactive, log: () => {}, now: () => now})

  it(`renews a token that expires within ${EXPIRY_MARGIN_MS / 1000} s, and keeps a refresh token the issuer did not rotate`, async () => {
    const o = options()
    await seed(o, await idToken(EXPIRY_MARGIN_MS - 1000), 'rt-1')
    const fresh = await idToken(3600_000, {fresh: true})
    const {forms, http} = issuer([{id_token: fresh}])
    const result = await getToken(o, deps(http))
    assert.equal(result.source, 'refresh')
    assert.equal(result.token, fresh)
    assert.deepEqual(forms, [{client_id: 'kubernetes', grant_type: 'refresh_token', refresh_token: 'rt-1'}])
    const stored = JSON.parse(await readFile(new TokenCache(o.cacheDir).entryPath(keyFor(o)), 'utf8'))
    assert.equal(stored.refreshToken, 'rt-1')
    assert.equal(stored.token, fresh)
  })

  it('serves a token with more than the margin left from the cache without asking the issuer', async () => {
    const o = options()
    const token = await idToken(EXPIRY_MARGIN_MS + 5000)
    await seed(o, token, 'rt')
    const result = await getToken(o, deps(issuer([]).http))
    assert.equal(result.source, 'cache')
    assert.equal(result.token, token)
  })

  it('never hands out a damaged cached token (not a JWT, or no exp); it refreshes instead', async () => {
    for (const bad of ['not-a-jwt', `e30.${Buffer.from('{"sub":"a"}').toString('base64url')}.sig`]) {
      const o = options()
      await seed(o, bad, 'rt')
      const fresh = await idToken(3600_000)
      const result = await getToken(o, deps(issuer([{id_token: fresh}]).http))
      assert.equal(result.source, 'refresh')
      assert.equal(result.token, fresh)
    }
  })

  it('--force-refresh refreshes a valid token and stores a rotated refresh token', async () => {
    const o = options({forceRefresh: true})
    await seed(o, await idToken(3600_000), 'rt-old')
    const fresh = await idToken(3600_000, {n: 2})
    const {http} = issuer([{id_token: fresh, refresh_token: 'rt-new'}])
    const result = await getToken(o, deps(http))
    assert.equal(result.source, 'refresh')
    assert.equal((await new TokenCache(o.cacheDir).read(keyFor(o)))?.refreshToken, 'rt-new')
  })

  it('a refresh answer without an id_token is a failed refresh, not a token (kubelogin#536)', async () => {
    const o = options()
    await seed(o, await idToken(-1000), 'rt')
    const {http} = issuer([{access_token: 'opaque'}])
    await assert.rejects(getToken(o, deps(http)), (e: AuthctlError) =>
      /cannot be renewed: the refresh answer carried no id_token$/.test(e.message) && /authctl oidc logout --oidc-issuer-url https:\/\/issuer\.test --oidc-client-id kubernetes/.test(e.hint ?? ''))
    const cache = new TokenCache(o.cacheDir)
    assert.equal((await cache.read(keyFor(o)))?.refreshToken, undefined)
    assert.equal((await cache.readMarker(keyFor(o)))?.state, 'failed')
  })

  it('refuses a refreshed id_token for another audience and keeps the cache as it was', async () => {
    const o = options()
    const old = await idToken(-1000)
    await seed(o, old, 'rt')
    const {http} = issuer([{id_token: await idToken(3600_000, {aud: 'someone-else'})}])
    await assert.rejects(getToken(o, deps(http)), /id_token audience \["someone-else"\] does not include client ID "kubernetes"/)
    const entry = await new TokenCache(o.cacheDir).read(keyFor(o))
    assert.equal(entry?.token, old)
    assert.equal(entry?.refreshToken, 'rt')
  })
})
