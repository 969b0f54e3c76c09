// Client certificate authentication (k8s.io/apiserver pkg/authentication/request/x509): verify the leaf against the
// client CA bundle with presented certificates as intermediates and the clientAuth EKU, then CN → user, O → groups.
// Error texts follow Go's crypto/x509 so logs read like kube-apiserver's.
import {createHash, X509Certificate} from 'node:crypto'

import type {UserInfo} from '../identity.js'
import {certificateBlocks} from '../pki/bundle.js'
import {type AuthResult, CREDENTIAL_ID} from './types.js'

const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2'
const ANY_EKU = '2.5.29.37.0'
const MAX_DEPTH = 8

/** Splits a PEM bundle into certificates. */
export function parseCertificates(pem: string | Buffer): X509Certificate[] {
  return certificateBlocks(pem).map((b) => new X509Certificate(b))
}

function validAt(cert: X509Certificate, now: Date): string | undefined {
  const from = Date.parse(cert.validFrom)
  const to = Date.parse(cert.validTo)
  const fmt = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z')
  if (now.getTime() > to) return `x509: certificate has expired or is not yet valid: current time ${fmt(now.getTime())} is after ${fmt(to)}`
  if (now.getTime() < from) return `x509: certificate has expired or is not yet valid: current time ${fmt(now.getTime())} is before ${fmt(from)}`
  return undefined
}

/** EKUs of a certificate as Go checks them: none, or any-EKU, or clientAuth. */
function permitsClientAuth(cert: X509Certificate): boolean {
  const ekus = cert.keyUsage
  return !ekus || ekus.length === 0 || ekus.includes(CLIENT_AUTH) || ekus.includes(ANY_EKU)
}

/** Returns undefined when `leaf` chains to one of `roots` for client authentication at `now`, else Go's error text. */
export function verifyClientChain(leaf: X509Certificate, intermediates: X509Certificate[], roots: X509Certificate[], now: Date): string | undefined {
  const expired = validAt(leaf, now)
  if (expired) return expired
  let sawBadEku = false
  const walk = (cert: X509Certificate, path: X509Certificate[]): boolean => {
    if (path.length > MAX_DEPTH) return false
    for (const root of roots) {
      if (cert.checkIssued(root) && cert.verify(root.publicKey) && !validAt(root, now)) {
        if ([...path, root].every(permitsClientAuth)) return true
        sawBadEku = true
      }
    }
    for (const next of intermediates) {
      if (path.includes(next) || !next.ca || validAt(next, now)) continue
      if (cert.checkIssued(next) && cert.verify(next.publicKey) && walk(next, [...path, next])) return true
    }
    return false
  }
  if (walk(leaf, [leaf])) return undefined
  return sawBadEku ? 'x509: certificate specifies an incompatible key usage' : 'x509: certificate signed by unknown authority'
}

/** Subject attribute values from node's one-per-line subject text, in order. */
export function subjectValues(subject: string, attribute: string): string[] {
  return subject.split('\n').filter((line) => line.startsWith(`${attribute}=`)).map((line) => line.slice(attribute.length + 1))
}

/** CommonNameUserConversion. */
export function userFromCertificate(leaf: X509Certificate): UserInfo | undefined {
  const cn = subjectValues(leaf.subject, 'CN')[0]
  if (!cn) return undefined
  const id = createHash('sha256').update(leaf.raw).digest('hex')
  return {extra: {[CREDENTIAL_ID]: [`X509SHA256=${id}`]}, groups: subjectValues(leaf.subject, 'O'), username: cn}
}

export interface X509Authenticator {
  authenticate(peerCertificates: Buffer[], now: Date): AuthResult
}

interface Verdict {
  roots: X509Certificate[]
  result: AuthResult
  /** The verdict holds only while every certificate in the path is within its validity period. */
  from: number
  until: number
}

/**
 * Verifying a chain costs signature checks, so the verdict is remembered per leaf buffer: the server hands the same
 * buffers for every request on one TLS connection. A reloaded CA bundle (a new roots array) or leaving the
 * validity window re-verifies.
 */
export function x509Authenticator(roots: () => X509Certificate[]): X509Authenticator {
  const verdicts = new WeakMap<Buffer, Verdict>()
  return {
    authenticate(peerCertificates, now) {
      if (peerCertificates.length === 0) return undefined
      const t = now.getTime()
      const trusted = roots()
      const cached = verdicts.get(peerCertificates[0])
      if (cached && cached.roots === trusted && t >= cached.from && t <= cached.until) return cached.result
      const certs = peerCertificates.map((der) => new X509Certificate(der))
      const [leaf, ...rest] = certs
      const failure = verifyClientChain(leaf, rest, trusted, now)
      const user = failure ? undefined : userFromCertificate(leaf)
      const result: AuthResult = failure
        ? {error: `verifying certificate SN=${BigInt('0x' + leaf.serialNumber).toString()} failed: ${failure}`}
        : user ? {user} : undefined
      const window = [...certs, ...trusted]
      verdicts.set(peerCertificates[0], {
        from: Math.max(...window.map((c) => Date.parse(c.validFrom))),
        result,
        roots: trusted,
        until: Math.min(...window.map((c) => Date.parse(c.validTo))),
      })
      return result
    },
  }
}
