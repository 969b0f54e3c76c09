// What a certificate, chain, CSR or key is and what it grants: the Kubernetes identity (kube-apiserver's x509
// authenticator: user = CN, groups = O in order), the Talos roles (O parsed like Talos), and the mistakes that make
// apiservers or apid reject it.
import {createPublicKey, type KeyObject} from 'node:crypto'

import {AuthctlError} from '../output/errors.js'
import {parseRoles} from '../api/talos-roles.js'
import {relativeTime} from '../go/time.js'
import {parseCertificate, parseCsr, type CertFields, type CsrFields, type NameInfo} from './certinfo.js'
import {EKU_OID, type Extensions} from './extensions.js'
import {parsePrivateKey, spkiSha256} from './keys.js'
import {parsePem, toPem} from './pem.js'

export interface KubernetesIdentity {
  user: string
  groups: string[]
}

export interface TalosIdentity {
  roles: string[]
  unknownRoles: string[]
  /** apid (Talos v1.12+) accepts a client certificate only if its EKU is exactly [clientAuth]. */
  ekuAccepted: boolean
}

export interface CertificateReport {
  kind: 'certificate'
  subject: NameInfo
  issuer: NameInfo
  serial: string
  notBefore: string
  notAfter: string
  status: 'expired' | 'not-yet-valid' | 'valid'
  /** "in 364d", "3d ago". */
  expires: string
  isCA: boolean
  selfSigned: boolean
  keyAlgorithm: string
  signatureAlgorithm: string
  keyUsage: string[]
  extKeyUsage: string[]
  sans: Extensions['sans']
  subjectKeyId?: string
  authorityKeyId?: string
  fingerprintSha256: string
  spkiSha256: string
  kubernetes: KubernetesIdentity | null
  talos: TalosIdentity | null
  warnings: string[]
}

export interface CsrReport {
  kind: 'certificate-request'
  subject: NameInfo
  keyAlgorithm: string
  signatureAlgorithm: string
  keyUsage: string[]
  extKeyUsage: string[]
  sans: Extensions['sans']
  spkiSha256: string
  kubernetes: KubernetesIdentity | null
  talos: {roles: string[]; unknownRoles: string[]} | null
  warnings: string[]
}

export interface KeyReport {
  kind: 'private-key' | 'public-key'
  keyAlgorithm: string
  encoding?: string
  encrypted?: boolean
  spkiSha256?: string
  warnings: string[]
}

export type Report = CertificateReport | CsrReport | KeyReport

function talosRoles(name: NameInfo): {roles: string[]; unknownRoles: string[]} | null {
  if (!name.organizations.some((o) => o.startsWith('os:'))) return null
  const {roles, unknown} = parseRoles(name.organizations)
  return {roles, unknownRoles: unknown}
}

function nameWarnings(name: NameInfo, eku: string[] | undefined, isCA: boolean): string[] {
  const warnings: string[] = []
  if (isCA) return warnings
  if (name.organizationalUnits.length > 0 && name.organizations.length === 0) {
    warnings.push(`OU=${name.organizationalUnits.join(',')} is set but no O: Kubernetes groups and Talos roles come from O, not OU`)
  } else if (name.organizationalUnits.some((ou) => ou.startsWith('os:') || ou.startsWith('system:'))) {
    warnings.push('roles or groups were put in OU; Kubernetes and Talos read only O')
  }
  if (name.organizations.includes('system:masters')) {
    warnings.push('O=system:masters: cluster-admin that RBAC cannot revoke; it lasts until the certificate expires')
  }
  const talos = talosRoles(name)
  if (talos) {
    if (talos.unknownRoles.length > 0) warnings.push(`unknown Talos roles ${talos.unknownRoles.join(', ')} grant nothing`)
    if (!(eku?.length === 1 && eku[0] === EKU_OID.clientAuth)) {
      warnings.push(`EKU ${eku?.length ? `[${eku.map(ekuName).join(', ')}]` : 'absent'}: Talos apid (v1.12+) rejects client certificates whose EKU is not exactly [clientAuth]`)
    }
  } else if (name.organizations.some((o) => /^(admin|reader|operator|etcd:backup|impersonator)$/.test(o))) {
    warnings.push('an O looks like a Talos role without the os: prefix; Talos roles are os:admin, os:reader, …')
  }
  if (eku && eku.length > 0 && !eku.includes(EKU_OID.clientAuth) && !eku.includes('2.5.29.37.0') && name.commonName) {
    warnings.push('EKU lacks clientAuth: kube-apiserver rejects it as a client certificate (incompatible key usage)')
  }
  return warnings
}

function ekuName(oid: string): string {
  return oid === EKU_OID.clientAuth ? 'clientAuth' : oid === EKU_OID.serverAuth ? 'serverAuth' : oid
}

