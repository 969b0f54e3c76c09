import assert from 'node:assert/strict'

import {createCa, issueKubernetesUser, issueServer, issueTalosClient, needsRenewal, parseThreshold, readCertificates, verifyCertificate} from '../../../src/lib/pki/index.js'
import {createCsr, signCsr} from '../../../src/lib/pki/issue.js'
import {parsePrivateKey} from '../../../src/lib/pki/keys.js'

const now = new Date('2026-03-01T00:00:00Z')
const HOUR = 3_600_000

describe('pki verify', () => {
  it('accepts a leaf chained to its CA and lists every reason otherwise', async () => {
    const ca = await createCa({now})
    const other = await createCa({now})
    const leaf = await issueKubernetesUser(ca, {now, ttlMs: HOUR, user: 'alice'})
    const certs = readCertificates(leaf.certPem, 'certificate')
    assert.deepEqual(verifyCertificate(certs, readCertificates(ca.certPem, 'CA'), {now, usages: ['client']}).reasons, [])
    const bad = verifyCertificate(certs, readCertificates(other.certPem, 'CA'), {host: 'x.example', now: new Date(now.getTime() + 2 * HOUR), usages: ['server']})
    assert.equal(bad.valid, false)
    assert.equal(bad.reasons.length, 4, bad.reasons.join('\n'))
    // In the order Go's Verify meets them, each in Go's words.
    assert.match(bad.reasons.join('\n'), /^x509: certificate has expired or is not yet valid: current time \S+ is after \S+\nx509: certificate is not valid for any names, but wanted to match x\.example\nx509: certificate signed by unknown authority.*\nx509: certificate specifies an incompatible key usage: the certificate does not allow serverAuth/)
  })

  it('--talos requires EKU exactly [clientAuth]', async () => {
    const ca = await createCa({now, profile: 'talos'})
    const cas = readCertificates(ca.certPem, 'CA')
    const good = await issueTalosClient(ca, {now, roles: ['os:reader']})
    assert.equal(verifyCertificate(readCertificates(good.certPem, 'c'), cas, {now, talos: true}).valid, true)
    const csr = await createCsr(parsePrivateKey(good.keyPem).key, {orgs: ['os:admin']})
    const both = await signCsr(ca, csr, {now, usages: ['client', 'server']})
    const result = verifyCertificate(readCertificates(both, 'c'), cas, {now, talos: true})
    assert.equal(result.valid, false)
    assert.match(result.reasons[0], /missing the client auth extended key usage/)
  })

  it('checks host names against DNS and IP SANs only', async () => {
    const root = await createCa({now})
    const leaf = await issueServer(root, {cn: 'not-a-san.example', dnsNames: ['web.example'], ips: ['127.0.0.1'], now})
    const cas = readCertificates(root.certPem, 'CA')
    const check = (host: string) => verifyCertificate(readCertificates(leaf.certPem, 'c'), cas, {host, now, usages: ['server']}).valid
    assert.equal(check('web.example'), true)
    assert.equal(check('127.0.0.1'), true)
    assert.equal(check('not-a-san.example'), false)
    assert.equal(check('10.0.0.1'), false)
  })
})

describe('pki needs-renewal', () => {
  const validity = {notAfter: new Date('2026-01-31T00:00:00Z'), notBefore: new Date('2026-01-01T00:00:00Z')}
  it('is due once the time left falls to a share of the lifetime', () => {
    assert.equal(needsRenewal(validity, parseThreshold('33%'), new Date('2026-01-15T00:00:00Z')).due, false)
    assert.equal(needsRenewal(validity, parseThreshold('33%'), new Date('2026-01-22T00:00:00Z')).due, true)
  })
  it('is due once the time left falls to a duration, and when expired', () => {
    assert.equal(needsRenewal(validity, parseThreshold('72h'), new Date('2026-01-27T00:00:00Z')).due, false)
    assert.equal(needsRenewal(validity, parseThreshold('72h'), new Date('2026-01-28T00:00:00Z')).due, true)
    assert.equal(needsRenewal(validity, parseThreshold('1h'), new Date('2026-02-28T00:00:00Z')).due, true)
  })
  it('rejects bad thresholds as usage errors', () => {
    assert.throws(() => parseThreshold('150%'), /invalid --expires-in/)
    assert.throws(() => parseThreshold('soon'), /invalid --expires-in/)
  })
})
