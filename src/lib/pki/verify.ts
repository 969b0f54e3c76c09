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
  const reasons = [...verdict.reasons]
  if (options.talos) {
    const problem = talosEkuProblem(leaf)
    if (problem) reasons.push(problem)
  }
  return {chain: (verdict.chain ?? []).map(subjectOf), reasons, valid: reasons.length === 0}
}
