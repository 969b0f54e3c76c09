import assert from 'node:assert/strict'
import {execFileSync} from 'node:child_process'
import {request} from 'node:http'

import {AuthctlError} from '../../../src/lib/output/errors.js'
import {cacheKey, type CacheKeyInput} from '../../../src/lib/oidc/cache.js'
import {checkMetadata} from '../../../src/lib/oidc/discovery.js'
import {execCredential, parseExecInfo} from '../../../src/lib/oidc/exec-credential.js'
import {canOpenBrowser} from '../../../src/lib/oidc/browser.js'
import {authorizationUrl} from '../../../src/lib/oidc/grants.js'
import {parseListenAddress, startLoopback} from '../../../src/lib/oidc/loopback.js'
import {createPkce, s256} from '../../../src/lib/oidc/pkce.js'
import {parseExtraParams} from '../../../src/lib/oidc/options.js'

describe('oidc: cache key', () => {
  const base: CacheKeyInput = {
    ca: 'PEM',
    clientId: 'kubernetes',
    clientSecret: 's',
    extraParams: {audience: 'a', resource: 'r'},
    grantType: 'auto',
    issuerUrl: 'https://issuer.example',
    scopes: ['openid', 'email'],
  }

  it('changes with every input that shapes the token', () => {
    const variants: CacheKeyInput[] = [
      {...base, issuerUrl: 'https://issuer.example/'},
      {...base, clientId: 'other'},
      {...base, clientSecret: undefined},
      {...base, clientSecret: 't'},
      {...base, scopes: ['openid']},
      {...base, scopes: ['openid', 'email', 'groups']},
      {...base, grantType: 'device-code'},
      {...base, ca: undefined},
      {...base, ca: 'PEM2'},
      {...base, extraParams: {audience: 'a'}},
      {...base, extraParams: {audience: 'a', resource: 'x'}},
    ]
    const keys = new Set([base, ...variants].map(cacheKey))
    assert.equal(keys.size, variants.length + 1)
    for (const key of keys) assert.match(key, /^[0-9a-f]{64}$/)
  })

  it('ignores the order of scopes and extra parameters (same request, same token)', () => {
    assert.equal(cacheKey({...base, scopes: ['email', 'openid', 'email']}), cacheKey(base))
    assert.equal(cacheKey({...base, extraParams: {resource: 'r', audience: 'a'}}), cacheKey(base))
  })
})

describe('oidc: PKCE and the authorization request', () => {
  it('computes S256 as BASE64URL(SHA256(verifier)), checked against openssl', () => {
    const pkce = createPkce()
    const digest = execFileSync('openssl', ['dgst', '-sha256', '-binary'], {input: pkce.verifier})
    assert.equal(pkce.challenge, digest.toString('base64url'))
    assert.match(pkce.verifier, /^[\w-]{43}$/)
    assert.equal(pkce.challenge, s256(pkce.verifier))
    assert.notEqual(createPkce().verifier, pkce.verifier)
  })

  it('asks for consent when offline_access is requested, unless the user set prompt', () => {
    const meta = {authorization_endpoint: 'https://i.example/auth?x=1', issuer: 'https://i.example', jwks_uri: '', token_endpoint: ''}
    const p = {challenge: 'c', nonce: 'n', redirectUri: 'http://127.0.0.1:1/', state: 's'}
    const url = new URL(authorizationUrl(meta, {clientId: 'k', extraParams: {}, scopes: ['openid', 'offline_access']}, p))
    assert.equal(url.searchParams.get('x'), '1')
    assert.equal(url.searchParams.get('prompt'), 'consent')
    assert.equal(url.searchParams.get('code_challenge_method'), 'S256')
    const custom = new URL(authorizationUrl(meta, {clientId: 'k', extraParams: {prompt: 'login'}, scopes: ['openid', 'offline_access']}, p))
    assert.equal(custom.searchParams.get('prompt'), 'login')
    const plain = new URL(authorizationUrl(meta, {clientId: 'k', extraParams: {}, scopes: ['openid']}, p))
    assert.equal(plain.searchParams.get('prompt'), null)
  })

  it('parses KEY=VALUE extra parameters', () => {
    assert.deepEqual(parseExtraParams(['resource=urn:x', 'a=b=c']), {a: 'b=c', resource: 'urn:x'})
    assert.throws(() => parseExtraParams(['novalue']), (e: AuthctlError) => e.exitCode === 2)
  })
})

