// OIDC discovery and JWKS from a real OpenID provider (oidc-provider) served over HTTPS on 127.0.0.1, with tokens it
// issued itself (client-credentials JWT access tokens), verified by the built CLI.
import assert from 'node:assert/strict'
import {execFileSync} from 'node:child_process'
import {generateKeyPairSync} from 'node:crypto'
import {readFileSync} from 'node:fs'
import https from 'node:https'
import type {AddressInfo} from 'node:net'
import {join} from 'node:path'
import type {Duplex} from 'node:stream'

import {makeTempDir, runCli} from '../../helpers/cli.js'

const CLIENT = {id: 'ci-robot', secret: 'a-test-client-secret-of-some-length'}

function listen(server: https.Server): Promise<string> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`https://127.0.0.1:${(server.address() as AddressInfo).port}`)))
}

function close(server: https.Server, sockets: Set<Duplex>): Promise<void> {
  for (const s of sockets) s.destroy()
  return new Promise((resolve) => server.close(() => resolve()))
}

function tracked(server: https.Server): Set<Duplex> {
  const sockets = new Set<Duplex>()
  server.on('connection', (s) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  return sockets
}

/** Client-credentials grant against the provider's token endpoint, trusting only the test CA. */
function issueToken(issuer: string, ca: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const body = 'grant_type=client_credentials&resource=urn%3Akubernetes'
    const req = https.request(`${issuer}/token`, {
      agent: new https.Agent({ca}),
      headers: {
        authorization: 'Basic ' + Buffer.from(`${CLIENT.id}:${CLIENT.secret}`).toString('base64'),
        'content-type': 'application/x-www-form-urlencoded',
      },
      method: 'POST',
    }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c) => chunks.push(c))
      res.on('end', () => {
        const json = JSON.parse(Buffer.concat(chunks).toString())
        if (res.statusCode === 200) resolve(json.access_token)
        else reject(new Error(`token endpoint: ${res.statusCode} ${JSON.stringify(json)}`))
      })
    })
    req.on('error', reject)
    req.end(body)
  })
}

