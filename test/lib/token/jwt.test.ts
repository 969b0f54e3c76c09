import assert from 'node:assert/strict'

import fc from 'fast-check'

import {AuthctlError} from '../../../src/lib/output/errors.js'
import {describeToken} from '../../../src/lib/token/describe.js'
import {MAX_TOKEN_LENGTH, normalizeToken, parseJwt} from '../../../src/lib/token/jwt.js'

const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url')
const header = b64({alg: 'RS256', typ: 'JWT'})

function rejects(input: string, message: RegExp): void {
  assert.throws(() => parseJwt(input), (e: unknown) => e instanceof AuthctlError && e.code === 'TOKEN_MALFORMED' && message.test(e.message))
}

describe('token jwt: parseJwt', () => {
  it('decodes header and claims and accepts a Bearer prefix and surrounding whitespace', () => {
    const token = `${header}.${b64({sub: 'x'})}.c2ln`
    assert.deepEqual(parseJwt(`  Bearer ${token}\n`), {claims: {sub: 'x'}, header: {alg: 'RS256', typ: 'JWT'}, signature: 'c2ln'})
  })

  it('names what is wrong with malformed input', () => {
    rejects('', /no token given/)
    rejects('garbage', /not a JWT: expected 3 dot-separated segments, found 1/)
    rejects(`${header}.${b64({})}`, /found 2/)
    rejects('a.b.c.d.e', /encrypted JWT/)
    rejects(`${b64('{not json')}.${b64({})}.x`, /header is not JSON/)
    rejects(`${header}.${b64('[1,2]')}.x`, /claims is not a JSON object/)
    rejects(`${header}.${b64('nope')}.x`, /claims is not JSON/)
    rejects(`${header}.e30=.x`, /claims is not base64url/)
    rejects(`${b64({typ: 'JWT'})}.${b64({})}.x`, /header has no "alg"/)
    rejects(`${header}.${b64({})}.x y`, /whitespace/)
    rejects('x'.repeat(MAX_TOKEN_LENGTH + 1), /too long/)
  })

  it('never echoes the token in an error', () => {
    const secretish = `${header}.${b64('SECRETPAYLOAD')}.SIGNATURESECRET`
    assert.throws(() => parseJwt(secretish), (e: Error) => !e.message.includes('SIGNATURESECRET') && !e.message.includes(secretish.slice(0, 20)))
  })

  it('fails only with AuthctlError on arbitrary input (property)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.array(fc.base64String(), {maxLength: 4}).map((p) => p.join('.'))), (input) => {
        try {
          parseJwt(input)
        } catch (error) {
          assert.ok(error instanceof AuthctlError, String(error))
        }
      }),
      {numRuns: 500},
    )
  })

  it('normalizes a pasted Authorization header', () => {
    assert.equal(normalizeToken('Authorization: Bearer abc.def.ghi'), 'abc.def.ghi')
  })
})

describe('token describe: describeToken', () => {
  const now = new Date('2026-01-01T00:00:00Z')
  const s = now.getTime() / 1000

  it('describes a bootstrap token without showing its secret', () => {
    const d = describeToken('abcdef.0123456789abcdef', now)
    assert.equal(d.kind, 'bootstrap')
    assert.deepEqual(d.kubernetes.user, {groups: ['system:bootstrappers'], username: 'system:bootstrap:abcdef'})
    assert.ok(!JSON.stringify(d).includes('0123456789abcdef'))
  })

  it('shows times with relative ages, the bound objects, warnafter and the reason kube would reject', () => {
    const claims = {
      exp: s - 3 * 86400,
      iat: s - 4 * 86400,
      iss: 'https://k8s',
      'kubernetes.io': {namespace: 'ci', pod: {name: 'p', uid: 'pu'}, serviceaccount: {name: 'b', uid: 'u'}, warnafter: s - 86400 * 3.5},
      sub: 'system:serviceaccount:ci:b',
    }
    const d = describeToken(`${header}.${b64(claims)}.c2ln`, now)
    assert.equal(d.verified, false)
    assert.equal(d.kind, 'bound-serviceaccount')
    assert.deepEqual(d.times.find((t) => t.claim === 'exp'), {claim: 'exp', relative: 'expired 3d ago', time: '2025-12-29T00:00:00Z'})
    assert.deepEqual(d.kubernetes.boundTo, {pod: {name: 'p', uid: 'pu'}})
    assert.equal(d.kubernetes.warnAfter, '2025-12-28T12:00:00Z')
    assert.equal(d.kubernetes.problem, 'service account token has expired')
    assert.equal(d.kubernetes.user?.username, 'system:serviceaccount:ci:b')
  })

  it('applies the OIDC username mapping and warns about alg none', () => {
    const token = `${b64({alg: 'none'})}.${b64({email: 'a@x', exp: s + 2520, iss: 'https://idp', sub: 'u1'})}.`
    const d = describeToken(token, now, {usernameClaim: 'email'})
    assert.equal(d.kind, 'oidc')
    assert.equal(d.kubernetes.user?.username, 'a@x')
    assert.equal(d.times[0].relative, 'expires in 42m')
    assert.match(d.warnings.join('\n'), /alg "none"/)
    assert.equal(describeToken(token, now).kubernetes.user?.username, 'https://idp#u1')
  })
})
