import assert from 'node:assert/strict'
import {execFileSync} from 'node:child_process'
import {generateKeyPairSync} from 'node:crypto'
import {writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {makeTempDir} from '../../helpers/cli.js'

import {type VerificationKeys} from '../../../src/lib/token/keys.js'
import {renderVerifyReport} from '../../../src/lib/token/render.js'
import {parsePemKeys} from '../../../src/lib/token/keys.js'
import {boundServiceAccountClaims, signToken} from '../../../src/lib/token/sign.js'
import {parseAlgorithms, verifyToken} from '../../../src/lib/token/verify.js'

const ISSUER = 'https://k8s.example'
const now = new Date()
const claims = boundServiceAccountClaims({audiences: [ISSUER], issuer: ISSUER, namespace: 'ci', now, serviceAccount: {name: 'b', uid: 'u'}, ttlMs: 600_000})

describe('token verify: key sources and algorithm allow-list', () => {
  const signer = generateKeyPairSync('ec', {namedCurve: 'P-256'})
  const other = generateKeyPairSync('ec', {namedCurve: 'P-256'})
  const rsa = generateKeyPairSync('rsa', {modulusLength: 2048})
  const jwk = (k: typeof signer.publicKey) => k.export({format: 'jwk'}) as Record<string, unknown>

  it('tries every key of a PEM bundle (certificates, private and public keys)', async () => {
    const {cleanup, dir} = await makeTempDir('authctl-token-verify-')
    let cert: string
    try {
      await writeFile(join(dir, 'signer.key'), signer.privateKey.export({format: 'pem', type: 'pkcs8'}))
      cert = execFileSync('openssl', ['req', '-x509', '-key', join(dir, 'signer.key'), '-subj', '/CN=sa-signer', '-days', '1']).toString()
    } finally {
      await cleanup()
    }
    const pem = [rsa.privateKey.export({format: 'pem', type: 'pkcs1'}), other.publicKey.export({format: 'pem', type: 'spki'}), cert].join('\n')
    const keys: VerificationKeys = {keys: parsePemKeys(pem, 'bundle.pem'), kind: 'pem', source: 'bundle.pem'}
    assert.equal(keys.keys.length, 3)
    const report = await verifyToken(await signToken(claims, signer.privateKey), {issuer: ISSUER, keys, now})
    assert.equal(report.valid, true, report.reason)
    assert.match(report.checks.find((c) => c.name === 'signature')!.detail, /key 3 of bundle\.pem/)
  })

  it('tries every JWKS key that matches when the token has no kid', async () => {
    const keys: VerificationKeys = {jwks: {keys: [jwk(other.publicKey), jwk(signer.publicKey)]}, kind: 'jwks', source: 'jwks.json'}
    const report = await verifyToken(await signToken(claims, signer.privateKey), {issuer: ISSUER, keys, now})
    assert.equal(report.valid, true, report.reason)
  })

  it('selects by kid and explains a kid that no key has', async () => {
    const keys: VerificationKeys = {jwks: {keys: [{...jwk(signer.publicKey), kid: 'a'}]}, kind: 'jwks', source: 'jwks.json'}
    assert.equal((await verifyToken(await signToken(claims, signer.privateKey, {kid: 'a'}), {issuer: ISSUER, keys, now})).valid, true)
    const report = await verifyToken(await signToken(claims, signer.privateKey, {kid: 'b'}), {issuer: ISSUER, keys, now})
    assert.equal(report.reason, 'no key in jwks.json matches kid "b" and alg ES256')
  })

  it('refuses algorithms outside the allow-list before touching keys', async () => {
    const keys: VerificationKeys = {keys: [signer.publicKey], kind: 'pem', source: 'k'}
    const report = await verifyToken(await signToken(claims, signer.privateKey), {algorithms: ['RS256'], issuer: ISSUER, keys, now})
    assert.equal(report.reason, 'token signed with unsupported algorithm "ES256", expected one of ["RS256"]')
    assert.throws(() => parseAlgorithms(['HS512']), /not accepted/)
    assert.throws(() => parseAlgorithms(['NONE']), /never accepted/)
    assert.throws(() => parseAlgorithms(['RS1']), /unknown algorithm/)
    assert.deepEqual(parseAlgorithms(['ES256']), ['ES256'])
  })

  it('refuses to "verify" a bootstrap token', async () => {
    await assert.rejects(verifyToken('abcdef.0123456789abcdef', {keys: {keys: [], kind: 'pem', source: 'k'}, now}), /bootstrap token has no signature/)
  })

  it('warns about checks it could not run', async () => {
    const keys: VerificationKeys = {keys: [signer.publicKey], kind: 'pem', source: 'k'}
    const report = await verifyToken(await signToken(claims, signer.privateKey), {keys, now})
    assert.equal(report.valid, true)
    assert.deepEqual(report.warnings, ['issuer not checked: pass --issuer', 'audience not checked: pass --audience'])
    // Skipped checks are labelled as such, never "ok".
    assert.deepEqual(report.checks.filter((c) => c.skipped).map((c) => c.name), ['issuer', 'audience'])
    const lines = renderVerifyReport(report).split('\n')
    assert.match(lines.find((l) => l.includes('issuer'))!, /^ {2}skip {2}issuer +"[^"]*" \(no --issuer to compare with\)$/)
    assert.match(lines.find((l) => l.includes('audience'))!, /^ {2}skip {2}audience +.*\(no --audience to compare with\)$/)
    assert.match(lines.find((l) => l.includes('signature'))!, /^ {2}ok {4}signature /)
  })
})
