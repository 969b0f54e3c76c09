// The fields of certificates and certificate requests, read with the small DER reader (no x509 library).
import {createHash} from 'node:crypto'

import {AuthctlError} from '../output/errors.js'
import {
  algorithmOid,
  children,
  decodeBitString,
  decodeOid,
  decodeSmallInt,
  decodeString,
  decodeTime,
  DerError,
  encoded,
  expect,
  integerBytes,
  isNegative,
  readWhole,
  sequence,
  TAG,
  type Tlv,
} from './der.js'
import {type Extensions, hexColon, parseExtensions} from './extensions.js'
import {spkiAlgorithm} from './spki.js'
import {type Signed, signatureAlgorithm} from './signature.js'

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

export interface CertFields {
  der: Buffer
  /** X.509 version (1–3). */
  version: number
  /** The TBSCertificate, its signature algorithm and signature, to check the signature. */
  signed: Signed
  /** Encoded subject and issuer Names and SubjectPublicKeyInfo, for path building and issuing. */
  subjectDer: Buffer
  issuerDer: Buffer
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
  /** The CertificationRequestInfo, its signature algorithm and signature, to check the signature. */
  signed: Signed
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

function describeSpki(spki: Tlv): {keyAlgorithm: string; spkiSha256: string} {
  return {keyAlgorithm: spkiAlgorithm(spki), spkiSha256: `sha256:${createHash('sha256').update(encoded(spki)).digest('hex')}`}
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

interface Envelope {
  /** The signed body (TBSCertificate or CertificationRequestInfo). */
  body: Tlv
  algorithmTlv: Tlv
  signed: Signed
  /** `pki inspect`'s name of the signature algorithm: OpenSSL's, else the OID. */
  algorithmName: string
}

/** SEQUENCE { body, AlgorithmIdentifier, BIT STRING } — the envelope of certificates and requests. */
function parseSigned(der: Buffer, what: string): Envelope {
  const [body, algorithmTlv, signature] = sequence(readWhole(der), what, 3, 3)
  expect(body, TAG.SEQUENCE, `${what} body`)
  const bits = decodeBitString(signature, 'signature')
  if (bits.unusedBits !== 0) throw new DerError('malformed signature')
  const oid = algorithmOid(algorithmTlv, 'signature algorithm')
  const algorithm = signatureAlgorithm(algorithmTlv)
  return {algorithmName: algorithm.display ?? oid, algorithmTlv, body, signed: {algorithm, signature: bits.bytes, signed: encoded(body)}}
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
    const envelope = parseSigned(der, what)
    const fields = children(envelope.body)
    const version = parseVersion(fields)
    const [serial, innerAlgorithm, issuer, validity, subject, spki, ...rest] = fields
    const serialHex = parseSerial(serial)
    if (!innerAlgorithm || !encoded(innerAlgorithm).equals(encoded(envelope.algorithmTlv))) {
      throw new DerError("x509: inner and outer signature algorithm identifiers don't match")
    }
    const [notBefore, notAfter] = sequence(validity, 'validity', 2, 2)
    const extensions = trailingFields(rest, version)
    return {
      der,
      extensions: parseExtensions(extensions, 'certificate'),
      fingerprintSha256: hexColon(createHash('sha256').update(der).digest()),
      issuer: parseName(expect(issuer, TAG.SEQUENCE, 'issuer')),
      issuerDer: encoded(issuer),
      notAfter: decodeTime(notAfter),
      notBefore: decodeTime(notBefore),
      serial: serialHex,
      signatureAlgorithm: envelope.algorithmName,
      signed: envelope.signed,
      spkiDer: encoded(parseSpki(spki)),
      subject: parseName(expect(subject, TAG.SEQUENCE, 'subject')),
      subjectDer: encoded(subject),
      version,
      ...describeSpki(spki),
    }
  })
}

const EXTENSION_REQUEST = '1.2.840.113549.1.9.14'

export function parseCsr(der: Buffer, what = 'certificate request'): CsrFields {
  return wrap(what, () => {
    const envelope = parseSigned(der, what)
    const [version, subject, spki, attributes] = sequence(envelope.body, 'certificate request info', 4, 4)
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
      signatureAlgorithm: envelope.algorithmName,
      signed: envelope.signed,
      spkiDer: encoded(parseSpki(spki)),
      subject: parseName(expect(subject, TAG.SEQUENCE, 'subject')),
      subjectDer: encoded(subject),
      ...describeSpki(spki),
    }
  })
}
