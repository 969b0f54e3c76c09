// `serve --authentication-config` against kube-apiserver's tables, the same rows `authn validate` and `authn test`
// run: every invalid configuration refuses to start with the same errors; every token gets the same answer through
// SelfSubjectReview and TokenReview, keys served by a real HTTPS discovery + JWKS server on 127.0.0.1 (reached through
// each issuer's discoveryURL and certificateAuthority). Plus the flag conflicts, anonymous path conditions, legacy
// flags on the same authenticator, and reloads that keep the previous configuration on a bad edit.
import assert from 'node:assert/strict'
import {createPublicKey, generateKeyPairSync} from 'node:crypto'
import {writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {exportJWK} from 'jose'

import {type RunningServer, startServer} from '../../../src/lib/server/index.js'
import {AUD, base, type Expect, generateKeys, issuer, NOW, type Obj, sign, TOKEN_TABLE, tokenTableConfig, VALIDATION_TABLE} from '../../helpers/authn-tables.js'
import {type CliResult, makeTempDir, runCli} from '../../helpers/cli.js'
import {makePki, type TestPki} from '../../commands/oidc/provider.js'
import {discovery, startIssuers} from '../../helpers/jwt-issuers.js'
import {call} from './client.js'

const SSR = '/apis/authentication.k8s.io/v1/selfsubjectreviews'
const TR = '/apis/authentication.k8s.io/v1/tokenreviews'
const ADMIN = 'admin-token'

function userOf(doc: any) {
  const u = doc.status.userInfo ?? doc.status.user
  return {username: u.username, groups: u.groups ?? [], ...(u.uid ? {uid: u.uid} : {}), ...(u.extra ? {extra: u.extra} : {})}
}

describe('serve --authentication-config / --authorization-config: the validation table refuses to start', function () {
  this.timeout(600_000)
  const rows = VALIDATION_TABLE.filter(([, , want]) => want.length > 0)
  const authentication = (config: Obj) => config.kind === 'AuthenticationConfiguration'
  const results = new Map<string, CliResult>()
  let tmp: {dir: string; cleanup: () => Promise<void>}

  before(async () => {
    tmp = await makeTempDir('authctl-serve-authn-validate-')
    const queue = rows.map(([name, config], i) => async () => {
      const file = join(tmp.dir, `case-${i}.yaml`)
      await writeFile(file, JSON.stringify(config))
      const flag = authentication(config) ? '--authentication-config' : '--authorization-config'
      results.set(name, await runCli(['serve', '--secure-port', '0', flag, file], {env: {XDG_STATE_HOME: tmp.dir}}))
    })
    const worker = async () => {
      for (let job = queue.shift(); job; job = queue.shift()) await job()
    }
    await Promise.all([worker(), worker()])
  })
  after(() => tmp.cleanup())

  it('has at least 30 invalid authentication configurations', () => assert.ok(rows.filter(([, config]) => authentication(config)).length >= 30))

  for (const [name, config, want] of rows) {
    it(`${name} → exit 1, ${want[0].split('\n')[0]}`, () => {
      const r = results.get(name)!
      assert.equal(r.exitCode, 1, r.stderr)
      assert.equal(r.stdout, '')
      const aggregate = want.length === 1 ? want[0] : `[${want.join(', ')}]`
      // kube-apiserver prefixes the authentication aggregate; the authorization one is printed as it is.
      assert.equal(r.stderr, `error: ${authentication(config) ? 'invalid authentication configuration: ' : ''}${aggregate}\n`)
    })
  }
})

describe('serve --authentication-config: start-up refusals in kube-apiserver words', function () {
  this.timeout(120_000)
  let tmp: {dir: string; cleanup: () => Promise<void>}
  const serve = (args: string[]) => runCli(['serve', '--secure-port', '0', ...args], {env: {XDG_STATE_HOME: tmp.dir}})
  const file = async (name: string, text: string) => {
    const path = join(tmp.dir, name)
    await writeFile(path, text)
    return path
  }
  before(async () => (tmp = await makeTempDir('authctl-serve-authn-refusals-')))
  after(() => tmp.cleanup())

  it('malformed YAML → exit 1, the decoder error with the file name', async () => {
    const path = await file('malformed.yaml', 'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\njwt: [\n')
    const r = await serve(['--authentication-config', path])
    assert.equal(r.exitCode, 1, r.stderr)
    assert.match(r.stderr, new RegExp(`^error: failed to load authentication configuration from file ${JSON.stringify(path).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: error converting YAML to JSON: yaml: line \\d+: `))
  })

  it('an unknown field → exit 1, strict decoding error naming it', async () => {
    const path = await file('unknown.yaml', JSON.stringify({apiVersion: 'apiserver.config.k8s.io/v1', jwt: [{claimMappings: {username: {claim: 'sub', prefix: ''}}, issuer: {audiences: ['a'], url: 'https://x', urll: 'y'}}], kind: 'AuthenticationConfiguration'}))
    const r = await serve(['--authentication-config', path])
    assert.equal(r.exitCode, 1, r.stderr)
    assert.equal(r.stderr, `error: failed to load authentication configuration from file ${JSON.stringify(path)}: strict decoding error: unknown field "jwt[0].issuer.urll"\n`)
  })

  it('another kind → exit 1', async () => {
    const path = await file('authz.yaml', JSON.stringify({apiVersion: 'apiserver.config.k8s.io/v1', authorizers: [{name: 'rbac', type: 'RBAC'}], kind: 'AuthorizationConfiguration'}))
    const r = await serve(['--authentication-config', path])
    assert.equal(r.exitCode, 1, r.stderr)
    assert.equal(r.stderr, `error: failed to load authentication configuration from file ${JSON.stringify(path)}: expected AuthenticationConfiguration, got AuthorizationConfiguration\n`)
  })

  it('with any --oidc-* flag → exit 2, "authentication-config file and oidc-* flags are mutually exclusive"', async () => {
    const path = await file('empty-jwt.yaml', JSON.stringify({apiVersion: 'apiserver.config.k8s.io/v1', jwt: [], kind: 'AuthenticationConfiguration'}))
    const r = await serve(['--authentication-config', path, '--oidc-username-claim', 'email'])
    assert.equal(r.exitCode, 2, r.stderr)
    assert.match(r.stderr, /^error: authentication-config file and oidc-\* flags are mutually exclusive/)
  })

  it('an anonymous block with --anonymous-auth → exit 1, kube-apiserver\'s Forbidden error', async () => {
    const path = await file('anonymous.yaml', JSON.stringify({anonymous: {enabled: false}, apiVersion: 'apiserver.config.k8s.io/v1', jwt: [], kind: 'AuthenticationConfiguration'}))
    const r = await serve(['--authentication-config', path, '--anonymous-auth', 'true'])
    assert.equal(r.exitCode, 1, r.stderr)
    assert.equal(r.stderr, 'error: invalid authentication configuration: anonymous: Forbidden: --anonymous-auth flag cannot be set when anonymous field is configured in authentication configuration file\n')
  })

  it('a JWT issuer that is a --service-account-issuer → exit 1 (disallowed issuers)', async () => {
    const path = await file('sa-issuer.yaml', JSON.stringify({apiVersion: 'apiserver.config.k8s.io/v1', jwt: [{claimMappings: {username: {claim: 'sub', prefix: ''}}, issuer: {audiences: ['a'], url: 'https://kubernetes.default.svc'}}], kind: 'AuthenticationConfiguration'}))
    const key = await file('sa.key', (await import('node:crypto')).generateKeyPairSync('ec', {namedCurve: 'P-256'}).publicKey.export({format: 'pem', type: 'spki'}).toString())
    const r = await serve(['--authentication-config', path, '--service-account-key-file', key, '--service-account-issuer', 'https://kubernetes.default.svc'])
    assert.equal(r.exitCode, 1, r.stderr)
    assert.equal(r.stderr, 'error: invalid authentication configuration: jwt[0].issuer.url: Invalid value: "https://kubernetes.default.svc": URL must not overlap with disallowed issuers: [https://kubernetes.default.svc]\n')
  })
})

describe('serve --authentication-config: the token table through SelfSubjectReview and TokenReview', function () {
  this.timeout(300_000)
  let tmp: {dir: string; cleanup: () => Promise<void>}
  let pki: TestPki
  let issuers: Awaited<ReturnType<typeof startIssuers>>
  let server: RunningServer
  const answers = new Map<string, {ssr: Awaited<ReturnType<typeof call>>; tr: Awaited<ReturnType<typeof call>>}>()

  before(async () => {
    tmp = await makeTempDir('authctl-serve-authn-tokens-')
    pki = makePki(tmp.dir)
    const jwks = await generateKeys()
    issuers = await startIssuers(pki, () => jwks)
    const configFile = join(tmp.dir, 'authentication-config.json')
    await writeFile(configFile, JSON.stringify(tokenTableConfig(discovery(issuers.url, pki.ca))))
    const tokenFile = join(tmp.dir, 'tokens.csv')
    await writeFile(tokenFile, `${ADMIN},admin,1,"system:masters"\n`)
    server = await startServer({
      authenticationConfigFile: configFile, now: () => new Date(NOW * 1000), port: 0, reloadIntervalMs: 0,
      tlsCertFile: join(tmp.dir, 'issuer-srv.crt'), tlsKeyFile: join(tmp.dir, 'issuer-srv.key'), tokenAuthFile: tokenFile,
    })
    const queue = await Promise.all(TOKEN_TABLE.map(async ([name, token]) => ({name, token: await token()})))
    const worker = async () => {
      for (let job = queue.shift(); job; job = queue.shift()) {
        const ssr = await call(server.url, pki.ca, {body: '{"apiVersion":"authentication.k8s.io/v1","kind":"SelfSubjectReview"}', path: SSR, token: job.token})
        const tr = await call(server.url, pki.ca, {body: JSON.stringify({apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: {token: job.token}}), path: TR, token: ADMIN})
        answers.set(job.name, {ssr, tr})
      }
    }
    await Promise.all([worker(), worker(), worker()])
  })
  after(async () => {
    await server?.close()
    await issuers?.close()
    await tmp?.cleanup()
  })

  it('the keys came through each issuer\'s discoveryURL, trusting its certificateAuthority', () => {
    assert.ok((issuers.hits.get('/claims/.well-known/openid-configuration') ?? 0) >= 1)
    assert.ok((issuers.hits.get('/cel/.well-known/openid-configuration') ?? 0) >= 1)
    assert.ok((issuers.hits.get('/jwks') ?? 0) >= 2)
  })

  for (const [name, , expect] of TOKEN_TABLE as Array<[string, unknown, Expect]>) {
    it(name, () => {
      const {ssr, tr} = answers.get(name)!
      assert.equal(tr.code, 201, tr.text)
      if ('user' in expect) {
        assert.equal(ssr.code, 201, ssr.text)
        assert.deepEqual(userOf(ssr.json), expect.user)
        assert.equal(tr.json.status.authenticated, true, tr.text)
        assert.deepEqual(userOf(tr.json), expect.user)
        return
      }
      assert.equal(ssr.code, 401, ssr.text)
      assert.equal(ssr.json.reason, 'Unauthorized')
      assert.notEqual(tr.json.status.authenticated, true, tr.text)
      if ('unclaimed' in expect) assert.equal(tr.json.status.error, 'invalid bearer token')
      else if (typeof expect.error === 'string') assert.equal(tr.json.status.error, expect.error)
      else assert.match(tr.json.status.error, expect.error)
    })
  }
})

describe('serve --authentication-config: anonymous conditions, legacy flags, discovery down, reload', function () {
  this.timeout(120_000)
  let tmp: {dir: string; cleanup: () => Promise<void>}
  let pki: TestPki
  let issuers: Awaited<ReturnType<typeof startIssuers>>
  const servers: RunningServer[] = []
  const logs: string[] = []
  let jwks: {keys: Array<Record<string, unknown>>}

  let clock = NOW * 1000
  const start = async (options: Parameters<typeof startServer>[0]) => {
    const server = await startServer({log: (l) => logs.push(l), now: () => new Date(clock), port: 0, reloadIntervalMs: 0,
      tlsCertFile: join(tmp.dir, 'issuer-srv.crt'), tlsKeyFile: join(tmp.dir, 'issuer-srv.key'), ...options})
    servers.push(server)
    return server
  }
  const whoami = async (server: RunningServer, token?: string, path = SSR) => call(server.url, pki.ca, {body: '{}', path, token})
  const configText = (jwt: unknown[], anonymous?: unknown) => JSON.stringify({apiVersion: 'apiserver.config.k8s.io/v1', jwt, kind: 'AuthenticationConfiguration', ...(anonymous ? {anonymous} : {})})
  const claimsJwt = (prefix: string, name = 'claims') => ({claimMappings: {username: {claim: 'sub', prefix}}, issuer: {audiences: [AUD], url: issuer(name), ...discovery(issuers.url, pki.ca)(name)}})

  before(async () => {
    tmp = await makeTempDir('authctl-serve-authn-more-')
    pki = makePki(tmp.dir)
    jwks = await generateKeys()
    issuers = await startIssuers(pki, () => jwks)
  })
  after(async () => {
    for (const s of servers) await s.close()
    await issuers?.close()
    await tmp?.cleanup()
  })

  it('anonymous for /livez only: exact path, query ignored; other paths and bad tokens are 401', async () => {
    const path = join(tmp.dir, 'anonymous.yaml')
    await writeFile(path, configText([claimsJwt('')], {conditions: [{path: '/livez'}], enabled: true}))
    const server = await start({authenticationConfigFile: path})
    const get = (p: string, token?: string) => call(server.url, pki.ca, {path: p, token})
    assert.equal((await get('/livez')).code, 200)
    assert.equal((await get('/livez?verbose')).code, 200)
    assert.equal((await get('/livez/ping')).code, 401)
    assert.equal((await get('/readyz')).code, 401)
    assert.equal((await get('/version')).code, 401)
    assert.equal((await get('/livez', 'not-a-token')).code, 401)
    assert.equal((await get('/livez', await sign(base('claims', {aud: 'someone-else'})))).code, 401)
  })

  it('a token signed with a rotated key: the JWKS is fetched again (at most every 10 s) and the token accepted', async () => {
    const path = join(tmp.dir, 'rotation.yaml')
    await writeFile(path, configText([claimsJwt('')]))
    const server = await start({authenticationConfigFile: path})
    assert.equal((await whoami(server, await sign(base('claims')))).code, 201)
    const rotated = generateKeyPairSync('ec', {namedCurve: 'P-256'}).privateKey
    jwks.keys.push({...(await exportJWK(createPublicKey(rotated))), kid: 'rotated'})
    const token = await sign(base('claims'), {alg: 'ES256', key: rotated, kid: 'rotated'})
    const fetched = issuers.hits.get('/jwks')
    assert.equal((await whoami(server, token)).code, 401, 'the JWKS was fetched less than 10 s ago')
    assert.equal(issuers.hits.get('/jwks'), fetched)
    clock += 11_000
    const ok = await whoami(server, token)
    assert.equal(ok.code, 201, ok.text)
    assert.equal(ok.json.status.userInfo.username, 'jane')
    assert.equal(issuers.hits.get('/jwks'), fetched! + 1)
    jwks.keys.pop()
    clock = NOW * 1000
  })

  it('an issuer that is down is asked again after 10 s, not by every request meanwhile', async () => {
    const path = join(tmp.dir, 'down-then-up.yaml')
    await writeFile(path, configText([claimsJwt('')]))
    const discoveryPath = '/claims/.well-known/openid-configuration'
    issuers.down.add('claims')
    try {
      const server = await start({authenticationConfigFile: path})
      const asked = issuers.hits.get(discoveryPath) ?? 0
      const token = await sign(base('claims'))
      for (let i = 0; i < 3; i++) assert.equal((await whoami(server, token)).code, 401)
      assert.equal(issuers.hits.get(discoveryPath) ?? 0, asked, 'the failure is the answer for 10 s')
      issuers.down.delete('claims')
      clock += 9_000
      assert.equal((await whoami(server, token)).code, 401)
      clock += 1_000
      const ok = await whoami(server, token)
      assert.equal(ok.code, 201, ok.text)
      assert.equal(issuers.hits.get(discoveryPath), asked + 1)
    } finally {
      issuers.down.delete('claims')
      clock = NOW * 1000
    }
  })

  it('audience-agnostic: the request\'s audiences must meet the API audiences, and the answer carries the intersection', async () => {
    const path = join(tmp.dir, 'audiences.yaml')
    await writeFile(path, configText([claimsJwt('')]))
    const tokens = join(tmp.dir, 'admin-aud.csv')
    await writeFile(tokens, `${ADMIN},admin,1,"system:masters"\n`)
    const api = 'https://kubernetes.default.svc'
    const server = await start({apiAudiences: [api], authenticationConfigFile: path, tokenAuthFile: tokens})
    const token = await sign(base('claims'))
    const review = async (audiences?: string[]) => (await call(server.url, pki.ca, {
      body: JSON.stringify({apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: {token, ...(audiences ? {audiences} : {})}}), path: TR, token: ADMIN,
    })).json.status
    assert.deepEqual((await review()).audiences, [api])
    assert.equal((await review()).user.username, 'jane')
    const foreign = await review(['vault'])
    assert.notEqual(foreign.authenticated, true)
    assert.equal(foreign.error, 'invalid bearer token')
    const mixed = await review(['vault', api])
    assert.equal(mixed.authenticated, true)
    assert.deepEqual(mixed.audiences, [api])
    assert.equal((await whoami(server, token)).code, 201)
  })

  it('--anonymous-auth=false applies when the file has no anonymous block', async () => {
    const path = join(tmp.dir, 'no-anonymous.yaml')
    await writeFile(path, configText([claimsJwt('')]))
    const server = await start({anonymousAuth: false, authenticationConfigFile: path})
    assert.equal((await call(server.url, pki.ca, {path: '/livez'})).code, 401)
    const ok = await whoami(server, await sign(base('claims')))
    assert.equal(ok.code, 201, ok.text)
    assert.equal(ok.json.status.userInfo.username, 'jane')
  })

  it('legacy --oidc-* flags run the same authenticator and keep --oidc-signing-algs', async () => {
    const issuerUrl = `${issuers.url}/self-legacy`
    const server = await start({oidc: {caFile: pki.caFile, clientId: AUD, issuerUrl, signingAlgs: ['ES256'], usernameClaim: 'sub', usernamePrefix: 'legacy:'}})
    const es = await whoami(server, await sign({...base('claims'), iss: issuerUrl}, {alg: 'ES256'}))
    assert.equal(es.code, 201, es.text)
    assert.equal(es.json.status.userInfo.username, 'legacy:jane')
    const rsToken = await sign({...base('claims'), iss: issuerUrl})
    assert.equal((await whoami(server, rsToken)).code, 401)
    const tr = await call(server.url, pki.ca, {body: JSON.stringify({apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: {token: rsToken}}), path: TR, token: await sign({...base('claims'), iss: issuerUrl}, {alg: 'ES256'})})
    // legacy:jane may not create TokenReviews; the reason is RBAC's, which proves the ES256 token authenticated it.
    assert.equal(tr.code, 403, tr.text)
  })

  it('a discovery URL that is down: serve starts, logs why, and refuses the issuer\'s tokens as "not initialized"', async () => {
    const path = join(tmp.dir, 'down.yaml')
    await writeFile(path, configText([{...claimsJwt(''), issuer: {audiences: [AUD], certificateAuthority: pki.ca, discoveryURL: 'https://127.0.0.1:1/.well-known/openid-configuration', url: issuer('claims')}}]))
    const tokens = join(tmp.dir, 'admin.csv')
    await writeFile(tokens, `${ADMIN},admin,1,"system:masters"\n`)
    const server = await start({authenticationConfigFile: path, tokenAuthFile: tokens})
    const tr = await call(server.url, pki.ca, {body: JSON.stringify({apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: {token: await sign(base('claims'))}}), path: TR, token: ADMIN})
    assert.equal(tr.json.status.error, 'oidc: authenticator not initialized')
    assert.ok(logs.some((l) => l.startsWith('warning: jwt[0] issuer "https://claims.example.com": ') && l.includes('127.0.0.1:1')), logs.join('\n'))
  })

  it('reload: a good edit takes effect; bad edits keep the previous configuration and log kube-apiserver\'s words', async () => {
    const path = join(tmp.dir, 'reload.yaml')
    await writeFile(path, configText([claimsJwt('one:')], {enabled: true}))
    const server = await start({authenticationConfigFile: path})
    const token = await sign(base('claims'))
    const username = async () => (await whoami(server, token)).json?.status?.userInfo?.username
    assert.equal(await username(), 'one:jane')
    const edit = async (text: string) => {
      logs.length = 0
      await writeFile(path, text)
      return server.reload()
    }

    assert.equal(await edit(configText([claimsJwt('two:')], {enabled: true})), true)
    assert.deepEqual(logs, ['reloaded authentication config'])
    assert.equal(await username(), 'two:jane')

    assert.equal(await edit('apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\njwt: [\n'), false)
    assert.match(logs.join('\n'), /^failed to load authentication config: error converting YAML to JSON: yaml: line \d+: /)
    assert.equal(await username(), 'two:jane')

    assert.equal(await edit(configText([{...claimsJwt('three:'), extra: 1}], {enabled: true})), false)
    assert.deepEqual(logs, ['failed to load authentication config: strict decoding error: unknown field "jwt[0].extra"'])
    assert.equal(await username(), 'two:jane')

    assert.equal(await edit(configText([{...claimsJwt('three:'), claimValidationRules: [{expression: 'foo.bar'}]}], {enabled: true})), false)
    assert.equal(logs.length, 1)
    assert.ok(logs[0].startsWith('failed to validate authentication config: jwt[0].claimValidationRules[0].expression: Invalid value: "foo.bar": compilation failed: ERROR: <input>:1:1: undeclared reference to \'foo\''), logs[0])
    assert.equal(await username(), 'two:jane')

    assert.equal(await edit(configText([claimsJwt('three:')], {conditions: [{path: '/livez'}], enabled: true})), false)
    assert.deepEqual(logs, ['failed to validate authentication config: anonymous: Forbidden: changed from initial configuration file'])
    assert.equal(await username(), 'two:jane')

    const down = {...claimsJwt('x:', 'email'), issuer: {audiences: [AUD], certificateAuthority: pki.ca, discoveryURL: 'https://127.0.0.1:1/.well-known/openid-configuration', url: issuer('email')}}
    assert.equal(await edit(configText([claimsJwt('three:'), down], {enabled: true})), false)
    assert.equal(logs.length, 1)
    assert.ok(logs[0].startsWith('failed to update authentication config: jwt[1] issuer "https://claims.example.com"'.replace('claims', 'email')), logs[0])
    assert.equal(await username(), 'two:jane')
    // Tried again without a change to the file (the issuer may come up): still down, still the previous configuration.
    logs.length = 0
    assert.equal(await server.reload(), false)
    assert.ok(logs[0]?.startsWith('failed to update authentication config: '), logs.join('\n'))

    assert.equal(await edit(configText([claimsJwt('four:')], {enabled: true})), true)
    assert.equal(await username(), 'four:jane')
  })
})
