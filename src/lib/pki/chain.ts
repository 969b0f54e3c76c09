// The one certificate chain verifier: path building and validation as Go's crypto/x509 (*Certificate).Verify does
// it — the library kube-apiserver, talosctl and apid are built on — with Go's error texts, so `serve` accepts exactly
// what kube-apiserver accepts and `pki verify`, `doctor` and the Talos checks tell the truth about it.
// Certificates are read by cert.ts; signatures, name constraints and host names are checked by their own modules.
import {quote} from '../go/quote.js'
import {type Cert, serialNumber} from './cert.js'
import {EKU_OID} from './extensions.js'
import {hostnameProblem} from './hostname.js'
import {checkNameConstraints, Rejection} from './name-constraints.js'
import {signatureProblem} from './signature.js'

export {type Cert, certificateIdentifier, loadCertificate, readableCertificates, readCertificates} from './cert.js'

export type Usage = 'client' | 'server'

const ANY_EKU = '2.5.29.37.0'

// ---- Go's error texts and parent checks -------------------------------------------------------------------------

const rfc3339 = (d: Date) => d.toISOString().replace(/\.\d+Z$/, 'Z')
const notAuthorizedToSign = 'x509: certificate is not authorized to sign other certificates'
const tooManyIntermediates = 'x509: too many intermediates for path length constraint'
const incompatibleUsage = 'x509: certificate specifies an incompatible key usage'
const unhandledCritical = 'x509: unhandled critical extension'

/** Go's UnknownAuthorityError hint names a certificate by CN, else the first O, else its serial. */
function hintName(cert: Cert): string {
  const subject = cert.fields.subject
  if (subject.commonName) return subject.commonName
  if (subject.organizations.length > 0) return subject.organizations[0]
  return `serial:${serialNumber(cert)}`
}

/** Go's CheckSignatureFrom: the parent may sign certificates, then checkSignature with the parent's key. */
function signedByProblem(child: Cert, parent: Cert): string | undefined {
  const bc = parent.fields.extensions.basicConstraints
  const keyUsage = parent.fields.extensions.keyUsage
  if ((parent.fields.version === 3 && !bc) || (bc && !bc.ca) || (keyUsage?.length && !keyUsage.includes('keyCertSign'))) {
    return 'x509: invalid signature: parent certificate cannot sign this kind of certificate'
  }
  return signatureProblem(child.fields.signed, parent.publicKey!)
}

// ---- Path validation --------------------------------------------------------------------------------------------

type Role = 'intermediate' | 'root'

function validityProblem(cert: Cert, now: Date): string | undefined {
  const {notAfter, notBefore} = cert.fields
  if (now < notBefore) return `x509: certificate has expired or is not yet valid: current time ${rfc3339(now)} is before ${rfc3339(notBefore)}`
  if (now > notAfter) return `x509: certificate has expired or is not yet valid: current time ${rfc3339(now)} is after ${rfc3339(notAfter)}`
  return undefined
}

/** Go's isValid for a CA certificate about to be appended to `chain` (parents are found by name already). */
function candidateProblem(cert: Cert, role: Role, chain: Cert[], now: Date): string | undefined {
  if (cert.fields.extensions.unhandledCritical) return unhandledCritical
  const expired = validityProblem(cert, now)
  if (expired) return expired
  if (cert.fields.extensions.nameConstraints) {
    try {
      checkNameConstraints(cert, chain)
    } catch (error) {
      if (error instanceof Rejection) return error.message
      throw error
    }
  }
  const bc = cert.fields.extensions.basicConstraints
  if (role === 'intermediate' && !bc?.ca) return notAuthorizedToSign
  if (bc?.pathLength !== undefined && chain.length - 1 > bc.pathLength) return tooManyIntermediates
  return undefined
}

/** Go's alreadyInChain: same subject, same key and same SAN as a certificate already on the path. */
function alreadyInChain(candidate: Cert, chain: Cert[]): boolean {
  const san = candidate.fields.extensions.sanDer
  return chain.some((c) => c.fields.subjectDer.equals(candidate.fields.subjectDer) && c.fields.spkiDer.equals(candidate.fields.spkiDer)
    && (c.fields.extensions.sanDer === undefined) === (san === undefined) && (!san || san.equals(c.fields.extensions.sanDer!)))
}

/** Go's findPotentialParents: same name, key identifiers that match first. */
function potentialParents(cert: Cert, pool: Cert[]): Cert[] {
  const akid = cert.fields.extensions.authorityKeyId
  const rank = (c: Cert) => {
    const skid = c.fields.extensions.subjectKeyId
    if (skid === akid) return 0
    return !skid !== !akid ? 1 : 2
  }
  return pool.filter((c) => c.fields.subjectDer.equals(cert.fields.issuerDer)).sort((a, b) => rank(a) - rank(b))
}

/** Go's bound on path building: no more signature checks than this per verification. */
const MAX_SIGNATURE_CHECKS = 100

interface Search {
  roots: Cert[]
  intermediates: Cert[]
  now: Date
  signatureChecks: number
}

/**
 * Go's buildChains: every path from `chain` to a root. When there is none, the error is Go's: that of the last
 * candidate's checks or deeper search, else "unknown authority" with the first rejected candidate as a hint.
 */
