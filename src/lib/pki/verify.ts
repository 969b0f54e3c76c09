// Certificate verification the way the peers do it: chain to one of the given CAs (signature + issuer name), every
// certificate within its validity, EKU for the intended use (Go semantics: no EKU = any; CAs in the chain must
// allow it too), apid's exact-[clientAuth] rule with --talos, and the host name against SANs only (Go ignores CN).
import {X509Certificate} from 'node:crypto'
import {isIP} from 'node:net'

import {AuthctlError} from '../output/errors.js'
import {parseCertificate, type CertFields, EKU_OID} from './certinfo.js'
import {parsePem} from './pem.js'

export type Usage = 'client' | 'server'

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

export interface Cert {
  node: X509Certificate
  fields: CertFields
}

/** Reads every CERTIFICATE block of a PEM file. */
export function readCertificates(data: Buffer | string, what: string): Cert[] {
  const blocks = parsePem(data, what).filter((b) => b.label === 'CERTIFICATE')
  if (blocks.length === 0) throw new AuthctlError(`invalid ${what}: no CERTIFICATE block found`, {code: 'BAD_PEM'})
  return blocks.map((b) => ({fields: parseCertificate(b.der, what), node: new X509Certificate(b.der)}))
}

function signedBy(child: Cert, parent: Cert): boolean {
  try {
    return child.node.checkIssued(parent.node) && child.node.verify(parent.node.publicKey)
  } catch {
    return false
  }
}

function buildChain(leaf: Cert, intermediates: Cert[], roots: Cert[]): Cert[] | undefined {
  const chain = [leaf]
  for (let depth = 0; depth < 10; depth++) {
    const current = chain.at(-1)!
    const root = roots.find((r) => r.fields.der.equals(current.fields.der) || signedBy(current, r))
    if (root) return root.fields.der.equals(current.fields.der) ? chain : [...chain, root]
    const next = intermediates.find((c) => !chain.includes(c) && signedBy(current, c))
    if (!next) return undefined
    chain.push(next)
  }
  return undefined
}

const usageOid: Record<Usage, string> = {client: EKU_OID.clientAuth, server: EKU_OID.serverAuth}

function allows(eku: string[] | undefined, oid: string): boolean {
  return eku === undefined || eku.includes(oid) || eku.includes('2.5.29.37.0')
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

export function verifyCertificate(certs: Cert[], cas: Cert[], options: VerifyOptions): VerifyResult {
  const [leaf, ...intermediates] = certs
  const reasons: string[] = []
  const usages = new Set(options.usages ?? [])
  if (options.talos) usages.add('client')
  const chain = buildChain(leaf, intermediates, cas)
  if (!chain) reasons.push(`certificate signed by unknown authority: "${subjectOf(leaf)}" does not chain to the given CA`)
  for (const cert of chain ?? [leaf]) {
    const {notAfter, notBefore} = cert.fields
    if (options.now > notAfter) reasons.push(`"${subjectOf(cert)}" expired at ${notAfter.toISOString()}`)
    if (options.now < notBefore) reasons.push(`"${subjectOf(cert)}" is not valid before ${notBefore.toISOString()}`)
  }
  for (const ca of (chain ?? []).slice(1)) {
    const ext = ca.fields.extensions
    if (ext.basicConstraints?.ca !== true) reasons.push(`"${subjectOf(ca)}" signs certificates but is not a CA (BasicConstraints)`)
    if (ext.keyUsage && !ext.keyUsage.includes('keyCertSign')) reasons.push(`"${subjectOf(ca)}" lacks the keyCertSign key usage`)
  }
  for (const usage of usages) {
    for (const cert of chain ?? [leaf]) {
      if (!allows(cert.fields.extensions.extKeyUsageOids, usageOid[usage])) {
        const role = cert === leaf ? 'certificate' : 'CA'
        reasons.push(`${role} "${subjectOf(cert)}" does not allow ${usage === 'client' ? 'clientAuth' : 'serverAuth'} (EKU ${JSON.stringify(cert.fields.extensions.extKeyUsage)})`)
      }
    }
  }
  if (options.talos) {
    const problem = talosEkuProblem(leaf)
    if (problem) reasons.push(problem)
  }
  if (options.host) {
    const matched = isIP(options.host) ? leaf.node.checkIP(options.host) : leaf.node.checkHost(options.host, {subject: 'never'})
    if (!matched) {
      const sans = [...leaf.fields.extensions.sans.dns, ...leaf.fields.extensions.sans.ip]
      reasons.push(`certificate is not valid for ${options.host}${sans.length ? `, only for ${sans.join(', ')}` : ' (it has no SANs)'}`)
    }
  }
  return {chain: (chain ?? []).map(subjectOf), reasons, valid: reasons.length === 0}
}
