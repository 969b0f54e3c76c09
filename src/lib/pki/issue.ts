// Issuing: self-signed CAs, CSRs and certificates, encoded with the small DER writer and signed with node:crypto.
// No X.509 library is loaded, so `pki issue` starts as fast as the read-only commands.
import {createHash, createPublicKey, type KeyObject, randomBytes, sign} from 'node:crypto'
import {isIP} from 'node:net'

import {AuthctlError, usageError} from '../output/errors.js'
import {hasControlCharacters, quote} from '../go/quote.js'
import {type CsrFields, type NameInfo, parseCsr} from './certinfo.js'
import {children, content, readWhole} from './der.js'
import * as asn1 from './encode.js'
import {encodePrivateKey, generatePrivateKey, type KeyAlgorithm, type KeyFormat, keyAlgorithm} from './keys.js'
import {type CertAndKey, type LoadedPair, parseCa} from './load.js'
import {parsePem, toPem} from './pem.js'
import {isSupportedSignature, signatureValid} from './signature.js'
import type {Usage} from './verify.js'

const HOUR = 3_600_000
export const DEFAULT_CA_TTL_MS = 87_600 * HOUR
export const DEFAULT_LEAF_TTL_MS = 8760 * HOUR

const OID = {
  authorityKeyId: '2.5.29.35',
  basicConstraints: '2.5.29.19',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  extKeyUsage: '2.5.29.37',
  extensionRequest: '1.2.840.113549.1.9.14',
  keyUsage: '2.5.29.15',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  subjectAltName: '2.5.29.17',
  subjectKeyId: '2.5.29.14',
} as const

/** Signature algorithm (as Go picks it for the key) and the digest node:crypto's sign() needs for it. */
const SIGNATURE: Record<KeyAlgorithm, {oid: string; hash: string | null; nullParams?: boolean}> = {
  'ecdsa-p256': {hash: 'sha256', oid: '1.2.840.10045.4.3.2'},
  'ecdsa-p384': {hash: 'sha384', oid: '1.2.840.10045.4.3.3'},
  ed25519: {hash: null, oid: '1.3.101.112'},
  'rsa-2048': {hash: 'sha256', nullParams: true, oid: '1.2.840.113549.1.1.11'},
  'rsa-3072': {hash: 'sha256', nullParams: true, oid: '1.2.840.113549.1.1.11'},
  'rsa-4096': {hash: 'sha256', nullParams: true, oid: '1.2.840.113549.1.1.11'},
}

function algorithmIdentifier(algorithm: KeyAlgorithm): Buffer {
  const s = SIGNATURE[algorithm]
  return asn1.seq(asn1.oid(s.oid), ...(s.nullParams ? [asn1.nul()] : []))
}

/** Signs `tbs` and wraps it as Certificate / CertificationRequest: SEQUENCE { tbs, algorithm, signature }. */
function signed(tbs: Buffer, key: KeyObject): Buffer {
  const algorithm = keyAlgorithm(key)
  const signature = sign(SIGNATURE[algorithm].hash, tbs, key)
  return asn1.seq(tbs, algorithmIdentifier(algorithm), asn1.bitString(signature))
}

function spkiOf(key: KeyObject): Buffer {
  return (key.type === 'public' ? key : createPublicKey(key)).export({format: 'der', type: 'spki'})
}

/** RFC 5280 method 1: SHA-1 of the subjectPublicKey bits. */
function keyIdentifier(spki: Buffer): Buffer {
  const bits = content(children(readWhole(spki))[1]).subarray(1)
  return createHash('sha1').update(bits).digest()
}

function randomSerial(): Buffer {
  const bytes = randomBytes(16)
  bytes[0] &= 0x7f // positive, 128 bits as Go and Talos use
  bytes[0] |= 0x01 // and never shorter, so every serial has the same length
  return bytes
}