function buildChains(chain: Cert[], search: Search): {chains: Cert[][]; error?: string} {
  const cert = chain.at(-1)!
  const chains: Cert[][] = []
  let error: string | undefined
  let hint: {error: string; cert: Cert} | undefined
  const consider = (role: Role, candidate: Cert) => {
    if (!candidate.publicKey || alreadyInChain(candidate, chain)) return
    if (++search.signatureChecks > MAX_SIGNATURE_CHECKS) {
      error = 'x509: signature check attempts limit reached while verifying certificate chain'
      return
    }
    const badSignature = signedByProblem(cert, candidate)
    if (badSignature) {
      hint ??= {cert: candidate, error: badSignature}
      return
    }
    error = candidateProblem(candidate, role, chain, search.now)
    if (error) {
      hint ??= {cert: candidate, error}
      return
    }
    if (role === 'root') chains.push([...chain, candidate])
    else {
      const deeper = buildChains([...chain, candidate], search)
      chains.push(...deeper.chains)
      error = deeper.error
    }
  }
  for (const root of potentialParents(cert, search.roots)) consider('root', root)
  for (const intermediate of potentialParents(cert, search.intermediates)) consider('intermediate', intermediate)
  if (chains.length > 0) return {chains}
  if (error) return {chains, error}
  const unknown = 'x509: certificate signed by unknown authority'
  return {chains, error: hint ? `${unknown} (possibly because of ${quote(hint.error)} while trying to verify candidate authority certificate ${quote(hintName(hint.cert))})` : unknown}
}

const USAGE_OID: Record<Usage, string> = {client: EKU_OID.clientAuth, server: EKU_OID.serverAuth}

/** Go's checkChainForKeyUsage for one usage: every certificate with EKUs lists it or anyExtendedKeyUsage. */
function chainAllows(chain: Cert[], usage: Usage): boolean {
  return chain.every((c) => {
    const eku = c.fields.extensions.extKeyUsageOids
    return !eku || eku.length === 0 || eku.includes(ANY_EKU) || eku.includes(USAGE_OID[usage])
  })
}

// ---- The verifier -------------------------------------------------------------------------------------------------

export interface ChainOptions {
  roots: Cert[]
  /** Certificates presented with the leaf, in any order. */
  intermediates: Cert[]
  now: Date
  /** Extended key usages the chain must allow (each of them); none means any use. */
  usages?: Usage[]
  /** A DNS name or IP address the leaf must be valid for. */
  host?: string
}

export interface ChainVerdict {
  /** Go's error for the whole verification, as (*Certificate).Verify returns it; undefined when accepted. */
  error?: string
  /** Every problem found, Go's error first, each in Go's words. */
  reasons: string[]
  /** Why no path to a root was found (the leaf's own validity and usages aside). */
  pathError?: string
  /** The accepted path, leaf first and a root last. */
  chain?: Cert[]
}

/**
 * (*Certificate).Verify: the leaf's own checks, the host name, every path to a root (each parent a CA that may sign,
 * within path length and name constraints, with an allowed signature algorithm, valid at `now`), then EKU nesting.
 * Unlike Go it does not stop at the first problem: the leaf, host, path and usage problems are all listed, in the
 * order Go meets them, so `error` is what Go returns.
 */
export function verifyChain(leaf: Cert, options: ChainOptions): ChainVerdict {
  const reasons: string[] = []
  if (leaf.fields.extensions.unhandledCritical) reasons.push(unhandledCritical)
  const expired = validityProblem(leaf, options.now)
  if (expired) reasons.push(expired)
  if (options.host) {
    const problem = hostnameProblem(leaf, options.host)
    if (problem) reasons.push(problem)
  }
  const inRoots = options.roots.some((r) => r.fields.der.equals(leaf.fields.der))
  let chains: Cert[][] = [[leaf]]
  let pathError: string | undefined
  if (!inRoots) {
    ;({chains, error: pathError} = buildChains([leaf], {intermediates: options.intermediates, now: options.now, roots: options.roots, signatureChecks: 0}))
    if (pathError) reasons.push(pathError)
  }
  // Without a path, the leaf alone is judged, so that every reason is listed.
  let accepted = chains.length > 0 ? chains : [[leaf]]
  for (const usage of options.usages ?? []) {
    const allowing = accepted.filter((c) => chainAllows(c, usage))
    if (allowing.length === 0) {
      const offender = accepted[0].find((c) => !chainAllows([c], usage))!
      const role = offender === leaf ? 'the certificate' : `CA ${quote(offender.fields.subject.dn || '(empty subject)')}`
      reasons.push(`${incompatibleUsage}: ${role} does not allow ${usage === 'client' ? 'clientAuth' : 'serverAuth'} (EKU ${offender.fields.extensions.extKeyUsage?.join(', ')})`)
    } else accepted = allowing
  }
  if (reasons.length > 0) return {error: goError(reasons[0]), pathError, reasons}
  return {chain: accepted[0], reasons}
}

/** The EKU reason carries a detail for people; Go's error is the text before it. */
function goError(reason: string): string {
  return reason.startsWith(`${incompatibleUsage}:`) ? incompatibleUsage : reason
}
