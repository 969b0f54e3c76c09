// The fields of certificates and certificate requests, read with the small DER reader (no x509 library).
import {createHash, createPublicKey} from 'node:crypto'

import {AuthctlError} from '../output/errors.js'
import {
  algorithmOid,
  children,
  content,
  decodeBitString,
  decodeBoolean,
  decodeOid,
  decodeSmallInt,
  decodeString,
  decodeTime,
  DerError,
  encoded,
  expect,
  ia5,
  integerBytes,
  isNegative,
  readWhole,
  sequence,
  TAG,
  type Tlv,
} from './der.js'
import {keyAlgorithm} from './keys.js'

export interface NameAttribute {
  type: string
  value: string
}

export interface NameInfo {
  /** RFC 4514-like rendering in encoding order: `O=dev, CN=alice`. */
  dn: string
  attributes: NameAttribute[]
  commonName?: string
  organizations: string[]
  organizationalUnits: string[]
}

export interface SubjectAltNames {
  dns: string[]
  ip: string[]
  email: string[]
  uri: string[]
}

export interface Extensions {
  keyUsage?: string[]
  extKeyUsage?: string[]
  /** EKU OIDs as found, for exact comparisons. */
  extKeyUsageOids?: string[]
  basicConstraints?: {ca: boolean; pathLength?: number}
  sans: SubjectAltNames
  subjectKeyId?: string
  authorityKeyId?: string
  critical: string[]
}

export interface CertFields {
  der: Buffer
  /** The signed TBSCertificate, its signature algorithm OID and signature, to check the signature. */
  tbsDer: Buffer
  signatureOid: string
  signature: Buffer
  /** Encoded subject Name and SubjectPublicKeyInfo, for issuing under this certificate. */
  subjectDer: Buffer
  spkiDer: Buffer
  serial: string
  issuer: NameInfo
  subject: NameInfo
  notBefore: Date
  notAfter: Date
  keyAlgorithm: string
  signatureAlgorithm: string
  spkiSha256: string
  fingerprintSha256: string
  extensions: Extensions
}

export interface CsrFields {
  der: Buffer
  subjectDer: Buffer
  spkiDer: Buffer
  /** The signed CertificationRequestInfo, its signature algorithm OID and signature, to check the signature. */
  infoDer: Buffer
  signatureOid: string
  signature: Buffer
  subject: NameInfo
  keyAlgorithm: string
  signatureAlgorithm: string
  spkiSha256: string
  extensions: Extensions
}

const NAME_TYPES: Record<string, string> = {
  '0.9.2342.19200300.100.1.25': 'DC',
  '1.2.840.113549.1.9.1': 'emailAddress',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.3': 'CN',
  '2.5.4.5': 'serialNumber',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.9': 'street',
}

export const EKU_NAMES: Record<string, string> = {
  '1.3.6.1.5.5.7.3.1': 'serverAuth',
  '1.3.6.1.5.5.7.3.2': 'clientAuth',
  '1.3.6.1.5.5.7.3.3': 'codeSigning',
  '1.3.6.1.5.5.7.3.4': 'emailProtection',
  '1.3.6.1.5.5.7.3.8': 'timeStamping',
  '1.3.6.1.5.5.7.3.9': 'OCSPSigning',
  '2.5.29.37.0': 'any',
}

export const EKU_OID = {clientAuth: '1.3.6.1.5.5.7.3.2', serverAuth: '1.3.6.1.5.5.7.3.1'} as const

const KEY_USAGE_BITS = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
]

const SIGNATURE_ALGORITHMS: Record<string, string> = {
  '1.2.840.10045.4.3.2': 'ecdsa-with-SHA256',
  '1.2.840.10045.4.3.3': 'ecdsa-with-SHA384',
  '1.2.840.10045.4.3.4': 'ecdsa-with-SHA512',
  '1.2.840.113549.1.1.10': 'rsassa-pss',
  '1.2.840.113549.1.1.11': 'sha256WithRSAEncryption',
  '1.2.840.113549.1.1.12': 'sha384WithRSAEncryption',
  '1.2.840.113549.1.1.13': 'sha512WithRSAEncryption',
  '1.2.840.113549.1.1.5': 'sha1WithRSAEncryption',
  '1.3.101.112': 'ED25519',
}