export function checkSans(dnsNames: string[] = [], ips: string[] = []): void {
  for (const ip of ips) {
    if (ip.includes('%')) throw usageError(`invalid IP address ${quote(ip)}: an IPv6 zone cannot be put in a certificate`, 'drop the %zone')
    if (!isIP(ip)) throw usageError(`invalid IP address ${quote(ip)}`)
  }
  for (const dns of dnsNames) {
    if (!/^(\*\.)?([A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)(\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*\.?$/.test(dns)) {
      throw usageError(`invalid DNS name ${quote(dns)}`)
    }
  }
}

/** Names go into the subject as given: empty values and control characters are refused, never encoded. */
function checkNames(cn: string | undefined, orgs: string[]): void {
  for (const [what, value] of [...(cn === undefined ? [] : [['CN', cn]]), ...orgs.map((o) => ['O', o])]) {
    if (value === '') throw usageError(`empty ${what} in the subject`, 'leave the attribute out instead')
    if (hasControlCharacters(value)) throw usageError(`${what} ${quote(value)} contains control characters`)
  }
}

/** The subject attributes of a CSR (already encoded), checked as checkNames checks built ones. */
function checkEncodedSubject(subject: NameInfo): void {
  for (const a of subject.attributes) {
    if (hasControlCharacters(a.value)) {
      throw new AuthctlError(`the request's subject ${a.type} ${quote(a.value)} contains control characters`, {code: 'BAD_CSR'})
    }
  }
}

const EMPTY_NAME = asn1.seq()

/** RFC 5280 §4.1.2.6: an empty subject needs a SubjectAltName, and that extension is then critical. */
function sanExtensions(subject: Buffer, dnsNames: string[], ips: string[]): Buffer[] {
  const emptySubject = subject.equals(EMPTY_NAME)
  if (dnsNames.length + ips.length === 0) {
    if (emptySubject) throw usageError('the subject is empty and there is no subject alternative name', 'give a CN or O, or a --dns/--ip SAN (RFC 5280 §4.1.2.6)')
    return []
  }
  return [asn1.extension(OID.subjectAltName, emptySubject, asn1.subjectAltNames(dnsNames, ips))]
}

/** The instants X.509 can encode: GeneralizedTime has four year digits (RFC 5280 §4.1.2.5). */
const FIRST_ENCODABLE = Date.parse('0000-01-01T00:00:00Z')
const LAST_ENCODABLE = Date.parse('9999-12-31T23:59:59Z')

/** NotBefore/NotAfter for a lifetime from `now`, refused (nothing generated or written) when not encodable. */
function validity(now: Date, ttlMs: number, skewMs = 0): {notBefore: Date; notAfter: Date} {
  if (!(ttlMs > 0)) throw usageError('the certificate lifetime (--ttl) must be positive')
  const notBefore = new Date(now.getTime() - skewMs)
  const notAfter = new Date(now.getTime() + ttlMs)
  if (!(notAfter.getTime() <= LAST_ENCODABLE)) {
    throw usageError('the certificate would expire after 9999-12-31T23:59:59Z, the last time X.509 can encode', 'use a shorter --ttl')
  }
  if (!(notBefore.getTime() >= FIRST_ENCODABLE)) throw usageError('--not-before-skew puts NotBefore before year 0000', 'use a shorter skew')
  return {notAfter, notBefore}
}

interface TbsInput {
  serial: Buffer
  issuer: Buffer
  subject: Buffer
  spki: Buffer
  notBefore: Date
  notAfter: Date
  extensions: Buffer[]
  signer: KeyObject
}

function tbsCertificate(input: TbsInput): Buffer {
  return asn1.seq(
    asn1.ctx(0, asn1.uint(2)), // v3
    asn1.uint(input.serial),
    algorithmIdentifier(keyAlgorithm(input.signer)),
    input.issuer,
    asn1.seq(asn1.time(input.notBefore), asn1.time(input.notAfter)),
    input.subject,
    input.spki,
    asn1.ctx(3, asn1.seq(...input.extensions)),
  )
}

export interface CaOptions {
  algorithm?: KeyAlgorithm
  cn?: string
  orgs?: string[]
  ttlMs?: number
  profile?: 'talos'
  now?: Date
  keyFormat?: KeyFormat
}

export async function createCa(options: CaOptions = {}): Promise<CertAndKey> {
  const talos = options.profile === 'talos'
  if (talos && options.algorithm && options.algorithm !== 'ed25519') {
    throw usageError('--profile talos makes an Ed25519 CA, as Talos does', 'drop --algorithm')
  }
  const algorithm = talos ? 'ed25519' : (options.algorithm ?? 'ed25519')
  const orgs = talos ? ['talos'] : (options.orgs ?? [])
  // Talos CAs carry only O (it drops any CN); otherwise a CA needs some name.
  const cn = talos ? undefined : (options.cn ?? (orgs.length === 0 ? 'authctl CA' : undefined))
  checkNames(cn, orgs)
  const subject = asn1.name(cn, orgs)
  if (subject.equals(EMPTY_NAME)) throw usageError('a CA needs a subject', 'pass --cn or --org')
  const {notAfter, notBefore} = validity(options.now ?? new Date(), options.ttlMs ?? DEFAULT_CA_TTL_MS)
  const key = await generatePrivateKey(algorithm)
  const spki = spkiOf(key)
  const tbs = tbsCertificate({
    extensions: [
      asn1.extension(OID.basicConstraints, true, asn1.seq(asn1.bool(true))),
      asn1.extension(OID.keyUsage, true, asn1.keyUsage(['digitalSignature', 'keyCertSign'])),
      ...(talos ? [asn1.extension(OID.extKeyUsage, false, asn1.seq(asn1.oid(OID.serverAuth), asn1.oid(OID.clientAuth)))] : []),
      asn1.extension(OID.subjectKeyId, false, asn1.octets(keyIdentifier(spki))),
    ],
    issuer: subject,
    notAfter,
    notBefore,
    serial: randomSerial(),
    signer: key,
    spki,
    subject,
  })
  return {certPem: toPem('CERTIFICATE', signed(tbs, key)), keyPem: encodePrivateKey(key, options.keyFormat ?? (talos ? 'talos' : 'pkcs8'))}
}

export interface LeafRequest {
  /** Either a subject to build, or the encoded subject of a CSR. */
  cn?: string
  orgs?: string[]
  rawSubject?: Buffer
  publicKey: KeyObject
  dnsNames?: string[]
  ips?: string[]
  usages: Usage[]
  ttlMs?: number
  notBeforeSkewMs?: number
  now?: Date
  /** Renewal: the old certificate's KeyUsage and EKU OIDs, copied as they were instead of derived from `usages`. */
  keyUsage?: Array<keyof typeof asn1.KEY_USAGE>
  extKeyUsageOids?: string[]
}

export type LeafTemplate = Omit<LeafRequest, 'publicKey'>

/**
 * Checks a leaf request — every refusal happens here, before a key is generated or anything written — and returns
 * the signer for its key. It signs as Talos's NewCertificateFromCSR does: KeyUsage digitalSignature (critical; plus
 * keyEncipherment for RSA server keys), the EKUs asked for, SANs, the CA's key id as AKI, no SKID.
 */
export function leafSigner(ca: LoadedPair, request: LeafTemplate): (key: KeyObject) => string {
  const {dnsNames = [], ips = []} = request
  checkSans(dnsNames, ips)
  if (!request.rawSubject) checkNames(request.cn, request.orgs ?? [])
  const subject = request.rawSubject ?? asn1.name(request.cn, request.orgs ?? [])
  const sans = sanExtensions(subject, dnsNames, ips)
  const {notAfter, notBefore} = validity(request.now ?? new Date(), request.ttlMs ?? DEFAULT_LEAF_TTL_MS, request.notBeforeSkewMs)
  const eku = (request.extKeyUsageOids ?? request.usages.map((u) => (u === 'client' ? OID.clientAuth : OID.serverAuth))).map(asn1.oid)
  const caKeyId = ca.fields.extensions.subjectKeyId
    ? Buffer.from(ca.fields.extensions.subjectKeyId.replaceAll(':', ''), 'hex')
    : keyIdentifier(ca.fields.spkiDer)
  return (key) => {
    const usage: Array<keyof typeof asn1.KEY_USAGE> = request.keyUsage ? [...request.keyUsage] : ['digitalSignature']
    if (!request.keyUsage && key.asymmetricKeyType === 'rsa' && request.usages.includes('server')) usage.push('keyEncipherment')
    const tbs = tbsCertificate({
      extensions: [
        asn1.extension(OID.keyUsage, true, asn1.keyUsage(usage)),
        ...(eku.length > 0 ? [asn1.extension(OID.extKeyUsage, false, asn1.seq(...eku))] : []),
        ...sans,
        asn1.extension(OID.authorityKeyId, false, asn1.seq(asn1.ctx(0, caKeyId, false))),
      ],
      issuer: ca.fields.subjectDer,
      notAfter,
      notBefore,
      serial: randomSerial(),
      signer: ca.key,
      spki: spkiOf(key),
      subject,
    })
    return toPem('CERTIFICATE', signed(tbs, ca.key))
  }
}

export async function signLeaf(ca: LoadedPair, request: LeafRequest): Promise<string> {
  return leafSigner(ca, request)(request.publicKey)
}

export async function createCsr(key: KeyObject, subject: {cn?: string; orgs?: string[]; dnsNames?: string[]; ips?: string[]}): Promise<string> {
  const {dnsNames = [], ips = []} = subject
  checkSans(dnsNames, ips)
  checkNames(subject.cn, subject.orgs ?? [])
  const name = asn1.name(subject.cn, subject.orgs ?? [])
  const extensions = sanExtensions(name, dnsNames, ips)
  const attributes = extensions.length > 0 ? [asn1.seq(asn1.oid(OID.extensionRequest), asn1.set(asn1.seq(...extensions)))] : []
  const info = asn1.seq(asn1.uint(0), name, spkiOf(key), asn1.ctx(0, Buffer.concat(attributes)))
  return toPem('CERTIFICATE REQUEST', signed(info, key))
}

/** The CSR's public key, once the CSR is shown to be signed by it with an algorithm authctl issues for. */
export function verifyCsr(csr: CsrFields): KeyObject {
  let publicKey: KeyObject
  try {
    publicKey = createPublicKey({format: 'der', key: csr.spkiDer, type: 'spki'})
  } catch {
    throw new AuthctlError('invalid certificate request: its public key cannot be read', {code: 'BAD_CSR'})
  }
  keyAlgorithm(publicKey, 'CSR key')
  if (!isSupportedSignature(csr.signed.algorithm)) {
    throw new AuthctlError(`unsupported CSR signature algorithm ${csr.signatureAlgorithm}`, {code: 'BAD_CSR'})
  }
  if (!signatureValid(csr.signed, publicKey)) {
    throw new AuthctlError('certificate request signature is invalid', {code: 'BAD_CSR_SIGNATURE', hint: 'the CSR was altered or not signed by its own key'})
  }
  return publicKey
}

export interface SignCsrOptions {
  usages: Usage[]
  dnsNames?: string[]
  ips?: string[]
  ttlMs?: number
  notBeforeSkewMs?: number
  now?: Date
}

/** Signs a CSR after checking its signature; subject and SANs come from the CSR, extra SANs are added. */
export async function signCsr(ca: CertAndKey, csrPem: string, options: SignCsrOptions): Promise<string> {
  const block = parsePem(csrPem, 'certificate request').find((b) => /CERTIFICATE REQUEST$/.test(b.label))
  if (!block) throw new AuthctlError('invalid certificate request: no CERTIFICATE REQUEST block found', {code: 'BAD_PEM'})
  const csr = parseCsr(block.der)
  const publicKey = verifyCsr(csr)
  checkEncodedSubject(csr.subject)
  const loaded = parseCa(ca)
  const union = (a: string[], b: string[] = []) => [...new Set([...a, ...b])]
  return signLeaf(loaded, {
    ...options,
    dnsNames: union(csr.extensions.sans.dns, options.dnsNames),
    ips: union(csr.extensions.sans.ip, options.ips),
    publicKey,
    rawSubject: csr.subjectDer,
  })
}