describe('oidc: KUBERNETES_EXEC_INFO and the ExecCredential', () => {
  it('follows the apiVersion and interactive flag kubectl sends', () => {
    assert.deepEqual(parseExecInfo({}), {apiVersion: 'client.authentication.k8s.io/v1'})
    const info = (apiVersion: string, spec: object) => ({KUBERNETES_EXEC_INFO: JSON.stringify({apiVersion, kind: 'ExecCredential', spec})})
    assert.deepEqual(parseExecInfo(info('client.authentication.k8s.io/v1beta1', {interactive: true})), {apiVersion: 'client.authentication.k8s.io/v1beta1', interactive: true})
    assert.deepEqual(parseExecInfo(info('client.authentication.k8s.io/v1', {interactive: false})), {apiVersion: 'client.authentication.k8s.io/v1', interactive: false})
    assert.throws(() => parseExecInfo(info('client.authentication.k8s.io/v1alpha1', {})), /asks for apiVersion "client.authentication.k8s.io\/v1alpha1"/)
    assert.throws(() => parseExecInfo({KUBERNETES_EXEC_INFO: '{'}), /not valid JSON/)
  })

  it('writes the expiry as RFC 3339 without fractions', () => {
    assert.deepEqual(execCredential('client.authentication.k8s.io/v1', 't', new Date('2030-01-02T03:04:05.678Z')), {
      apiVersion: 'client.authentication.k8s.io/v1',
      kind: 'ExecCredential',
      spec: {},
      status: {expirationTimestamp: '2030-01-02T03:04:05Z', token: 't'},
    })
  })
})

describe('oidc: discovery document checks', () => {
  const good = {authorization_endpoint: 'https://i/auth', issuer: 'https://i', jwks_uri: 'https://i/jwks', token_endpoint: 'https://i/token'}
  it('accepts a document for the same issuer and names what is wrong otherwise', () => {
    assert.equal(checkMetadata('https://i', 'u', good).issuer, 'https://i')
    assert.throws(() => checkMetadata('https://i/', 'u', good), /names issuer "https:\/\/i", not "https:\/\/i\/"/)
    assert.throws(() => checkMetadata('https://i', 'u', [good]), /not a JSON object/)
    assert.throws(() => checkMetadata('https://i', 'u', {...good, token_endpoint: undefined}), /token_endpoint is missing/)
  })
})

describe('oidc: browser decision', () => {
  it('opens a browser only with a display and a terminal', () => {
    assert.equal(canOpenBrowser({DISPLAY: ':0'}, true, 'linux'), true)
    assert.equal(canOpenBrowser({WAYLAND_DISPLAY: 'wayland-0'}, true, 'linux'), true)
    assert.equal(canOpenBrowser({}, true, 'linux'), false)
    assert.equal(canOpenBrowser({DISPLAY: ':0'}, false, 'linux'), false)
    assert.equal(canOpenBrowser({}, true, 'darwin'), true)
    assert.equal(canOpenBrowser({}, false, 'darwin'), false)
  })
})

describe('oidc: loopback redirect listener', () => {
  it('accepts only loopback HOST:PORT', () => {
    assert.deepEqual(parseListenAddress('127.0.0.1:8000'), {host: '127.0.0.1', port: 8000})
    assert.deepEqual(parseListenAddress('[::1]:0'), {host: '::1', port: 0})
    for (const bad of ['0.0.0.0:8000', '10.0.0.1:80', '127.0.0.1', 'localhost:99999']) {
      assert.throws(() => parseListenAddress(bad), (e: AuthctlError) => e.exitCode === 2, bad)
    }
  })

  const get = (url: string) =>
    new Promise<{status: number; body: string}>((resolve, reject) => {
      request(url, (res) => {
        let body = ''
        res.on('data', (d) => (body += d))
        res.on('end', () => resolve({body, status: res.statusCode ?? 0}))
      }).on('error', reject).end()
    })

  it('ignores a stale state, then takes the code; falls back to the next address when the first is busy', async () => {
    const first = await startLoopback(['127.0.0.1:0'], 'one')
    const port = new URL(first.redirectUri).port
    const second = await startLoopback([`127.0.0.1:${port}`, '127.0.0.1:0'], 'two')
    try {
      assert.notEqual(new URL(second.redirectUri).port, port)
      const stale = await get(`${second.redirectUri}?code=x&state=one`)
      assert.equal(stale.status, 400)
      const ok = await get(`${second.redirectUri}?code=the-code&state=two`)
      assert.equal(ok.status, 200)
      assert.equal(await second.code, 'the-code')
    } finally {
      await first.close()
      await second.close()
    }
  })

  it('turns an error redirect into a login failure', async () => {
    const listener = await startLoopback(['127.0.0.1:0'], 's')
    try {
      await get(`${listener.redirectUri}?error=access_denied&error_description=nope&state=s`)
      await assert.rejects(listener.code, /login failed at the issuer: access_denied \(nope\)/)
    } finally {
      await listener.close()
    }
  })

  it('names every address it could not listen on', async () => {
    const busy = await startLoopback(['127.0.0.1:0'], 's')
    const port = new URL(busy.redirectUri).port
    try {
      await assert.rejects(startLoopback([`127.0.0.1:${port}`], 't'), new RegExp(`cannot listen for the login redirect on 127.0.0.1:${port}: EADDRINUSE`))
    } finally {
      await busy.close()
    }
  })
})
