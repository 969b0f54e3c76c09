import assert from 'node:assert/strict'

import {parseCertificates, x509Authenticator} from '../../../src/lib/authn/x509.js'
import {createCa, issueKubernetesUser} from '../../../src/lib/pki/index.js'
import {parsePem} from '../../../src/lib/pki/pem.js'

const now = new Date('2026-03-01T00:00:00Z')
const HOUR = 3_600_000
const der = (pem: string) => parsePem(pem).map((b) => b.der)

describe('x509 authenticator: verdicts and their reuse', () => {
  it('maps CN/O to the user, reuses the verdict for the same chain on new buffers, and re-verifies when it no longer holds', async () => {
    const ca = await createCa({algorithm: 'ecdsa-p256', now})
    const other = await createCa({algorithm: 'ecdsa-p256', now})
    const alice = await issueKubernetesUser(ca, {algorithm: 'ecdsa-p256', groups: ['dev', 'ops'], now, ttlMs: HOUR, user: 'alice'})
    let roots = parseCertificates(ca.certPem)
    const authn = x509Authenticator(() => roots)
    const first = authn.authenticate(der(alice.certPem), now)
    assert.ok(first && 'user' in first)
    assert.equal(first.user.username, 'alice')
    assert.deepEqual(first.user.groups, ['dev', 'ops'])
    // A reconnecting client: the same bytes in fresh buffers get the remembered verdict (the same object).
    assert.equal(authn.authenticate(der(alice.certPem), new Date(now.getTime() + 1000)), first)
    // Past the certificate's NotAfter the verdict no longer holds: Go's expiry error.
    const late = authn.authenticate(der(alice.certPem), new Date(now.getTime() + 2 * HOUR))
    assert.ok(late && 'error' in late)
    assert.match(late.error, /^verifying certificate SN=\d+, SKID=[0-9A-F:]*, AKID=[0-9A-F:]+ failed: x509: certificate has expired or is not yet valid: current time 2026-03-01T02:00:00Z is after 2026-03-01T01:00:00Z$/)
    // A reloaded CA bundle (a new roots array) that no longer trusts the issuer.
    roots = parseCertificates(other.certPem)
    const untrusted = authn.authenticate(der(alice.certPem), now)
    assert.ok(untrusted && 'error' in untrusted)
    assert.match(untrusted.error, /failed: x509: certificate signed by unknown authority/)
  })

  it('answers anything unreadable with an error, never a throw', () => {
    const authn = x509Authenticator(() => [])
    for (const junk of [Buffer.alloc(0), Buffer.from('30820000', 'hex'), Buffer.from('3003020101', 'hex'), Buffer.from('not a certificate')]) {
      const result = authn.authenticate([junk], now)
      assert.ok(result && 'error' in result, String(result))
      assert.match(result.error, /^verifying certificate failed: invalid client certificate: /)
    }
  })
})
