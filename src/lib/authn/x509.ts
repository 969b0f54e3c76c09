// Client certificate authentication (k8s.io/apiserver pkg/authentication/request/x509): verify the leaf against the
// client CA bundle with the presented certificates as intermediates and the clientAuth EKU, as Go's crypto/x509 does
// (src/lib/pki/chain.ts), then CommonNameUserConversion: the subject's CN is the user, each O a group.
import {createHash} from 'node:crypto'

import type {UserInfo} from '../identity.js'
import {type Cert, certificateIdentifier, loadCertificate, readCertificates, verifyChain} from '../pki/chain.js'
import {type AuthResult, CREDENTIAL_ID} from './types.js'

/** The certificates of a PEM bundle (the client CA file); a malformed one is an error. */
export function parseCertificates(pem: string | Buffer): Cert[] {
  return readCertificates(pem, 'client CA certificate')
}

/** CommonNameUserConversion: no CN means "not mine" (the request may still be anonymous). */
export function userFromCertificate(leaf: Cert): UserInfo | undefined {
  const {commonName, organizations} = leaf.fields.subject
  if (!commonName) return undefined
  const id = createHash('sha256').update(leaf.fields.der).digest('hex')
  return {extra: {[CREDENTIAL_ID]: [`X509SHA256=${id}`]}, groups: [...organizations], username: commonName}
}

export interface X509Authenticator {
  authenticate(peerCertificates: Buffer[], now: Date): AuthResult
}

interface Verdict {
  roots: Cert[]
  result: AuthResult
  /** The verdict holds only while every certificate in the path is within its validity period. */
  from: number
  until: number
}

/**
 * Any certificate, however malformed, gives a verdict: an unreadable one is a failure with its reason. `window` are
 * the certificates whose validity periods bound how long the verdict holds (none: it holds for this instant only).
 */
function judge(peerCertificates: Buffer[], trusted: Cert[], now: Date): {result: AuthResult; window: Cert[]} {
  let certs: Cert[]
  try {
    certs = peerCertificates.map((der, i) => loadCertificate(der, i === 0 ? 'client certificate' : 'intermediate certificate'))
  } catch (error) {
    return {result: {error: `verifying certificate failed: ${(error as Error).message}`}, window: []}
  }
  const [leaf, ...intermediates] = certs
  const verdict = verifyChain(leaf, {intermediates, now, roots: trusted, usages: ['client']})
  if (verdict.error) return {result: {error: `verifying certificate ${certificateIdentifier(leaf)} failed: ${verdict.error}`}, window: [...certs, ...trusted]}
  const user = userFromCertificate(leaf)
  return {result: user ? {user} : undefined, window: verdict.chain!}
}

/**
 * Verifying a chain costs signature checks, so the verdict is remembered per leaf buffer: the server hands the same
 * buffers for every request on one TLS connection. A reloaded CA bundle (a new roots array) or leaving the
 * validity window re-verifies.
 */
export function x509Authenticator(roots: () => Cert[]): X509Authenticator {
  const verdicts = new WeakMap<Buffer, Verdict>()
  return {
    authenticate(peerCertificates, now) {
      if (peerCertificates.length === 0) return undefined
      const t = now.getTime()
      const trusted = roots()
      const cached = verdicts.get(peerCertificates[0])
      if (cached && cached.roots === trusted && t >= cached.from && t <= cached.until) return cached.result
      const {result, window} = judge(peerCertificates, trusted, now)
      verdicts.set(peerCertificates[0], {
        from: window.length ? Math.max(...window.map((c) => c.fields.notBefore.getTime())) : t,
        result,
        roots: trusted,
        until: window.length ? Math.min(...window.map((c) => c.fields.notAfter.getTime())) : t,
      })
      return result
    },
  }
}