describe('token verify against a real OpenID provider over HTTPS', function () {
  this.timeout(60_000)
  let dir: string
  let cleanup: () => Promise<void>
  let caFile: string
  let issuer: string
  let token: string
  let server: https.Server
  let sockets: Set<Duplex>

  before(async () => {
    ;({cleanup, dir} = await makeTempDir('authctl-token-oidc-'))
    caFile = join(dir, 'ca.crt')
    const keyFile = join(dir, 'tls.key')
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', keyFile, '-out', caFile,
      '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-days', '1'], {stdio: 'ignore'})
    const ca = readFileSync(caFile, 'utf8')
    server = https.createServer({cert: ca, key: readFileSync(keyFile)})
    sockets = tracked(server)
    issuer = await listen(server)
    const {privateKey} = generateKeyPairSync('rsa', {modulusLength: 2048})
    // oidc-provider ships no type declarations; a non-literal specifier keeps tsc from looking for them.
    const {default: Provider} = await import('oidc-provider' as string)
    const provider = new Provider(issuer, {
      clients: [{client_id: CLIENT.id, client_secret: CLIENT.secret, grant_types: ['client_credentials'], redirect_uris: [], response_types: []}],
      cookies: {keys: ['test-cookie-key']},
      features: {
        clientCredentials: {enabled: true},
        devInteractions: {enabled: false},
        resourceIndicators: {
          defaultResource: () => 'urn:kubernetes',
          enabled: true,
          getResourceServerInfo: () => ({accessTokenFormat: 'jwt', accessTokenTTL: 300, audience: 'kubernetes', scope: 'openid'}),
          useGrantedResource: () => true,
        },
      },
      jwks: {keys: [{...privateKey.export({format: 'jwk'}), alg: 'RS256', kid: 'provider-key-1', use: 'sig'}]},
      ttl: {ClientCredentials: 300},
    })
    server.on('request', provider.callback())
    token = await issueToken(issuer, ca)
  })

  after(async () => {
    await close(server, sockets)
    await cleanup()
  })

  it('discovers the JWKS from --issuer and derives the OIDC user', async () => {
    const r = await runCli(['token', 'verify', token, '--issuer', issuer, '--certificate-authority', caFile, '--audience', 'kubernetes', '--json'])
    assert.equal(r.exitCode, 0, r.stderr + r.stdout)
    const report = JSON.parse(r.stdout)
    assert.equal(report.valid, true)
    assert.equal(report.header.kid, 'provider-key-1')
    assert.equal(report.user.username, `${issuer}#${CLIENT.id}`)
    assert.match(report.checks.find((c: {name: string}) => c.name === 'signature').detail, /kid "provider-key-1" in https:\/\/127\.0\.0\.1:\d+\/jwks/)

    const mapped = await runCli(['token', 'verify', token, '--issuer', issuer, '--certificate-authority', caFile, '--audience', 'kubernetes', '--oidc-username-claim', 'client_id', '--oidc-username-prefix', '-'])
    assert.equal(mapped.exitCode, 0, mapped.stderr)
    assert.match(mapped.stdout, new RegExp(`Username: +${CLIENT.id}\\n`))
  })

  it('verifies against the provider\'s jwks_uri given as --jwks', async () => {
    const r = await runCli(['token', 'verify', token, '--jwks', `${issuer}/jwks`, '--certificate-authority', caFile, '--issuer', issuer, '--audience', 'kubernetes'])
    assert.equal(r.exitCode, 0, r.stderr + r.stdout)
    assert.match(r.stdout, /^VALID: OIDC ID token/)
  })

  it('rejects a wrong client ID with kube-apiserver\'s message', async () => {
    const r = await runCli(['token', 'verify', token, '--issuer', issuer, '--certificate-authority', caFile, '--audience', 'dashboard'])
    assert.equal(r.exitCode, 1)
    assert.match(r.stderr, /^error: oidc: expected audience in \["dashboard"\] got \["kubernetes"\]$/m)
  })

  it('refuses an issuer that does not match the discovery document exactly', async () => {
    const r = await runCli(['token', 'verify', token, '--issuer', `${issuer}/`, '--certificate-authority', caFile])
    assert.equal(r.exitCode, 1)
    assert.match(r.stderr, /oidc: issuer did not match the issuer returned by provider, expected "https:\/\/127\.0\.0\.1:\d+\/" got "https:\/\/127\.0\.0\.1:\d+"/)
  })

  it('does not trust the provider without --certificate-authority', async () => {
    const r = await runCli(['token', 'verify', token, '--issuer', issuer, '--audience', 'kubernetes'])
    assert.equal(r.exitCode, 1)
    assert.match(r.stderr, /^error: cannot fetch https:\/\/127\.0\.0\.1:\d+\/\.well-known\/openid-configuration: .*certificate.* \(pass the issuer CA with --certificate-authority\)$/m)
    assert.ok(!r.stderr.includes(token.split('.')[2]))
  })

  it('gives up on an issuer that never answers after --timeout', async () => {
    const silent = https.createServer({cert: readFileSync(caFile), key: readFileSync(join(dir, 'tls.key'))}, () => {})
    const silentSockets = tracked(silent)
    const url = await listen(silent)
    try {
      const r = await runCli(['token', 'verify', token, '--issuer', url, '--certificate-authority', caFile, '--timeout', '300ms'])
      assert.equal(r.exitCode, 1)
      assert.match(r.stderr, /^error: cannot fetch https:\/\/127\.0\.0\.1:\d+\/\.well-known\/openid-configuration: timed out after 300 ms$/m)
    } finally {
      await close(silent, silentSockets)
    }
  })

  it('refuses a plain-http issuer', async () => {
    const r = await runCli(['token', 'verify', token, '--issuer', 'http://127.0.0.1:1'])
    assert.equal(r.exitCode, 2)
    assert.match(r.stderr, /must use https/)
  })
})
