// Client certificate authentication (k8s.io/apiserver pkg/authentication/request/x509): verify the leaf against the
// client CA bundle with the presented certificates as intermediates and the clientAuth EKU, as Go's crypto/x509 does
// (src/lib/pki/chain.ts), then CommonNameUserConversion: the subject's CN is the user, each O a group.
import type {UserInfo} from '../api/user.js'
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
  const id = leaf.fields.fingerprintSha256.replaceAll(':', '').toLowerCase()
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
  try {
    const [leaf, ...intermediates] = peerCertificates.map((der, i) => loadCertificate(der, i === 0 ? 'client certificate' : 'intermediate certificate'))
    const verdict = verifyChain(leaf, {intermediates, now, roots: trusted, usages: ['client']})
    if (verdict.error) return {result: {error: `verifying certificate ${certificateIdentifier(leaf)} failed: ${verdict.error}`}, window: [leaf, ...intermediates, ...trusted]}
    const user = userFromCertificate(leaf)
    return {result: user ? {user} : undefined, window: verdict.chain!}
  } catch (error) {
    return {result: {error: `verifying certificate failed: ${(error as Error).message}`}, window: []}
  }
}

/** Whether a remembered verdict still holds at `t` for the CA bundle `roots`. */
const holds = (v: Verdict | undefined, roots: Cert[], t: number): v is Verdict => v !== undefined && v.roots === roots && t >= v.from && t <= v.until

/** How many recently seen chains keep their verdict by content (a bound on memory, whatever clients send). */
const RECENT_CHAINS = 1024

/**
 * Verifying a chain costs parsing and signature checks, so verdicts are remembered: per leaf buffer (the server hands
 * the same buffers for every request on one TLS connection) and, for the most recent chains, by content (a client
 * that reconnects or resumes a session presents the same bytes). A verdict holds while every certificate it rests on
 * is within its validity period and the CA bundle is the same (a reload gives a new roots array).
 */
export function x509Authenticator(roots: () => Cert[]): X509Authenticator {
  const byBuffer = new WeakMap<Buffer, Verdict>()
  const byContent = new Map<string, Verdict>()
  return {
    authenticate(peerCertificates, now) {
      if (peerCertificates.length === 0) return undefined
      const t = now.getTime()
      const trusted = roots()
      const own = byBuffer.get(peerCertificates[0])
      if (holds(own, trusted, t)) return own.result
      const key = peerCertificates.map((der) => der.toString('base64')).join('.')
      let verdict = byContent.get(key)
      byContent.delete(key)
      if (!holds(verdict, trusted, t)) {
        const {result, window} = judge(peerCertificates, trusted, now)
        verdict = {
          from: window.length ? Math.max(...window.map((c) => c.fields.notBefore.getTime())) : t,
          result,
          roots: trusted,
          until: window.length ? Math.min(...window.map((c) => c.fields.notAfter.getTime())) : t,
        }
      }
      // Most recently used last; the oldest goes first when the bound is reached.
      byContent.set(key, verdict)
      if (byContent.size > RECENT_CHAINS) byContent.delete(byContent.keys().next().value!)
      byBuffer.set(peerCertificates[0], verdict)
      return verdict.result
    },
  }
}
