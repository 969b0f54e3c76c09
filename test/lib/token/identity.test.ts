import assert from 'node:assert/strict'

import {
  checkOidcAudience,
  checkOidcIssuer,
  checkOidcTimes,
  checkServiceAccountAudience,
  checkServiceAccountTimes,
  classifyToken,
  EXTRA,
  LEGACY_CLAIMS,
  oidcUser,
  serviceAccountUser,
} from '../../../src/lib/token/identity.js'

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url')
const jwt = (claims: unknown, header: unknown = {alg: 'RS256'}) => `${b64(header)}.${b64(claims)}.c2ln`

const bound = (k8s: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  iss: 'https://kubernetes.default.svc',
  'kubernetes.io': {namespace: 'ci', serviceaccount: {name: 'builder', uid: 'sa-uid'}, ...k8s},
  sub: 'system:serviceaccount:ci:builder',
  ...extra,
})

const legacy = (overrides: Record<string, unknown> = {}) => ({
  iss: 'kubernetes/serviceaccount',
  [LEGACY_CLAIMS.namespace]: 'ci',
  [LEGACY_CLAIMS.secretName]: 'builder-token-abcde',
  [LEGACY_CLAIMS.serviceAccountName]: 'builder',
  [LEGACY_CLAIMS.serviceAccountUid]: 'sa-uid',
  sub: 'system:serviceaccount:ci:builder',
  ...overrides,
})

const expectInvalid = (fn: () => unknown, message: string) =>
  assert.throws(fn, (e: Error & {code?: string}) => e.code === 'TOKEN_INVALID' && e.message === message)

describe('token identity: classifyToken', () => {
  it('tells the token kinds apart', () => {
    assert.equal(classifyToken('abcdef.0123456789abcdef'), 'bootstrap')
    assert.equal(classifyToken(jwt(legacy())), 'legacy-serviceaccount')
    assert.equal(classifyToken(jwt(bound({}))), 'bound-serviceaccount')
    assert.equal(classifyToken(jwt({iss: 'https://idp', sub: 'alice'})), 'oidc')
    assert.equal(classifyToken('31ada4fd-adec-460c-809a-9e56ceb75269'), 'opaque')
    assert.equal(classifyToken('ABCDEF.0123456789abcdef'), 'opaque', 'bootstrap ids are lower case')
    assert.equal(classifyToken('a.b.c'), 'opaque')
  })
})

describe('token identity: serviceAccountUser', () => {
  it('derives name, uid, groups and pod/node/credential extras from a bound token', () => {
    const user = serviceAccountUser(bound({node: {name: 'n1', uid: 'node-uid'}, pod: {name: 'p1', uid: 'pod-uid'}}, {jti: 'j-1'}))
    assert.deepEqual(user, {
      extra: {
        [EXTRA.credentialId]: ['JTI=j-1'],
        [EXTRA.nodeName]: ['n1'],
        [EXTRA.nodeUid]: ['node-uid'],
        [EXTRA.podName]: ['p1'],
        [EXTRA.podUid]: ['pod-uid'],
      },
      groups: ['system:serviceaccounts', 'system:serviceaccounts:ci'],
      uid: 'sa-uid',
      username: 'system:serviceaccount:ci:builder',
    })
  })

  it('adds pod extras only with both name and uid, and node-uid only with a node name', () => {
    const user = serviceAccountUser(bound({node: {name: '', uid: 'node-uid'}, pod: {name: 'p1'}}))
    assert.equal(user.extra, undefined)
    const named = serviceAccountUser(bound({node: {name: 'n1'}}))
    assert.deepEqual(named.extra, {[EXTRA.nodeName]: ['n1']})
  })

  it('derives the user from legacy claims', () => {
    assert.deepEqual(serviceAccountUser(legacy()), {
      groups: ['system:serviceaccounts', 'system:serviceaccounts:ci'],
      uid: 'sa-uid',
      username: 'system:serviceaccount:ci:builder',
    })
  })

  it('rejects inconsistent legacy claims with the API server wording', () => {
    expectInvalid(() => serviceAccountUser(legacy({sub: 'system:serviceaccount:other:builder'})), 'sub claim is invalid')
    expectInvalid(() => serviceAccountUser(legacy({sub: undefined})), 'sub claim is missing')
    expectInvalid(() => serviceAccountUser(legacy({[LEGACY_CLAIMS.secretName]: ''})), 'secretName claim is missing')
    expectInvalid(() => serviceAccountUser(legacy({[LEGACY_CLAIMS.serviceAccountUid]: undefined})), 'serviceAccountUID claim is missing')
  })

  it('refuses claims that are no ServiceAccount token', () => {
    assert.throws(() => serviceAccountUser({iss: 'https://idp', sub: 'x'}), /not a ServiceAccount token/)
  })
})