function parseName(tlv: Tlv): NameInfo {
  const attributes: NameAttribute[] = []
  for (const rdn of children(tlv)) {
    for (const atv of children(rdn)) {
      const [oid, value] = children(atv)
      const id = decodeOid(oid)
      attributes.push({type: NAME_TYPES[id] ?? id, value: decodeString(value)})
    }
  }
  const of = (type: string) => attributes.filter((a) => a.type === type).map((a) => a.value)
  // Go's pkix.Name, which kube-apiserver and Talos read: every attribute of every RDN (multi-valued ones included)
  // in encoding order, values raw; a later CN replaces an earlier one, each O is kept.
  return {
    attributes,
    commonName: of('CN').at(-1),
    dn: attributes.map((a) => `${a.type}=${a.value.replace(/([,+"\\<>;])/g, '\\$1')}`).join(', '),
    organizationalUnits: of('OU'),
    organizations: of('O'),
  }
}

function formatIp(bytes: Buffer): string {
  if (bytes.length === 4) return [...bytes].join('.')
  const groups: string[] = []
  for (let i = 0; i < 16; i += 2) groups.push(bytes.readUInt16BE(i).toString(16))
  // Compress the longest run of zero groups, as RFC 5952 asks.
  const text = groups.join(':')
  const runs = text.match(/(^|:)0(:0)+(:|$)/g)
  if (!runs) return text
  const longest = runs.reduce((a, b) => (b.length > a.length ? b : a))
  return text.replace(longest, '::')
}

function hexColon(bytes: Buffer): string {
  return bytes.toString('hex').toUpperCase().replace(/(..)(?!$)/g, '$1:')
}

/** The extensions authctl reads; the values of others are not looked at. */
const EXTENSION_NAMES: Record<string, string> = {
  '2.5.29.14': 'subjectKeyIdentifier',
  '2.5.29.15': 'keyUsage',
  '2.5.29.17': 'subjectAltName',
  '2.5.29.19': 'basicConstraints',
  '2.5.29.35': 'authorityKeyIdentifier',
  '2.5.29.37': 'extKeyUsage',
}

/** The SAN GeneralNames authctl reads (dNSName, rfc822Name, URI, iPAddress); other forms are skipped. */
function parseSans(value: Tlv, sans: SubjectAltNames): void {
  for (const name of sequence(value, 'subject alternative name')) {
    const bytes = content(name)
    if (name.tag === 0x82) sans.dns.push(ia5(bytes))
    else if (name.tag === 0x81) sans.email.push(ia5(bytes))
    else if (name.tag === 0x86) sans.uri.push(ia5(bytes))
    else if (name.tag === 0x87) {
      if (bytes.length !== 4 && bytes.length !== 16) throw new DerError(`cannot parse IP address of length ${bytes.length}`)
      sans.ip.push(formatIp(bytes))
    }
  }
}

function parseBasicConstraints(value: Tlv): NonNullable<Extensions['basicConstraints']> {
  const fields = sequence(value, 'basic constraints', 0, 2)
  const ca = fields[0]?.tag === TAG.BOOLEAN ? decodeBoolean(fields.shift()!) : false
  if (fields.length === 0) return {ca}
  if (fields.length > 1) throw new DerError('malformed basic constraints')
  return {ca, pathLength: decodeSmallInt(fields[0], 'basic constraints path length')}
}

function parseExtension(id: string, value: Tlv, ext: Extensions): void {
  switch (id) {
    case '2.5.29.15': {
      const {bytes} = decodeBitString(value, 'key usage')
      ext.keyUsage = KEY_USAGE_BITS.filter((_, i) => bytes[i >> 3] & (0x80 >> (i & 7)))
      break
    }
    case '2.5.29.37':
      ext.extKeyUsageOids = sequence(value, 'extended key usages').map(decodeOid)
      ext.extKeyUsage = ext.extKeyUsageOids.map((o) => EKU_NAMES[o] ?? o)
      break
    case '2.5.29.17':
      parseSans(value, ext.sans)
      break
    case '2.5.29.19':
      ext.basicConstraints = parseBasicConstraints(value)
      break
    case '2.5.29.14':
      ext.subjectKeyId = hexColon(content(expect(value, TAG.OCTET_STRING, 'subject key identifier')))
      break
    case '2.5.29.35': {
      const keyId = sequence(value, 'authority key identifier', 0, 3).find((f) => f.tag === 0x80)
      if (keyId) ext.authorityKeyId = hexColon(content(keyId))
      break
    }
  }
}

