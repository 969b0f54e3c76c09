import assert from 'node:assert/strict'

import {authenticateRequest, bearerToken, type ChainOptions} from '../../../src/lib/authn/chain.js'
import {withAuthenticatedGroup} from '../../../src/lib/api/user.js'
import {parseTokenFile, tokenFileAuthenticator} from '../../../src/lib/authn/tokenfile.js'
import type {AuthResult, TokenAuthenticator} from '../../../src/lib/authn/types.js'
import type {X509Authenticator} from '../../../src/lib/authn/x509.js'

const now = new Date('2026-01-01T00:00:00Z')
const fixed = (name: string, result: AuthResult, calls: string[] = []): TokenAuthenticator => ({
  async authenticateToken() {
    calls.push(name)
    return result
  },
  name,
})
const x509 = (result: AuthResult): X509Authenticator => ({authenticate: () => result})
const user = (username: string, groups: string[] = []) => ({user: {groups, username}})
const cert = [Buffer.from('der')]

describe('authn chain: order, union and the error → 401 rule', () => {
  const table: Array<[string, Partial<ChainOptions>, {cert?: boolean; auth?: string}, string]> = [
    ['x509 wins before tokens', {tokens: [fixed('t', user('tok'))], x509: x509(user('cert'))}, {auth: 'Bearer x', cert: true}, 'user cert'],
    ['bad cert, good token → token (union continues)', {tokens: [fixed('t', user('tok'))], x509: x509({error: 'x509: certificate signed by unknown authority'})}, {auth: 'Bearer x', cert: true}, 'user tok'],
    ['bad cert alone → 401 even with anonymous', {anonymous: true, x509: x509({error: 'bad'})}, {cert: true}, 'errors bad'],
    ['cert without CN (not mine), anonymous on → anonymous', {anonymous: true, x509: x509(undefined)}, {cert: true}, 'user system:anonymous'],
    ['cert without CN (not mine), anonymous off → 401', {anonymous: false, x509: x509(undefined)}, {cert: true}, 'errors no credentials accepted'],
    ['first token authenticator success wins', {tokens: [fixed('a', undefined), fixed('b', user('b')), fixed('c', user('c'))]}, {auth: 'Bearer x'}, 'user b'],
    ['errors before a success are ignored', {tokens: [fixed('a', {error: 'expired'}), fixed('b', user('b'))]}, {auth: 'Bearer x'}, 'user b'],
    ['all errors are reported', {tokens: [fixed('a', {error: 'e1'}), fixed('b', {error: 'e2'})]}, {auth: 'Bearer x'}, 'errors e1,e2'],
    ['nobody claims the token → invalid bearer token, never anonymous', {anonymous: true, tokens: [fixed('a', undefined)]}, {auth: 'Bearer x'}, 'errors invalid bearer token'],
    ['non-bearer Authorization is not a credential → anonymous', {anonymous: true, tokens: [fixed('a', user('a'))]}, {auth: 'Basic abc'}, 'user system:anonymous'],
    ['empty bearer is not a credential', {anonymous: true, tokens: [fixed('a', user('a'))]}, {auth: 'Bearer '}, 'user system:anonymous'],
    ['no credentials, anonymous off → 401', {anonymous: false}, {}, 'errors no credentials provided'],
  ]
  for (const [name, options, request, expected] of table) {
    it(name, async () => {
      const result = await authenticateRequest({anonymous: false, tokens: [], ...options}, {authorization: request.auth, peerCertificates: request.cert ? cert : []}, now)
      const got = 'user' in result ? `user ${result.user.username}` : `errors ${result.errors.join(',')}`
      assert.equal(got, expected)
    })
  }

  it('a thrown authenticator error counts as an error, not a crash', async () => {
    const boom: TokenAuthenticator = {authenticateToken: async () => { throw new Error('network down') }, name: 'w'}
    const r = await authenticateRequest({anonymous: true, tokens: [boom]}, {authorization: 'Bearer x', peerCertificates: []}, now)
    assert.deepEqual(r, {errors: ['network down']})
  })

  it('stops at the first success (later authenticators are not called)', async () => {
    const calls: string[] = []
    await authenticateRequest({anonymous: false, tokens: [fixed('a', user('a'), calls), fixed('b', user('b'), calls)]}, {authorization: 'Bearer x', peerCertificates: []}, now)
    assert.deepEqual(calls, ['a'])
  })

  it('system:authenticated is added once, never to anonymous or unauthenticated users', () => {
    assert.deepEqual(withAuthenticatedGroup({groups: ['dev'], username: 'jane'}).groups, ['dev', 'system:authenticated'])
    assert.deepEqual(withAuthenticatedGroup({groups: ['system:authenticated'], username: 'j'}).groups, ['system:authenticated'])
    assert.deepEqual(withAuthenticatedGroup({groups: [], username: 'system:anonymous'}).groups, [])
    assert.deepEqual(withAuthenticatedGroup({groups: ['system:unauthenticated'], username: 'x'}).groups, ['system:unauthenticated'])
  })

  it('bearerToken parsing', () => {
    assert.equal(bearerToken('Bearer abc'), 'abc')
    assert.equal(bearerToken('bearer abc'), 'abc')
    assert.equal(bearerToken('Bearer'), undefined)
    assert.equal(bearerToken('Basic abc'), undefined)
    assert.equal(bearerToken(undefined), undefined)
  })
})

describe('static token file', () => {
  it('parses token,user,uid,"groups" with quotes, skips empty tokens, later duplicates win', async () => {
    const file = parseTokenFile('t1,alice,u1,"a,b"\n,nobody,u0\n\nt2,bob,u2\nt1,carol,u3,x\n', 'tokens.csv')
    assert.deepEqual(file.tokens.get('t2'), {groups: [], uid: 'u2', username: 'bob'})
    assert.deepEqual(file.tokens.get('t1'), {groups: ['x'], uid: 'u3', username: 'carol'})
    assert.equal(file.tokens.size, 2)
    assert.deepEqual(file.warnings, ['tokens.csv: duplicate token on line 5; the later line wins'])
    const auth = tokenFileAuthenticator(() => file)
    assert.deepEqual(await auth.authenticateToken('t2'), {user: {groups: [], uid: 'u2', username: 'bob'}})
    assert.equal(await auth.authenticateToken('t3'), undefined)
  })
  it('rejects lines with fewer than 3 columns', () => {
    assert.throws(() => parseTokenFile('t1,alice\n', 'f'), /must have at least 3 columns/)
  })
})
