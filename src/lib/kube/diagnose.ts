// The likely reason behind a 401, derived locally from the credential that was sent (the server never says).
import {type Cert, readableCertificates, readCertificates, verifyChain} from '../pki/chain.js'
import {relativeTime} from '../go/time.js'
import {audiences, numericDate} from '../token/identity.js'
import {parseJwt} from '../token/jwt.js'
import type {UsedCredential} from './client.js'
import type {Connection} from './connection.js'

/** A one-line hint for "You must be logged in to the server", or undefined when nothing stands out. */
export function explainUnauthorized(cred: UsedCredential, conn: Connection, now: Date): string | undefined {
  const reasons: string[] = []
  if (cred.token) reasons.push(...tokenReasons(cred.token, now))
  if (cred.clientCertPem) reasons.push(...certReasons(cred.clientCertPem, conn.caPem, now))
  if (cred.kind === 'none') reasons.push(conn.server.startsWith('http:') ? 'no credentials were sent: the server URL is plain http' : 'no credentials were sent: the kubeconfig user has none')
  if (reasons.length > 0) return `likely cause: ${reasons.join('; ')}`
  if (cred.kind === 'exec') return 'the credential from the exec plugin was rejected; it will be fetched again on the next call'
  if (cred.token) return 'the server rejected the bearer token (revoked, unknown, or issued for another audience/issuer)'
  if (cred.clientCertPem) return 'the server rejected the client certificate (its issuer is probably not in the API server\'s --client-ca-file)'
  return undefined
}

function tokenReasons(token: string, now: Date): string[] {
  let claims: Record<string, unknown>
  try {
    claims = parseJwt(token).claims
  } catch {
    return []
  }
  const out: string[] = []
  let exp: Date | undefined, nbf: Date | undefined, aud: string[]
  try {
    exp = numericDate(claims, 'exp')
    nbf = numericDate(claims, 'nbf')
    aud = audiences(claims)
  } catch (error) {
    return [`the token's claims are malformed: ${(error as Error).message}`]
  }
  if (exp && exp.getTime() <= now.getTime()) out.push(`the token expired ${relativeTime(exp, now)}`)
  if (nbf && nbf.getTime() > now.getTime()) out.push(`the token is not valid until ${nbf.toISOString()}`)
  if (out.length === 0 && aud.length > 0) {
    out.push(`the token is for audience "${aud.join(', ')}" from issuer "${String(claims.iss ?? '')}"; the API server must accept both`)
  }
  return out
}

function certReasons(pem: string, caPem: string | undefined, now: Date): string[] {
  let certs: Cert[]
  try {
    certs = readCertificates(pem, 'client certificate')
  } catch (error) {
    return [`the client certificate cannot be parsed (${(error as Error).message})`]
  }
  const [cert, ...intermediates] = certs
  const out: string[] = []
  const {notAfter, notBefore} = cert.fields
  if (notAfter.getTime() <= now.getTime()) out.push(`the client certificate expired ${relativeTime(notAfter, now)} (${notAfter.toISOString()})`)
  if (notBefore.getTime() > now.getTime()) out.push(`the client certificate is not valid until ${notBefore.toISOString()}`)
  // Most clusters sign client certificates with the same CA the server certificate chains to; a client
  // certificate from another CA is the usual reason a fresh certificate is rejected.
  if (caPem) {
    const cas = readableCertificates(caPem)
    if (cas.length > 0 && verifyChain(cert, {intermediates, now, roots: cas}).pathError) {
      out.push(`the client certificate was issued by "${cert.fields.issuer.dn}", not by the cluster CA "${cas[0].fields.subject.dn}"`)
    }
  }
  return out
}

