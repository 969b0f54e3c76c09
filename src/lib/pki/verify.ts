// `pki verify` and the Talos checks on top of the chain verifier: the requested usages, apid's exact-[clientAuth]
// rule with --talos, and the path from the leaf to the trusted CA as subjects.
import {type Cert, type Usage, verifyChain} from './chain.js'
import {EKU_OID} from './extensions.js'

export {type Cert, readCertificates, type Usage} from './chain.js'

export interface VerifyOptions {
  usages?: Usage[]
  talos?: boolean
  host?: string
  now: Date
}

export interface VerifyResult {
  valid: boolean
  reasons: string[]
  /** Subjects from the leaf to the trusted CA, when a chain was found. */
  chain: string[]
}

function subjectOf(c: Cert): string {
  return c.fields.subject.dn || '(empty subject)'
}

const shortId = (hex: string) => `${hex.split(':').slice(0, 4).join(':')}:…`

/** A CA as messages name it: its subject and a short key ID, so two CAs with the same name are told apart. */
export function caLabel(ca: Cert): string {
  const skid = ca.fields.extensions.subjectKeyId
  return `"${subjectOf(ca)}" (${skid ? `SKID ${shortId(skid)}` : `SHA-256 ${shortId(ca.fields.fingerprintSha256)}`})`
}

const UNKNOWN_AUTHORITY = 'x509: certificate signed by unknown authority'

/** Go's path error, and when no trusted CA issued the leaf, which CA did (its AKID) and which were trusted. */
export function describePathError(pathError: string, leaf: Cert, roots: Cert[]): string {
  if (!pathError.startsWith(UNKNOWN_AUTHORITY)) return pathError
  return `${pathError}: issued by ${issuerLabel(leaf.fields)}, not by ${roots.map(caLabel).join(', ')}`
}

/** The issuer a certificate names, with the key ID it names (AKID) when it has one. */
export function issuerLabel(fields: Cert['fields']): string {
  const akid = fields.extensions.authorityKeyId
  return `"${fields.issuer.dn || '(empty subject)'}"${akid ? ` (AKID ${shortId(akid)})` : ''}`
}

/** apid's rule for a client certificate: EKU exactly [clientAuth]. The reason in apid's words, or undefined. */
export function talosEkuProblem(leaf: Cert): string | undefined {
  const eku = leaf.fields.extensions.extKeyUsageOids
  if (eku?.length === 1 && eku[0] === EKU_OID.clientAuth) return undefined
  return `certificate "${subjectOf(leaf)}" is missing the client auth extended key usage: Talos apid requires EKU exactly [clientAuth], got ${eku ? JSON.stringify(leaf.fields.extensions.extKeyUsage) : 'none'}`
}

/** `certs` is the leaf first, then any intermediates presented with it; `cas` are the trusted roots. */
export function verifyCertificate(certs: Cert[], cas: Cert[], options: VerifyOptions): VerifyResult {
  const [leaf, ...intermediates] = certs
  const usages = new Set(options.usages ?? [])
  if (options.talos) usages.add('client')
  const verdict = verifyChain(leaf, {host: options.host, intermediates, now: options.now, roots: cas, usages: [...usages]})
  const reasons = verdict.reasons.map((r) => describePathError(r, leaf, cas))
  if (options.talos) {
    const problem = talosEkuProblem(leaf)
    if (problem) reasons.push(problem)
  }
  return {chain: (verdict.chain ?? []).map(subjectOf), reasons, valid: reasons.length === 0}
}
