// ServiceAccount tokens, OIDC ID tokens and webhook TokenReview through `authctl serve`, with real kubectl whoami.
import assert from 'node:assert/strict'
import {execFileSync} from 'node:child_process'
import {createHash, createPrivateKey} from 'node:crypto'
import {writeFileSync} from 'node:fs'
import {createServer, type Server} from 'node:https'
import type {AddressInfo} from 'node:net'
import {join} from 'node:path'

import {createLocalJWKSet, exportJWK, jwtVerify, SignJWT} from 'jose'

import {startServer, type RunningServer} from '../../../src/lib/server/index.js'
import {makeTempDir, runProgram} from '../../helpers/cli.js'
import {call} from './client.js'
import {makePki, type Pki} from './fixtures.js'

const KUBECTL = '/usr/lib/google-cloud-sdk/bin/kubectl.1.32'
const SA_ISSUER = 'https://sa.example'

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)))
}

describe('serve: ServiceAccount, OIDC and webhook tokens', function () {
  this.timeout(60_000)
  let tmp: Awaited<ReturnType<typeof makeTempDir>>
  let pki: Pki
  let ca: string
  let server: RunningServer
  let issuer: Server
  let webhook: Server
  let issuerUrl: string
  const webhookCalls: any[] = []
  let saKey: ReturnType<typeof createPrivateKey>
  let oidcKey: ReturnType<typeof createPrivateKey>
  const now = () => Math.floor(Date.now() / 1000)

  const saToken = (claims: Record<string, unknown> = {}, key = saKey) =>
    new SignJWT({
      'kubernetes.io': {namespace: 'dev', pod: {name: 'web-1', uid: 'pod-uid'}, serviceaccount: {name: 'ci', uid: 'sa-uid'}},
      aud: [SA_ISSUER], exp: now() + 600, iat: now(), iss: SA_ISSUER, jti: 'jti-1', nbf: now(), sub: 'system:serviceaccount:dev:ci', ...claims,
    }).setProtectedHeader({alg: 'RS256', kid: 'k'}).sign(key)
  const idToken = (claims: Record<string, unknown> = {}) =>
    new SignJWT({aud: 'authctl', exp: now() + 600, groups: ['eng', 'ops'], iat: now(), iss: issuerUrl, sub: 'alice', ...claims})
      .setProtectedHeader({alg: 'RS256', kid: 'oidc-1'}).sign(oidcKey)

  before(async () => {
    tmp = await makeTempDir('authctl-serve-tokens-')
    pki = makePki(tmp.dir)
    ca = pki.read(pki.caCert)
    execFileSync('openssl', ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', 'sa.key'], {cwd: tmp.dir})
    execFileSync('openssl', ['pkey', '-in', 'sa.key', '-pubout', '-out', 'sa.pub'], {cwd: tmp.dir})
    execFileSync('openssl', ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', 'oidc.key'], {cwd: tmp.dir})
    saKey = createPrivateKey(pki.read(join(tmp.dir, 'sa.key')))
    oidcKey = createPrivateKey(pki.read(join(tmp.dir, 'oidc.key')))
    const jwk = {...(await exportJWK(oidcKey)), alg: 'RS256', kid: 'oidc-1', use: 'sig'}
    for (const k of ['d', 'p', 'q', 'dp', 'dq', 'qi'] as const) delete (jwk as any)[k]

    issuer = createServer({cert: pki.read(pki.serverCert), key: pki.read(pki.serverKey)}, (req, res) => {
      res.setHeader('Content-Type', 'application/json')
      if (req.url === '/.well-known/openid-configuration') res.end(JSON.stringify({issuer: issuerUrl, jwks_uri: `${issuerUrl}/keys`}))
      else if (req.url === '/keys') res.end(JSON.stringify({keys: [jwk]}))
      else res.writeHead(404).end('{}')
    })
    issuerUrl = `https://127.0.0.1:${await listen(issuer)}`

    webhook = createServer({cert: pki.read(pki.serverCert), key: pki.read(pki.serverKey)}, (req, res) => {
      let body = ''
      req.on('data', (d) => (body += d))
      req.on('end', () => {
        const review = JSON.parse(body)
        webhookCalls.push(review)
        const ok = review.spec.token === 'webhook-good'
        res.setHeader('Content-Type', 'application/json')
        res.end(JSON.stringify({apiVersion: review.apiVersion, kind: 'TokenReview', status: ok
          ? {authenticated: true, user: {extra: {team: ['a']}, groups: ['hooked'], uid: 'w-1', username: 'wanda'}}
          : review.spec.token === 'webhook-bad' ? {authenticated: false, error: 'token revoked'}
          // A webhook answering with the wrong JSON types must not be read loosely ("false" is truthy).
          : review.spec.token === 'webhook-string-false' ? {authenticated: 'false', user: {groups: ['system:masters'], username: 'mallory'}}
          : review.spec.token === 'webhook-string-groups' ? {authenticated: true, user: {groups: 'system:masters', username: 'mallory'}}
          : {authenticated: false}}))
      })
    })
    const webhookPort = await listen(webhook)
    writeFileSync(join(tmp.dir, 'webhook.kubeconfig'), `apiVersion: v1\nkind: Config\nclusters:\n- name: hook\n  cluster:\n    server: https://127.0.0.1:${webhookPort}/authenticate\n    certificate-authority: ca.crt\nusers:\n- name: api\n  user: {token: apiserver}\ncontexts:\n- name: c\n  context: {cluster: hook, user: api}\ncurrent-context: c\n`)

    server = await startServer({
      anonymousAuth: false, clientCAFile: pki.caCert,
      oidc: {caFile: pki.caCert, clientId: 'authctl', groupsClaim: 'groups', groupsPrefix: 'oidc:', issuerUrl, requiredClaims: {}},
      port: 0, reloadIntervalMs: 0, serviceAccount: {issuers: [SA_ISSUER], keyFiles: [join(tmp.dir, 'sa.pub')]},
      tlsCertFile: pki.serverCert, tlsKeyFile: pki.serverKey, webhook: {configFile: join(tmp.dir, 'webhook.kubeconfig'), version: 'v1'},
    })
  })
  after(async () => {
    await server?.close()
    await new Promise((r) => (issuer ? issuer.close(r) : r(undefined)))
    await new Promise((r) => (webhook ? webhook.close(r) : r(undefined)))
    await tmp?.cleanup()
  })

  const whoami = async (token: string) => {
    writeFileSync(join(tmp.dir, 'kc'), `apiVersion: v1\nkind: Config\nclusters: [{name: r, cluster: {server: "${server.url}", certificate-authority: ${pki.caCert}}}]\nusers: [{name: u, user: {token: "${token}"}}]\ncontexts: [{name: c, context: {cluster: r, user: u}}]\ncurrent-context: c\n`)
    return runProgram(KUBECTL, ['auth', 'whoami'], {env: {KUBECACHEDIR: join(tmp.dir, 'cache'), KUBECONFIG: join(tmp.dir, 'kc')}})
  }
  const ssr = (token: string) => call(server.url, ca, {body: '{}', path: '/apis/authentication.k8s.io/v1/selfsubjectreviews', token})
  const tokenReview = (token: string) => call(server.url, ca, {
    body: JSON.stringify({spec: {token}}), cert: pki.read(pki.clients.admin.cert), key: pki.read(pki.clients.admin.key), path: '/apis/authentication.k8s.io/v1/tokenreviews',
  })

  it('kubectl whoami for a bound ServiceAccount token', async () => {
    const r = await whoami(await saToken())
    assert.equal(r.exitCode, 0, r.stderr)
    assert.equal(r.stdout, [
      'ATTRIBUTE                                           VALUE',
      'Username                                            system:serviceaccount:dev:ci',
      'UID                                                 sa-uid',
      'Groups                                              [system:serviceaccounts system:serviceaccounts:dev system:authenticated]',
      'Extra: authentication.kubernetes.io/credential-id   [JTI=jti-1]',
      'Extra: authentication.kubernetes.io/pod-name        [web-1]',
      'Extra: authentication.kubernetes.io/pod-uid         [pod-uid]',
      '',
    ].join('\n'))
  })

  it('kubectl whoami for an OIDC user (issuer# prefix, prefixed groups)', async () => {
    const r = await whoami(await idToken())
    assert.equal(r.exitCode, 0, r.stderr)
    const name = `${issuerUrl}#alice`
    const width = Math.max('ATTRIBUTE'.length, 'Username'.length, 'Groups'.length) + 3
    assert.equal(r.stdout, `${'ATTRIBUTE'.padEnd(width)}VALUE\n${'Username'.padEnd(width)}${name}\n${'Groups'.padEnd(width)}[oidc:eng oidc:ops system:authenticated]\n`)
  })

  it('kubectl whoami for a webhook-authenticated token (TokenReview posted to the exact URL)', async () => {
    const r = await whoami('webhook-good')
    assert.equal(r.exitCode, 0, r.stderr)
    assert.match(r.stdout, /Username\s+wanda\nUID\s+w-1\nGroups\s+\[hooked system:authenticated\]\nExtra: team\s+\[a\]\n/)
    assert.equal(webhookCalls[0].apiVersion, 'authentication.k8s.io/v1')
    assert.deepEqual(webhookCalls[0].spec.audiences, [SA_ISSUER])
  })

  const legacyToken = (claims: Record<string, unknown> = {}) => new SignJWT({
    iss: 'kubernetes/serviceaccount', 'kubernetes.io/serviceaccount/namespace': 'ops', 'kubernetes.io/serviceaccount/secret.name': 'bot-token',
    'kubernetes.io/serviceaccount/service-account.name': 'bot', 'kubernetes.io/serviceaccount/service-account.uid': 'bot-uid', sub: 'system:serviceaccount:ops:bot', ...claims,
  }).setProtectedHeader({alg: 'RS256'}).sign(saKey)
  const legacyUser = {groups: ['system:serviceaccounts', 'system:serviceaccounts:ops', 'system:authenticated'], uid: 'bot-uid', username: 'system:serviceaccount:ops:bot'}

  it('legacy secret-based ServiceAccount tokens are accepted', async () => {
    const a = await ssr(await legacyToken())
    assert.deepEqual(a.json.status.userInfo, legacyUser)
  })

  it('legacy ServiceAccount token without aud gets the API audiences; one whose aud is an API audience is accepted', async () => {
    const review = await tokenReview(await legacyToken())
    assert.equal(review.json.status.authenticated, true)
    assert.deepEqual(review.json.status.audiences, [SA_ISSUER])
    const a = await ssr(await legacyToken({aud: ['elsewhere', SA_ISSUER]}))
    assert.equal(a.code, 201)
    assert.deepEqual(a.json.status.userInfo, legacyUser)
  })

  it('legacy ServiceAccount token with a foreign aud → 401; TokenReview says why', async () => {
    const token = await legacyToken({aud: 'elsewhere'})
    assert.equal((await ssr(token)).code, 401)
    const review = await tokenReview(token)
    assert.equal(review.json.status.authenticated, undefined)
    assert.ok(review.json.status.error.includes(`token audiences ["elsewhere"] is invalid for the target audiences ["${SA_ISSUER}"]`), review.json.status.error)
  })

  const negatives: Array<[string, () => Promise<string>, string]> = [
    ['expired SA token', () => saToken({exp: now() - 3600}), 'service account token has expired'],
    ['SA token not yet valid', () => saToken({nbf: now() + 3600}), 'service account token is not valid yet'],
    ['SA token for another audience', () => saToken({aud: ['other']}), `token audiences ["other"] is invalid for the target audiences ["${SA_ISSUER}"]`],
    ['SA token signed by another key', async () => saToken({}, oidcKey), 'go-jose/go-jose: error in cryptographic primitive'],
    ['tampered SA token (payload changed, signature kept)', async () => {
      const [h, p, s] = (await saToken()).split('.')
      const claims = JSON.parse(Buffer.from(p, 'base64url').toString())
      claims['kubernetes.io'].serviceaccount.name = 'admin'
      return `${h}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${s}`
    }, 'go-jose/go-jose: error in cryptographic primitive'],
    ['OIDC token for another client', () => idToken({aud: 'someone-else'}), 'oidc: verify token: oidc: expected audience "authctl" got ["someone-else"]'],
    ['expired OIDC token', () => idToken({exp: now() - 60}), 'oidc: verify token: oidc: token is expired'],
    ['OIDC token signed by another key', async () => new SignJWT({aud: 'authctl', exp: now() + 60, iss: issuerUrl, sub: 'x'}).setProtectedHeader({alg: 'RS256', kid: 'oidc-1'}).sign(saKey),
      'oidc: verify token: failed to verify signature'],
    ['webhook says no with an error', async () => 'webhook-bad', 'token revoked'],
    ['webhook answers "authenticated": "false" (a string)', async () => 'webhook-string-false', 'json: cannot unmarshal string into Go struct field TokenReviewStatus.status.authenticated of type bool'],
    ['webhook answers groups as a string', async () => 'webhook-string-groups', 'json: cannot unmarshal string into Go struct field UserInfo.user.groups of type []string'],
    ['nobody knows the token', async () => 'opaque-token', 'invalid bearer token'],
  ]
  for (const [name, make, error] of negatives) {
    it(`${name} → 401 and no identity; TokenReview explains why`, async () => {
      const token = await make()
      const a = await ssr(token)
      assert.equal(a.code, 401)
      assert.equal(a.json.reason, 'Unauthorized')
      const review = await tokenReview(token)
      assert.equal(review.json.status.authenticated, undefined)
      assert.ok(review.json.status.error.includes(error), review.json.status.error)
    })
  }

  it('no credentials with --anonymous-auth=false → 401', async () => {
    assert.equal((await call(server.url, ca, {path: '/healthz'})).code, 401)
  })

  it('publishes ServiceAccount issuer discovery; its JWKS verifies the tokens (jose, independent check)', async () => {
    const sa = await saToken()
    const openid = await call(server.url, ca, {path: '/.well-known/openid-configuration', token: sa})
    assert.equal(openid.code, 200)
    assert.equal(openid.json.issuer, SA_ISSUER)
    assert.equal(openid.json.jwks_uri, `${SA_ISSUER}/openid/v1/jwks`)
    const jwks = await call(server.url, ca, {path: '/openid/v1/jwks', token: sa})
    // kube-apiserver's key ID: base64url(SHA-256(PKIX DER)), computed here with openssl.
    const der = execFileSync('openssl', ['pkey', '-pubin', '-in', join(tmp.dir, 'sa.pub'), '-outform', 'DER'])
    const kid = createHash('sha256').update(der).digest('base64url')
    assert.equal(jwks.json.keys[0].kid, kid)
    assert.equal(jwks.json.keys[0].alg, 'RS256')
    const signed = await new SignJWT({aud: [SA_ISSUER], exp: now() + 60, iss: SA_ISSUER, sub: 'system:serviceaccount:dev:ci'}).setProtectedHeader({alg: 'RS256', kid}).sign(saKey)
    const {payload} = await jwtVerify(signed, createLocalJWKSet(jwks.json), {audience: SA_ISSUER, issuer: SA_ISSUER})
    assert.equal(payload.sub, 'system:serviceaccount:dev:ci')
    const other = await call(server.url, ca, {path: '/openid/v1/jwks', token: await idToken()})
    assert.equal(other.code, 403, 'only system:serviceaccounts may read it by default')
  })
})
