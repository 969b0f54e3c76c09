// Renewal: the same certificate again from the CA that issued it — subject, SANs, KeyUsage, EKU and so profile kept
// byte for byte — with a new serial and validity (the old lifetime unless a TTL is given), for the same key or a new
// one of the same algorithm. Pure: PEM in, PEM out; callers read and write the files.
import {createPublicKey, type KeyObject} from 'node:crypto'

import {AuthctlError} from '../output/errors.js'
import {type Cert, readCertificates} from './cert.js'
import type {KEY_USAGE} from './encode.js'
import {EKU_OID} from './extensions.js'
import {leafSigner} from './issue.js'
import {encodePrivateKey, generatePrivateKey, type KeyFormat, keyAlgorithm, parsePrivateKey} from './keys.js'
import {type CertAndKey, type LoadedPair, parseCa} from './load.js'
import {needsRenewal, type RenewalThreshold} from './renewal.js'
import {signatureValid} from './signature.js'
import {caLabel, issuerLabel} from './verify.js'

/** What a certificate was issued for, as told from its names and usages. */
export type DetectedProfile = 'kubernetes-user' | 'talos-client' | 'server' | 'client' | 'other'

export function detectProfile(fields: Cert['fields']): DetectedProfile {
  const eku = fields.extensions.extKeyUsageOids ?? []
  const clientOnly = eku.length === 1 && eku[0] === EKU_OID.clientAuth
  const {commonName, organizations} = fields.subject
  if (clientOnly && commonName === undefined && organizations.length > 0 && organizations.every((o) => o.startsWith('os:'))) return 'talos-client'
  if (clientOnly && commonName) return 'kubernetes-user'
  if (eku.includes(EKU_OID.serverAuth)) return 'server'
  if (eku.includes(EKU_OID.clientAuth)) return 'client'
  return 'other'
}

/**
 * Why `ca` did not issue `leaf` (undefined when it did): the issuer name and key identifier must name the CA, and
 * the CA's key must verify the signature. The message names both CAs as `pki verify` does.
 */
export function notIssuedBy(leaf: Cert, ca: LoadedPair): string | undefined {
  const {extensions} = leaf.fields
  const caSkid = ca.fields.extensions.subjectKeyId
  const sameName = leaf.fields.issuerDer.equals(ca.fields.subjectDer)
  const sameKeyId = !extensions.authorityKeyId || !caSkid || extensions.authorityKeyId === caSkid
  const caKey = createPublicKey(ca.key)
  if (sameName && sameKeyId && signatureValid(leaf.fields.signed, caKey)) return undefined
  return `issued by ${issuerLabel(leaf.fields)}, not by ${caLabel({fields: ca.fields} as Cert)}`
}

/** The PEM form a key was read in, kept for its replacement (Talos's `ED25519 PRIVATE KEY` label stays). */
export function keyFormatOf(keyPem: string): KeyFormat {
  return /-----BEGIN PRIVATE KEY-----/.test(keyPem) ? 'pkcs8' : 'talos'
}

export interface RenewOptions {
  now: Date
  /** New lifetime; default: the old certificate's. */
  ttlMs?: number
  /** Renew only when due by this rule (as `pki needs-renewal`). */
  ifDue?: RenewalThreshold
  /** A new key of the same algorithm (written in the old key's PEM form). */
  rotateKey?: boolean
  /** The current key, checked against the certificate; needed with rotateKey to keep its PEM form. */
  keyPem?: string
  /** Where the key came from, in errors. */
  keySource?: string
}

export type RenewOutcome =
  | {renewed: true; certPem: string; keyPem?: string; profile: DetectedProfile; subject: string; notAfter: string}
  | {renewed: false; reason: string; profile: DetectedProfile; subject: string; notAfter: string}

/** Refused renewals (another CA, wrong key) throw; "not due" is an outcome, not an error. */
export async function renewCertificate(certPem: string, issuer: CertAndKey | LoadedPair, options: RenewOptions): Promise<RenewOutcome> {
  const ca = parseCa(issuer)
  const [leaf] = readCertificates(certPem, 'certificate')
  const {fields} = leaf
  const subject = fields.subject.dn || '(empty subject)'
  const profile = detectProfile(fields)
  const other = notIssuedBy(leaf, ca)
  if (other) {
    throw new AuthctlError(`certificate "${subject}" was not issued by this CA: ${other}`, {code: 'OTHER_CA', hint: 'pass the CA that issued it'})
  }
  if (options.ifDue) {
    const answer = needsRenewal(fields, options.ifDue, options.now)
    if (!answer.due) return {notAfter: answer.notAfter, profile, reason: 'not due', renewed: false, subject}
  }
  const publicKey = createPublicKey({format: 'der', key: fields.spkiDer, type: 'spki'})
  let oldKey: KeyObject | undefined
  if (options.keyPem !== undefined) {
    oldKey = parsePrivateKey(options.keyPem, {source: options.keySource, what: 'key'}).key
    if (!createPublicKey(oldKey).export({format: 'der', type: 'spki'}).equals(fields.spkiDer)) {
      throw new AuthctlError(`key ${options.keySource ?? ''} does not match the certificate "${subject}"`.replace('  ', ' '), {code: 'KEY_MISMATCH'})
    }
  }
  const {extensions} = fields
  if (extensions.sans.email.length + extensions.sans.uri.length > 0) {
    throw new AuthctlError(`certificate "${subject}" has e-mail or URI names, which authctl does not issue`, {code: 'UNSUPPORTED_CERT'})
  }
  if (extensions.keyUsage?.includes('decipherOnly')) {
    throw new AuthctlError(`certificate "${subject}" has the decipherOnly key usage, which authctl does not issue`, {code: 'UNSUPPORTED_CERT'})
  }
  const sign = leafSigner(ca, {
    dnsNames: extensions.sans.dns,
    extKeyUsageOids: extensions.extKeyUsageOids ?? [],
    ips: extensions.sans.ip,
    keyUsage: (extensions.keyUsage ?? ['digitalSignature']) as Array<keyof typeof KEY_USAGE>,
    now: options.now,
    rawSubject: fields.subjectDer,
    ttlMs: options.ttlMs ?? fields.notAfter.getTime() - fields.notBefore.getTime(),
    usages: [],
  })
  let keyPem: string | undefined
  let key: KeyObject = publicKey
  if (options.rotateKey) {
    const fresh = await generatePrivateKey(keyAlgorithm(publicKey, 'certificate key'))
    keyPem = encodePrivateKey(fresh, options.keyPem === undefined ? (profile === 'talos-client' ? 'talos' : 'pkcs8') : keyFormatOf(options.keyPem))
    key = fresh
  }
  const newPem = sign(key)
  const [renewed] = readCertificates(newPem, 'renewed certificate')
  return {certPem: newPem, keyPem, notAfter: renewed.fields.notAfter.toISOString(), profile, renewed: true, subject}
}