function kubernetesIdentity(name: NameInfo, isCA: boolean): KubernetesIdentity | null {
  if (isCA || !name.commonName) return null
  return {groups: name.organizations, user: name.commonName}
}

export function describeCertificate(cert: CertFields, now: Date): CertificateReport {
  const ext = cert.extensions
  const isCA = ext.basicConstraints?.ca === true
  const status = now < cert.notBefore ? 'not-yet-valid' : now > cert.notAfter ? 'expired' : 'valid'
  const warnings: string[] = []
  if (status === 'expired') warnings.push(`expired ${relativeTime(cert.notAfter, now)}`)
  if (status === 'not-yet-valid') warnings.push(`not valid yet: NotBefore is ${relativeTime(cert.notBefore, now)} (clock skew?)`)
  warnings.push(...nameWarnings(cert.subject, ext.extKeyUsageOids, isCA))
  if (!isCA && !cert.subject.commonName && cert.subject.organizations.length > 0 && !talosRoles(cert.subject)) {
    warnings.push('no CN: Kubernetes does not authenticate a client certificate without a CN')
  }
  const talos = isCA ? null : talosRoles(cert.subject)
  const ekuAccepted = ext.extKeyUsageOids?.length === 1 && ext.extKeyUsageOids[0] === EKU_OID.clientAuth
  return {
    authorityKeyId: ext.authorityKeyId,
    expires: relativeTime(cert.notAfter, now),
    extKeyUsage: ext.extKeyUsage ?? [],
    fingerprintSha256: cert.fingerprintSha256,
    isCA,
    issuer: cert.issuer,
    keyAlgorithm: cert.keyAlgorithm,
    keyUsage: ext.keyUsage ?? [],
    kind: 'certificate',
    kubernetes: kubernetesIdentity(cert.subject, isCA),
    notAfter: cert.notAfter.toISOString(),
    notBefore: cert.notBefore.toISOString(),
    sans: ext.sans,
    selfSigned: cert.issuer.dn === cert.subject.dn,
    serial: cert.serial,
    signatureAlgorithm: cert.signatureAlgorithm,
    spkiSha256: cert.spkiSha256,
    status,
    subject: cert.subject,
    subjectKeyId: ext.subjectKeyId,
    talos: talos ? {...talos, ekuAccepted} : null,
    warnings,
  }
}

export function describeCsr(csr: CsrFields): CsrReport {
  const ext = csr.extensions
  return {
    extKeyUsage: ext.extKeyUsage ?? [],
    keyAlgorithm: csr.keyAlgorithm,
    keyUsage: ext.keyUsage ?? [],
    kind: 'certificate-request',
    kubernetes: kubernetesIdentity(csr.subject, false),
    sans: ext.sans,
    signatureAlgorithm: csr.signatureAlgorithm,
    spkiSha256: csr.spkiSha256,
    subject: csr.subject,
    talos: talosRoles(csr.subject),
    warnings: nameWarnings(csr.subject, ext.extKeyUsageOids, false).filter((w) => !w.startsWith('EKU')),
  }
}

/** Describes every PEM block of a file: certificates (a chain is several), CSRs and keys. Never prints key material. */
export function inspectPem(data: Buffer | string, now: Date, what = 'input'): Report[] {
  const reports: Report[] = []
  for (const block of parsePem(data, what)) {
    if (block.label === 'CERTIFICATE') reports.push(describeCertificate(parseCertificate(block.der, what), now))
    else if (block.label === 'CERTIFICATE REQUEST' || block.label === 'NEW CERTIFICATE REQUEST') reports.push(describeCsr(parseCsr(block.der, what)))
    else if (block.label.endsWith('PRIVATE KEY')) reports.push(describeKey(block.label, block.der, block.headers))
    else if (block.label === 'PUBLIC KEY') reports.push(describePublicKey(block.der, what))
  }
  return reports
}

function describePublicKey(der: Buffer, what: string): KeyReport {
  let key: KeyObject
  try {
    key = createPublicKey({format: 'der', key: der, type: 'spki'})
  } catch {
    throw new AuthctlError(`invalid ${what}: PUBLIC KEY is not a readable key`, {code: 'BAD_KEY'})
  }
  return {keyAlgorithm: key.asymmetricKeyType ?? 'unknown', kind: 'public-key', warnings: []}
}

function describeKey(label: string, der: Buffer, headers: Record<string, string>): KeyReport {
  if (label === 'ENCRYPTED PRIVATE KEY' || headers['Proc-Type']?.includes('ENCRYPTED')) {
    return {encrypted: true, keyAlgorithm: 'unknown (encrypted)', kind: 'private-key', warnings: []}
  }
  const parsed = parsePrivateKey(toPem(label, der))
  return {
    encoding: parsed.encoding,
    encrypted: false,
    keyAlgorithm: parsed.algorithm,
    kind: 'private-key',
    spkiSha256: spkiSha256(parsed.key),
    warnings: [],
  }
}
