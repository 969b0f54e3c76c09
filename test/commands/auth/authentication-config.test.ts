// auth whoami and doctor with --authentication-config: when serve (running one AuthenticationConfiguration) answers
// 401 to a bearer token, the hint names the rule of the configuration the admin gives that refuses it.
import assert from 'node:assert/strict'
import {generateKeyPairSync} from 'node:crypto'
import {writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {exportJWK, SignJWT} from 'jose'

import {type RunningServer, startServer} from '../../../src/lib/server/index.js'
import {makePki, type TestPki} from '../oidc/provider.js'
import {makeTempDir, runCli} from '../../helpers/cli.js'
import {startIssuers} from '../../helpers/jwt-issuers.js'

describe('auth whoami / doctor --authentication-config: the rule that refused the token', function () {
  this.timeout(120_000)
  let tmp: {dir: string; cleanup: () => Promise<void>}
  let pki: TestPki
  let issuers: Awaited<ReturnType<typeof startIssuers>>
  let server: RunningServer
  let configFile: string
  const {privateKey, publicKey} = generateKeyPairSync('ec', {namedCurve: 'P-256'})
  let iss: string

  const config = (hd: string) => JSON.stringify({
    apiVersion: 'apiserver.config.k8s.io/v1',
    kind: 'AuthenticationConfiguration',
    jwt: [{
      claimMappings: {username: {claim: 'sub', prefix: 'acme:'}},
      claimValidationRules: [{expression: `claims.hd == "${hd}"`, message: `the hd claim must be ${hd}`}],
      issuer: {audiences: ['kubernetes'], certificateAuthority: pki.ca, url: iss},
    }],
  })
  const token = (claims: Record<string, unknown>) => new SignJWT(claims).setProtectedHeader({alg: 'ES256', kid: 'k1'}).setIssuer(iss)
    .setAudience('kubernetes').setSubject('jane').setIssuedAt().setExpirationTime('1h').sign(privateKey)
  const kubeconfig = async (name: string, bearer: string) => {
    const path = join(tmp.dir, name)
    await writeFile(path, JSON.stringify({
      apiVersion: 'v1',
      clusters: [{cluster: {'certificate-authority-data': Buffer.from(server.caCertificate).toString('base64'), server: server.url}, name: 'ref'}],
      contexts: [{context: {cluster: 'ref', user: 'jane'}, name: 'ref'}],
      'current-context': 'ref',
      kind: 'Config',
      users: [{name: 'jane', user: {token: bearer}}],
    }))
    return path
  }

  before(async () => {
    tmp = await makeTempDir('authctl-whoami-authn-config-')
    pki = makePki(tmp.dir)
    const jwk = {...(await exportJWK(publicKey)), alg: 'ES256', kid: 'k1', use: 'sig'}
    issuers = await startIssuers(pki, () => ({keys: [jwk]}))
    iss = `${issuers.url}/self-acme`
    configFile = join(tmp.dir, 'authentication-config.json')
    await writeFile(configFile, config('example.com'))
    server = await startServer({authenticationConfigFile: configFile, port: 0})
  })
  after(async () => {
    await server?.close()
    await issuers?.close()
    await tmp?.cleanup()
  })

  it('whoami: a token the server accepts is answered as without the flag', async () => {
    const path = await kubeconfig('good', await token({hd: 'example.com'}))
    const r = await runCli(['auth', 'whoami', '--kubeconfig', path, '--authentication-config', configFile])
    assert.equal(r.exitCode, 0, r.stderr)
    assert.match(r.stdout, /Username +acme:jane\n/)
  })

  it('whoami: a refused token → exit 1, kubectl\'s error, and the failing claim validation rule as the hint', async () => {
    const path = await kubeconfig('bad-hd', await token({hd: 'evil.example'}))
    const plain = await runCli(['auth', 'whoami', '--kubeconfig', path])
    assert.equal(plain.exitCode, 1)
    assert.doesNotMatch(plain.stderr, /hd claim/)
    const r = await runCli(['auth', 'whoami', '--kubeconfig', path, '--authentication-config', configFile])
    assert.equal(r.exitCode, 1)
    assert.equal(r.stdout, '')
    assert.match(r.stderr, /^error: You must be logged in to the server \(Unauthorized\) \(under .*authentication-config\.json: jwt\[0\] rejected the token at claim-validation: oidc: error evaluating claim validation expression: validation expression 'claims\.hd == "example\.com"' failed: the hd claim must be example\.com\)\n$/)
  })

  it('whoami: a configuration that would accept the token says the server is not running it', async () => {
    const other = join(tmp.dir, 'other.json')
    await writeFile(other, config('evil.example'))
    const path = await kubeconfig('bad-hd-2', await token({hd: 'evil.example'}))
    const r = await runCli(['auth', 'whoami', '--kubeconfig', path, '--authentication-config', other])
    assert.equal(r.exitCode, 1)
    assert.match(r.stderr, /jwt\[0\] accepts the token as "acme:jane": the API server is not running this configuration/)
  })

  it('doctor: the whoami check names the failing rule', async () => {
    const path = await kubeconfig('doctor', await token({hd: 'evil.example'}))
    const r = await runCli(['doctor', '--kubeconfig', path, '--authentication-config', configFile, '--json'])
    assert.equal(r.exitCode, 1, r.stderr)
    const check = JSON.parse(r.stdout).contexts[0].checks.find((c: {name: string}) => c.name === 'whoami')
    assert.equal(check.status, 'fail', JSON.stringify(check))
    assert.match(check.fix, /jwt\[0\] rejected the token at claim-validation: .* failed: the hd claim must be example\.com$/)
  })

  it('an invalid configuration → exit 2 before any request, naming the error', async () => {
    const bad = join(tmp.dir, 'bad.json')
    await writeFile(bad, JSON.stringify({apiVersion: 'apiserver.config.k8s.io/v1', kind: 'AuthenticationConfiguration', jwt: [{issuer: {url: 'http://x', audiences: ['a']}, claimMappings: {username: {claim: 'sub', prefix: ''}}}]}))
    const path = await kubeconfig('invalid', 'whatever')
    const r = await runCli(['auth', 'whoami', '--kubeconfig', path, '--authentication-config', bad])
    assert.equal(r.exitCode, 2)
    assert.match(r.stderr, /^error: invalid authentication configuration ".*bad\.json": jwt\[0\]\.issuer\.url: Invalid value: "http:\/\/x": URL scheme must be https/)
  })
})