/**
 * Extensions, each at most once (Go rejects duplicates, in these words); the values of the ones authctl uses are
 * read strictly. `owner` names the structure in the duplicate error.
 */
function parseExtensions(list: Tlv | undefined, owner: string): Extensions {
  const ext: Extensions = {critical: [], sans: {dns: [], email: [], ip: [], uri: []}}
  if (!list) return ext
  const seen = new Set<string>()
  for (const item of sequence(list, 'extensions')) {
    const parts = sequence(item, 'extension', 2, 3)
    const id = decodeOid(parts[0])
    if (seen.has(id)) throw new DerError(`x509: ${owner} contains duplicate extensions`)
    seen.add(id)
    const critical = parts.length === 3 && decodeBoolean(parts[1])
    const value = content(expect(parts.at(-1), TAG.OCTET_STRING, 'extension value'))
    if (id in EXTENSION_NAMES) parseExtension(id, readWhole(value), ext)
    if (critical) ext.critical.push(EXTENSION_NAMES[id] ?? id)
  }
  return ext
}

function describeSpki(spki: Tlv): {keyAlgorithm: string; spkiSha256: string} {
  const der = encoded(spki)
  let name: string
  try {
    name = keyAlgorithm(createPublicKey({format: 'der', key: der, type: 'spki'}))
  } catch {
    name = algorithmOid(children(spki)[0])
  }
  return {keyAlgorithm: name, spkiSha256: `sha256:${createHash('sha256').update(der).digest('hex')}`}
}

function wrap<T>(what: string, fn: () => T): T {
  try {
    return fn()
  } catch (error) {
    if (error instanceof DerError) throw new AuthctlError(`invalid ${what}: ${error.message}`, {code: 'BAD_DER'})
    if (error instanceof TypeError || error instanceof RangeError) {
      throw new AuthctlError(`invalid ${what}: malformed structure`, {code: 'BAD_DER'})
    }
    throw error
  }
}

interface Signed {
  /** The signed body (TBSCertificate or CertificationRequestInfo). */
  body: Tlv
  algorithm: Tlv
  signatureOid: string
  signature: Buffer
}

/** SEQUENCE { body, AlgorithmIdentifier, BIT STRING } — the envelope of certificates and requests. */
function parseSigned(der: Buffer, what: string): Signed {
  const [body, algorithm, signature] = sequence(readWhole(der), what, 3, 3)
  expect(body, TAG.SEQUENCE, `${what} body`)
  const bits = decodeBitString(signature, 'signature')
  if (bits.unusedBits !== 0) throw new DerError('malformed signature')
  return {algorithm, body, signature: bits.bytes, signatureOid: algorithmOid(algorithm, 'signature algorithm')}
}

function parseSpki(spki: Tlv | undefined): Tlv {
  const [algorithm, key] = sequence(spki, 'public key info', 2, 2)
  algorithmOid(algorithm, 'public key algorithm')
  decodeBitString(key, 'public key')
  return spki!
}

function parseSerial(serial: Tlv | undefined): string {
  const bytes = integerBytes(serial, 'serial number')
  // Go ≥ 1.23 (kube-apiserver 1.32) rejects negative serials at parse time.
  if (isNegative(bytes)) throw new DerError('x509: negative serial number')
  return bytes.toString('hex').replace(/^00(?=[89a-f])/, '').toUpperCase()
}