describe('token identity: time, audience and issuer checks', () => {
  const now = new Date('2026-01-01T00:00:00Z')
  const at = (seconds: number) => now.getTime() / 1000 + seconds

  it('applies the 60 s ServiceAccount leeway to exp, nbf and iat', () => {
    checkServiceAccountTimes({exp: at(-59), iat: at(59), nbf: at(59)}, now)
    expectInvalid(() => checkServiceAccountTimes({exp: at(-61)}, now), 'service account token has expired')
    expectInvalid(() => checkServiceAccountTimes({nbf: at(61)}, now), 'service account token is not valid yet')
    expectInvalid(() => checkServiceAccountTimes({iat: at(61)}, now), 'service account token is issued in the future')
    expectInvalid(() => checkServiceAccountTimes({exp: at(-10)}, now, 0), 'service account token has expired')
  })

  it('checks OIDC exp exactly and nbf with 5 minutes, in go-oidc wording', () => {
    checkOidcTimes({exp: at(1), nbf: at(299)}, now)
    expectInvalid(() => checkOidcTimes({exp: at(-1)}, now), 'oidc: verify token: oidc: token is expired (Token Expiry: 2025-12-31 23:59:59 +0000 UTC)')
    expectInvalid(() => checkOidcTimes({}, now), 'oidc: verify token: oidc: token is expired (Token Expiry: 0001-01-01 00:00:00 +0000 UTC)')
    expectInvalid(
      () => checkOidcTimes({exp: at(600), nbf: at(301)}, now),
      'oidc: verify token: oidc: current time 2026-01-01 00:00:00 +0000 UTC before the nbf (not before) time: 2026-01-01 00:05:01 +0000 UTC',
    )
  })

  it('intersects ServiceAccount audiences; a token without aud gets the API audiences', () => {
    assert.deepEqual(checkServiceAccountAudience({aud: ['a', 'b']}, ['b', 'c']), ['b'])
    assert.deepEqual(checkServiceAccountAudience({}, ['api']), ['api'])
    expectInvalid(() => checkServiceAccountAudience({aud: 'x'}, ['y', 'z']), 'token audiences ["x"] is invalid for the target audiences ["y" "z"]')
  })

  it('reports OIDC audience and issuer mismatches as kube-apiserver does', () => {
    checkOidcAudience({aud: ['kubernetes', 'other']}, ['kubernetes'])
    expectInvalid(() => checkOidcAudience({aud: 'web'}, ['kubernetes']), 'oidc: expected audience in ["kubernetes"] got ["web"]')
    expectInvalid(
      () => checkOidcIssuer({iss: 'https://evil'}, 'https://idp'),
      'oidc: verify token: oidc: id token issued by a different provider, expected "https://idp" got "https://evil"',
    )
  })
})

describe('token identity: oidcUser', () => {
  const issuerUrl = 'https://idp.example.com'
  const claims = {email: 'alice@example.com', email_verified: true, groups: ['dev', 'ops'], iss: issuerUrl, jti: 'id-1', role: 'admin', sub: 'u-1'}

  it('prefixes the default sub claim with "<issuer>#"', () => {
    assert.deepEqual(oidcUser(claims, {issuerUrl}), {
      extra: {[EXTRA.credentialId]: ['JTI=id-1']},
      groups: [],
      username: 'https://idp.example.com#u-1',
    })
  })

  it('uses no default prefix for email, none for "-", and the given prefix otherwise', () => {
    assert.equal(oidcUser(claims, {issuerUrl, usernameClaim: 'email'}).username, 'alice@example.com')
    assert.equal(oidcUser(claims, {issuerUrl, usernamePrefix: '-'}).username, 'u-1')
    assert.equal(oidcUser(claims, {issuerUrl, usernameClaim: 'email', usernamePrefix: 'oidc:'}).username, 'oidc:alice@example.com')
  })

  it('requires email_verified to be true when present', () => {
    expectInvalid(() => oidcUser({...claims, email_verified: false}, {issuerUrl, usernameClaim: 'email'}), 'oidc: email not verified')
    assert.equal(oidcUser({email: 'bob@example.com'}, {issuerUrl, usernameClaim: 'email'}).username, 'bob@example.com')
  })

  it('reads groups from a list or a single string, with the prefix', () => {
    assert.deepEqual(oidcUser(claims, {groupsClaim: 'groups', groupsPrefix: 'oidc:', issuerUrl}).groups, ['oidc:dev', 'oidc:ops'])
    assert.deepEqual(oidcUser(claims, {groupsClaim: 'role', issuerUrl}).groups, ['admin'])
    assert.deepEqual(oidcUser(claims, {groupsClaim: 'missing', issuerUrl}).groups, [])
    expectInvalid(() => oidcUser({...claims, groups: [1]}, {groupsClaim: 'groups', issuerUrl}), 'oidc: parse groups claim "groups": json: cannot unmarshal number into Go value of type string')
  })

  it('enforces required claims and a string username claim', () => {
    assert.equal(oidcUser(claims, {issuerUrl, requiredClaims: {role: 'admin'}}).username, 'https://idp.example.com#u-1')
    expectInvalid(() => oidcUser(claims, {issuerUrl, requiredClaims: {tenant: 'a'}}), 'oidc: required claim tenant not present in ID token')
    expectInvalid(() => oidcUser(claims, {issuerUrl, requiredClaims: {role: 'viewer'}}), 'oidc: required claim role value does not match. Got = admin, want = viewer')
    expectInvalid(() => oidcUser(claims, {issuerUrl, usernameClaim: 'name'}), 'oidc: parse username claims "name": claim not present')
    expectInvalid(() => oidcUser({sub: 7}, {issuerUrl}), 'oidc: parse username claims "sub": json: cannot unmarshal number into Go value of type string')
  })
})
