// The structured-config cases of kube-apiserver's OIDC authenticator table through `authn test`: tokens signed here
// (jose), keys in a JWKS file, one configuration with an issuer per scenario, a fixed --now.
import assert from 'node:assert/strict'
import {generateKeyPairSync, type KeyObject} from 'node:crypto'
import {writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {exportJWK, type JWTPayload, SignJWT} from 'jose'

import {type CliResult, makeTempDir, runCli} from '../../helpers/cli.js'

const NOW = 1_767_225_600 // 2026-01-01T00:00:00Z
const NOW_TEXT = '2026-01-01T00:00:00Z'
const AUD = 'my-client'
const issuer = (name: string) => `https://${name}.example.com`

const jwt = (name: string, rest: Record<string, unknown>, audiences = [AUD], policy?: string) => ({
  issuer: {url: issuer(name), audiences, ...(policy ? {audienceMatchPolicy: policy} : {})},
  ...rest,
})
const CONFIG = {
  apiVersion: 'apiserver.config.k8s.io/v1',
  kind: 'AuthenticationConfiguration',
  jwt: [
    jwt('claims', {claimMappings: {groups: {claim: 'groups', prefix: 'oidc:'}, uid: {claim: 'uid'}, username: {claim: 'sub', prefix: 'oidc:'}}}),
    jwt('cel', {
      claimValidationRules: [
        {expression: 'claims.hd == "example.com"', message: 'the hd claim must be set to example.com'},
        {expression: 'claims.?email_verified.orValue(true) == true', message: 'email must be verified'},
      ],
      claimMappings: {
        extra: [{key: 'example.com/team', valueExpression: 'claims.?org.team.orValue("")'}],
        groups: {expression: 'claims.roles.split(",")'},
        uid: {expression: 'claims.sub'},
        username: {expression: '"cel:" + claims.email'},
      },
      userValidationRules: [
        {expression: "!user.username.startsWith('system:')", message: 'username cannot use reserved system: prefix'},
        {expression: "user.groups.all(group, !group.startsWith('system:'))", message: 'groups cannot use reserved system: prefix'},
      ],
    }, [AUD, 'other-client'], 'MatchAny'),
    jwt('email', {claimMappings: {username: {claim: 'email', prefix: ''}}}),
    jwt('username-number', {claimMappings: {username: {expression: 'claims.n'}}}),
    jwt('username-empty', {claimMappings: {username: {expression: 'claims.?nick.orValue("")'}}}),
    jwt('uid-list', {claimMappings: {uid: {expression: '[claims.sub]'}, username: {claim: 'sub', prefix: ''}}}),
    jwt('extra-number', {claimMappings: {extra: [{key: 'example.com/n', valueExpression: 'claims.n'}], username: {claim: 'sub', prefix: ''}}}),
    jwt('groups-mixed', {claimMappings: {groups: {expression: 'claims.roles'}, username: {claim: 'sub', prefix: ''}}}),
    jwt('required', {claimValidationRules: [{claim: 'tenant', requiredValue: 'acme'}], claimMappings: {username: {claim: 'sub', prefix: '-'}}}),
    jwt('escaped', {claimMappings: {username: {expression: 'claims.kubernetes__dot__io.namespace + ":" + claims.sub'}}}),
    jwt('costly', {claimMappings: {username: {expression: 'claims.items.all(a, claims.items.all(b, claims.items.all(c, a + b + c != "")))  ? claims.sub : ""'}}}),
    jwt('nested-groups', {claimMappings: {groups: {expression: 'claims.org.teams.map(t, "team:" + t)'}, username: {claim: 'sub', prefix: ''}}}),
  ],
}

interface Keys {
  rsa: KeyObject
  ec: KeyObject
  ed: KeyObject
  stranger: KeyObject
}
let keys: Keys

async function sign(claims: JWTPayload, options: {alg?: string; kid?: string | null; key?: KeyObject} = {}): Promise<string> {
  const alg = options.alg ?? 'RS256'
  const key = options.key ?? (alg.startsWith('ES') ? keys.ec : alg === 'EdDSA' ? keys.ed : keys.rsa)
  const kid = options.kid === null ? undefined : (options.kid ?? (alg.startsWith('ES') ? 'ec' : 'rsa'))
  return new SignJWT(claims).setProtectedHeader({alg, ...(kid ? {kid} : {})}).sign(key)
}

const base = (iss: string, extra: Record<string, unknown> = {}): JWTPayload => ({aud: AUD, exp: NOW + 3600, iat: NOW, iss: issuer(iss), sub: 'jane', ...extra})
const hmacToken = (claims: JWTPayload) => {
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url')
  return `${b64({alg: 'HS256', typ: 'JWT'})}.${b64(claims)}.c2lnbmF0dXJl`
}

type Expect = {user: {username: string; groups: string[]; uid?: string; extra?: Record<string, string[]>}} | {error: string | RegExp; step: string} | {unclaimed: true}
// [name, token factory, expectation]
const CASES: Array<[string, () => Promise<string>, Expect]> = [
  // claim mappings
  ['claims: username, groups and uid from claims with prefixes', () => sign(base('claims', {groups: ['dev', 'ops'], uid: 'u-1'})), {user: {groups: ['oidc:dev', 'oidc:ops', 'system:authenticated'], uid: 'u-1', username: 'oidc:jane'}}],
  ['claims: a string groups claim is one group', () => sign(base('claims', {groups: 'dev', uid: 'u-1'})), {user: {groups: ['oidc:dev', 'system:authenticated'], uid: 'u-1', username: 'oidc:jane'}}],
  ['claims: no groups claim, no groups', () => sign(base('claims', {uid: 'u-1'})), {user: {groups: ['system:authenticated'], uid: 'u-1', username: 'oidc:jane'}}],
  ['claims: null groups claim, no groups', () => sign(base('claims', {groups: null, uid: 'u-1'})), {user: {groups: ['system:authenticated'], uid: 'u-1', username: 'oidc:jane'}}],
  ['claims: groups claim of the wrong type', () => sign(base('claims', {groups: 42, uid: 'u-1'})), {error: 'oidc: parse groups claim "groups": json: cannot unmarshal number into Go value of type string', step: 'groups'}],
  ['claims: username claim missing', () => sign(base('claims', {sub: undefined, uid: 'u-1'})), {error: 'oidc: parse username claims "sub": claim not present', step: 'username'}],
  ['claims: username claim not a string', () => sign(base('claims', {sub: 7 as unknown as string, uid: 'u-1'})), {error: 'oidc: parse username claims "sub": json: cannot unmarshal number into Go value of type string', step: 'username'}],
  ['claims: uid claim missing', () => sign(base('claims')), {error: 'oidc: parse uid claim "uid": claim not present', step: 'uid'}],
  ['claims: jti becomes the credential id', () => sign(base('claims', {jti: 'abc', uid: 'u-1'})), {user: {extra: {'authentication.kubernetes.io/credential-id': ['JTI=abc']}, groups: ['system:authenticated'], uid: 'u-1', username: 'oidc:jane'}}],
  ['claims: a non-string jti is ignored', () => sign(base('claims', {jti: 5, uid: 'u-1'})), {user: {groups: ['system:authenticated'], uid: 'u-1', username: 'oidc:jane'}}],
  // time checks
  ['times: expired', () => sign(base('claims', {exp: NOW - 1, uid: 'u-1'})), {error: 'oidc: verify token: oidc: token is expired (Token Expiry: 2025-12-31 23:59:59 +0000 UTC)', step: 'times'}],
  ['times: exp equal to now is still valid', () => sign(base('claims', {exp: NOW, uid: 'u-1'})), {user: {groups: ['system:authenticated'], uid: 'u-1', username: 'oidc:jane'}}],
  ['times: no exp is expired (zero time)', () => sign(base('claims', {exp: undefined, uid: 'u-1'})), {error: 'oidc: verify token: oidc: token is expired (Token Expiry: 0001-01-01 00:00:00 +0000 UTC)', step: 'times'}],
  ['times: nbf more than a minute ahead', () => sign(base('claims', {nbf: NOW + 120, uid: 'u-1'})), {error: 'oidc: verify token: oidc: current time 2026-01-01 00:00:00 +0000 UTC before the nbf (not before) time: 2026-01-01 00:02:00 +0000 UTC', step: 'times'}],
  ['times: nbf within the minute of leeway', () => sign(base('claims', {nbf: NOW + 30, uid: 'u-1'})), {user: {groups: ['system:authenticated'], uid: 'u-1', username: 'oidc:jane'}}],
  ['times: iat in the future is not checked', () => sign(base('claims', {iat: NOW + 86400, uid: 'u-1'})), {user: {groups: ['system:authenticated'], uid: 'u-1', username: 'oidc:jane'}}],
  // audiences
  ['audience: the one audience missing', () => sign(base('claims', {aud: 'other', uid: 'u-1'})), {error: 'oidc: verify token: oidc: expected audience "my-client" got ["other"]', step: 'audience'}],
  ['audience: listed among several in aud', () => sign(base('claims', {aud: ['x', AUD], uid: 'u-1'})), {user: {groups: ['system:authenticated'], uid: 'u-1', username: 'oidc:jane'}}],
  ['audience: MatchAny accepts the second configured audience', () => sign(base('cel', {aud: 'other-client', email: 'jane@example.com', hd: 'example.com', roles: 'dev'})), {user: {groups: ['dev', 'system:authenticated'], uid: 'jane', username: 'cel:jane@example.com'}}],
  ['audience: MatchAny with none of them', () => sign(base('cel', {aud: ['x', 'y'], email: 'jane@example.com', hd: 'example.com', roles: 'dev'})), {error: 'oidc: verify token: oidc: expected audience in ["my-client" "other-client"] got ["x" "y"]', step: 'audience'}],
  // signature and algorithm
  ['signature: ES256 with the EC key', () => sign(base('claims', {uid: 'u-1'}), {alg: 'ES256'}), {user: {groups: ['system:authenticated'], uid: 'u-1', username: 'oidc:jane'}}],
  ['signature: no kid, every key is tried', () => sign(base('claims', {uid: 'u-1'}), {kid: null}), {user: {groups: ['system:authenticated'], uid: 'u-1', username: 'oidc:jane'}}],
  ['signature: a key not in the JWKS', () => sign(base('claims', {uid: 'u-1'}), {key: keys.stranger}), {error: 'oidc: verify token: failed to verify signature: failed to verify id token signature', step: 'signature'}],
  ['signature: RS384 is accepted with the configuration file', () => sign(base('claims', {uid: 'u-1'}), {alg: 'RS384'}), {user: {groups: ['system:authenticated'], uid: 'u-1', username: 'oidc:jane'}}],
  ['algorithm: EdDSA is not accepted', () => sign(base('claims', {uid: 'u-1'}), {alg: 'EdDSA', kid: 'ed'}), {error: 'oidc: verify token: oidc: id token signed with unsupported algorithm, expected ["ES256" "ES384" "ES512" "PS256" "PS384" "PS512" "RS256" "RS384" "RS512"] got "EdDSA"', step: 'signing-algorithm'}],
  ['algorithm: HS256 is not accepted', async () => hmacToken(base('claims', {uid: 'u-1'})), {error: 'oidc: verify token: oidc: id token signed with unsupported algorithm, expected ["ES256" "ES384" "ES512" "PS256" "PS384" "PS512" "RS256" "RS384" "RS512"] got "HS256"', step: 'signing-algorithm'}],
  ['issuer: no issuer.url matches the token', () => sign({...base('claims'), iss: 'https://elsewhere.example.com'}), {unclaimed: true}],
  // CEL mappings and validation rules
  ['cel: username, groups, uid and extra from expressions', () => sign(base('cel', {email: 'jane@example.com', hd: 'example.com', org: {team: 'platform'}, roles: 'dev,ops'})), {user: {extra: {'example.com/team': ['platform']}, groups: ['dev', 'ops', 'system:authenticated'], uid: 'jane', username: 'cel:jane@example.com'}}],
  ['cel: empty items of a split are dropped', () => sign(base('cel', {email: 'jane@example.com', hd: 'example.com', roles: 'dev,,ops'})), {user: {groups: ['dev', 'ops', 'system:authenticated'], uid: 'jane', username: 'cel:jane@example.com'}}],
  ['cel: an empty groups string gives no groups', () => sign(base('cel', {email: 'jane@example.com', hd: 'example.com', roles: ''})), {user: {groups: ['system:authenticated'], uid: 'jane', username: 'cel:jane@example.com'}}],
  ['cel: claim validation expression false', () => sign(base('cel', {email: 'jane@example.com', hd: 'evil.com', roles: 'dev'})), {error: 'oidc: error evaluating claim validation expression: validation expression \'claims.hd == "example.com"\' failed: the hd claim must be set to example.com', step: 'claim-validation'}],
  ['cel: claim validation on a missing claim', () => sign(base('cel', {email: 'jane@example.com', roles: 'dev'})), {error: 'oidc: error evaluating claim validation expression: expression \'claims.hd == "example.com"\' resulted in error: no such key: hd', step: 'claim-validation'}],
  ['cel: email_verified false fails the documented rule', () => sign(base('cel', {email: 'jane@example.com', email_verified: false, hd: 'example.com', roles: 'dev'})), {error: 'oidc: error evaluating claim validation expression: validation expression \'claims.?email_verified.orValue(true) == true\' failed: email must be verified', step: 'claim-validation'}],
  ['cel: email_verified absent passes the documented rule', () => sign(base('cel', {email: 'jane@example.com', hd: 'example.com', roles: 'dev'})), {user: {groups: ['dev', 'system:authenticated'], uid: 'jane', username: 'cel:jane@example.com'}}],
  ['cel: username expression on a missing claim (mapping errors win over validation)', () => sign(base('cel', {hd: 'evil.com', roles: 'dev'})), {error: 'oidc: error evaluating username claim expression: expression \'"cel:" + claims.email\' resulted in error: no such key: email', step: 'username'}],
  ['cel: groups expression on the wrong type', () => sign(base('cel', {email: 'jane@example.com', hd: 'example.com', roles: ['dev']})), {error: /^oidc: error evaluating group claim expression: expression 'claims\.roles\.split\(","\)' resulted in error: /, step: 'groups'}],
  ['cel: user validation rule on groups', () => sign(base('cel', {email: 'jane@example.com', hd: 'example.com', roles: 'dev,system:masters'})), {error: "oidc: error evaluating user info validation rule: validation expression 'user.groups.all(group, !group.startsWith('system:'))' failed: groups cannot use reserved system: prefix", step: 'user-validation'}],
  ['cel: username expression returning a number', () => sign(base('username-number', {n: 1})), {error: 'oidc: error evaluating username claim expression: username claim expression must return a string', step: 'username'}],
  ['cel: username expression returning ""', () => sign(base('username-empty')), {error: 'oidc: empty username via CEL expression is not allowed', step: 'username'}],
  ['cel: uid expression returning a list', () => sign(base('uid-list')), {error: 'oidc: error evaluating uid claim expression: uid claim expression must return a string', step: 'uid'}],
  ['cel: extra expression returning a number', () => sign(base('extra-number', {n: 3})), {error: 'oidc: error evaluating extra claim expression: claims.n: expression must return a string or a list of strings', step: 'extra'}],
  ['cel: groups expression with a non-string item', () => sign(base('groups-mixed', {roles: ['dev', 1]})), {error: 'oidc: error evaluating group claim expression: expression must return a string or a list of strings', step: 'groups'}],
  ['cel: groups from a nested claim with map()', () => sign(base('nested-groups', {org: {teams: ['a', 'b']}})), {user: {groups: ['team:a', 'team:b', 'system:authenticated'], username: 'jane'}}],
  ['cel: escaped field name reaches kubernetes.io', () => sign(base('escaped', {'kubernetes.io': {namespace: 'team-a'}})), {user: {groups: ['system:authenticated'], username: 'team-a:jane'}}],
  ['cel: an expression over the cost budget', () => sign(base('costly', {items: Array.from({length: 120}, (_, i) => `i${i}`)})), {error: /^oidc: error evaluating username claim expression: expression '.*' resulted in error: operation cancelled: actual cost limit exceeded$/, step: 'username'}],
  // email claim as username (legacy rule) and required claims
  ['email: email_verified true', () => sign(base('email', {email: 'jane@example.com', email_verified: true})), {user: {groups: ['system:authenticated'], username: 'jane@example.com'}}],
  ['email: email_verified false', () => sign(base('email', {email: 'jane@example.com', email_verified: false})), {error: 'oidc: email not verified', step: 'username'}],
  ['email: email_verified as a string', () => sign(base('email', {email: 'jane@example.com', email_verified: 'true'})), {error: "oidc: parse 'email_verified' claim: json: cannot unmarshal string into Go value of type bool", step: 'username'}],
  ['email: email_verified absent', () => sign(base('email', {email: 'jane@example.com'})), {user: {groups: ['system:authenticated'], username: 'jane@example.com'}}],
  ['required claim: present and equal (prefix "-" is a literal prefix in the file)', () => sign(base('required', {tenant: 'acme'})), {user: {groups: ['system:authenticated'], username: '-jane'}}],
  ['required claim: missing', () => sign(base('required')), {error: 'oidc: required claim tenant not present in ID token', step: 'required-claim'}],
  ['required claim: different value', () => sign(base('required', {tenant: 'other'})), {error: 'oidc: required claim tenant value does not match. Got = other, want = acme', step: 'required-claim'}],
  ['required claim: not a string', () => sign(base('required', {tenant: 5})), {error: 'oidc: parse claim tenant: json: cannot unmarshal number into Go value of type string', step: 'required-claim'}],
]

describe('authn test: structured-config token table', function () {
  this.timeout(300_000)
  let dir: string
  let cleanup: () => Promise<void>
  let configFile: string
  let jwksFile: string
  const results = new Map<string, CliResult>()

  before(async () => {
    ;({cleanup, dir} = await makeTempDir('authctl-authn-test-'))
    keys = {
      ec: generateKeyPairSync('ec', {namedCurve: 'P-256'}).privateKey,
      ed: generateKeyPairSync('ed25519').privateKey,
      rsa: generateKeyPairSync('rsa', {modulusLength: 2048}).privateKey,
      stranger: generateKeyPairSync('rsa', {modulusLength: 2048}).privateKey,
    }
    const jwk = async (key: KeyObject, kid: string) => ({...(await exportJWK(key)), d: undefined, dp: undefined, dq: undefined, kid, p: undefined, q: undefined, qi: undefined})
    const jwks = {keys: [await jwk(keys.rsa, 'rsa'), await jwk(keys.ec, 'ec'), await jwk(keys.ed, 'ed')]}
    configFile = join(dir, 'authentication-config.yaml')
    jwksFile = join(dir, 'jwks.json')
    await writeFile(configFile, JSON.stringify(CONFIG, null, 2))
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