/** TBSCertificate fields after the subject public key: [1] issuerUID, [2] subjectUID, [3] extensions, in order. */
function trailingFields(rest: Tlv[], version: number): Tlv | undefined {
  let last = 0
  let extensions: Tlv | undefined
  for (const field of rest) {
    const n = field.tag & 0x1f
    if ((field.tag & 0xc0) !== 0x80 || n < 1 || n > 3 || n <= last) throw new DerError('malformed tbs certificate')
    if (version < 2) throw new DerError(`unique identifiers or extensions in a v${version} certificate`)
    if (n === 3) {
      if (version !== 3) throw new DerError('extensions in a non-v3 certificate')
      ;[extensions] = sequence({...field, tag: TAG.SEQUENCE}, 'extensions', 1, 1)
    }
    last = n
  }
  return extensions
}

/** The version in [0] EXPLICIT, 1-based as Go reports it (v1 when absent). */
function parseVersion(fields: Tlv[]): number {
  if (fields[0]?.tag !== 0xa0) return 1
  const [value] = sequence({...fields.shift()!, tag: TAG.SEQUENCE}, 'version', 1, 1)
  const version = decodeSmallInt(value, 'version')
  if (version > 2) throw new DerError('invalid version')
  return version + 1
}

export function parseCertificate(der: Buffer, what = 'certificate'): CertFields {
  return wrap(what, () => {
    const signed = parseSigned(der, what)
    const fields = children(signed.body)
    const version = parseVersion(fields)
    const [serial, innerAlgorithm, issuer, validity, subject, spki, ...rest] = fields
    const serialHex = parseSerial(serial)
    if (!innerAlgorithm || !encoded(innerAlgorithm).equals(encoded(signed.algorithm))) {
      throw new DerError("x509: inner and outer signature algorithm identifiers don't match")
    }
    const [notBefore, notAfter] = sequence(validity, 'validity', 2, 2)
    const extensions = trailingFields(rest, version)
    return {
      der,
      extensions: parseExtensions(extensions, 'certificate'),
      fingerprintSha256: hexColon(createHash('sha256').update(der).digest()),
      issuer: parseName(expect(issuer, TAG.SEQUENCE, 'issuer')),
      notAfter: decodeTime(notAfter),
      notBefore: decodeTime(notBefore),
      serial: serialHex,
      signature: signed.signature,
      signatureAlgorithm: SIGNATURE_ALGORITHMS[signed.signatureOid] ?? signed.signatureOid,
      signatureOid: signed.signatureOid,
      spkiDer: encoded(parseSpki(spki)),
      subject: parseName(expect(subject, TAG.SEQUENCE, 'subject')),
      subjectDer: encoded(subject),
      tbsDer: encoded(signed.body),
      ...describeSpki(spki),
    }
  })
}

const EXTENSION_REQUEST = '1.2.840.113549.1.9.14'

export function parseCsr(der: Buffer, what = 'certificate request'): CsrFields {
  return wrap(what, () => {
    const signed = parseSigned(der, what)
    const [version, subject, spki, attributes] = sequence(signed.body, 'certificate request info', 4, 4)
    if (decodeSmallInt(version, 'version') !== 0) throw new DerError('invalid version')
    if (attributes.tag !== 0xa0) throw new DerError('malformed attributes')
    let extensions: Tlv | undefined
    for (const attr of children(attributes)) {
      const [oid, values] = sequence(attr, 'attribute', 2, 2)
      if (decodeOid(oid) !== EXTENSION_REQUEST) continue
      if (extensions) throw new DerError('duplicate extension request')
      ;[extensions] = children(expect(values, TAG.SET, 'extension request'))
      if (!extensions || children(values).length !== 1) throw new DerError('malformed extension request')
    }
    return {
      der,
      extensions: parseExtensions(extensions, 'certificate request'),
      infoDer: encoded(signed.body),
      signature: signed.signature,
      signatureAlgorithm: SIGNATURE_ALGORITHMS[signed.signatureOid] ?? signed.signatureOid,
      signatureOid: signed.signatureOid,
      spkiDer: encoded(parseSpki(spki)),
      subject: parseName(expect(subject, TAG.SEQUENCE, 'subject')),
      subjectDer: encoded(subject),
      ...describeSpki(spki),
    }
  })
}
