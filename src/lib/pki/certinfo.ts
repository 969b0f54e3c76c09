// The fields of certificates and certificate requests, read with the small DER reader (no x509 library).
import {createHash, createPublicKey} from 'node:crypto'

import {AuthctlError} from '../output/errors.js'
import {children, content, decodeBoolean, decodeOid, decodeSmallInt, decodeString, decodeTime, DerError, encoded, readWhole, type Tlv} from './der.js'
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
  if (bytes.length === 16) {
    const groups: string[] = []
    for (let i = 0; i < 16; i += 2) groups.push(bytes.readUInt16BE(i).toString(16))
    // Compress the longest run of zero groups, as RFC 5952 asks.
    const text = groups.join(':')
    const runs = text.match(/(^|:)0(:0)+(:|$)/g)
    if (!runs) return text
    const longest = runs.reduce((a, b) => (b.length > a.length ? b : a))
    return text.replace(longest, '::')
  }
  return bytes.toString('hex')
}

function hexColon(bytes: Buffer): string {
  return bytes.toString('hex').toUpperCase().replace(/(..)(?!$)/g, '$1:')
}

function parseExtensions(list: Tlv | undefined): Extensions {
  const ext: Extensions = {critical: [], sans: {dns: [], email: [], ip: [], uri: []}}
  if (!list) return ext
  for (const item of children(list)) {
    const parts = children(item)
    const id = decodeOid(parts[0])
    const critical = parts.length === 3 && decodeBoolean(parts[1])
    const value = readWhole(content(parts.at(-1)!))
    switch (id) {
      case '2.5.29.15': {
        ext.critical.push(...(critical ? ['keyUsage'] : []))
        const bits = content(value)
        const names: string[] = []
        for (let i = 0; i < (bits.length - 1) * 8; i++) {
          if (bits[1 + (i >> 3)] & (0x80 >> (i & 7)) && KEY_USAGE_BITS[i]) names.push(KEY_USAGE_BITS[i])
        }
        ext.keyUsage = names
        break
      }
      case '2.5.29.37': {
        ext.critical.push(...(critical ? ['extKeyUsage'] : []))
        ext.extKeyUsageOids = children(value).map(decodeOid)
        ext.extKeyUsage = ext.extKeyUsageOids.map((o) => EKU_NAMES[o] ?? o)
        break
      }
      case '2.5.29.17': {
        ext.critical.push(...(critical ? ['subjectAltName'] : []))
        for (const name of children(value)) {
          const bytes = content(name)
          if (name.tag === 0x82) ext.sans.dns.push(bytes.toString('ascii'))
          else if (name.tag === 0x87) ext.sans.ip.push(formatIp(bytes))
          else if (name.tag === 0x81) ext.sans.email.push(bytes.toString('ascii'))
          else if (name.tag === 0x86) ext.sans.uri.push(bytes.toString('ascii'))
        }
        break
      }
      case '2.5.29.19': {
        ext.critical.push(...(critical ? ['basicConstraints'] : []))
        const fields = children(value)
        const ca = fields[0]?.tag === 0x01 && decodeBoolean(fields[0])
        const pathTlv = fields.find((f) => f.tag === 0x02)
        ext.basicConstraints = {ca, ...(pathTlv ? {pathLength: decodeSmallInt(pathTlv)} : {})}
        break
      }
      case '2.5.29.14':
        ext.subjectKeyId = hexColon(content(value))
        break
      case '2.5.29.35': {
        const keyId = children(value).find((f) => f.tag === 0x80)
        if (keyId) ext.authorityKeyId = hexColon(content(keyId))
        break
      }
      default:
        if (critical) ext.critical.push(id)
    }
  }
  return ext
}

function describeSpki(spki: Tlv): {keyAlgorithm: string; spkiSha256: string} {
  const der = encoded(spki)
  let name: string
  try {
    name = keyAlgorithm(createPublicKey({format: 'der', key: der, type: 'spki'}))
  } catch {
    name = decodeOid(children(children(spki)[0])[0])
  }
  return {keyAlgorithm: name, spkiSha256: `sha256:${createHash('sha256').update(der).digest('hex')}`}
}

function wrap<T>(what: string, fn: () => T): T {
  try {
    return fn()
  } catch (error) {
    if (error instanceof DerError || error instanceof TypeError || error instanceof RangeError) {
      throw new AuthctlError(`invalid ${what}: malformed structure (${error.message})`, {code: 'BAD_DER'})
    }
    throw error
  }
}

export function parseCertificate(der: Buffer, what = 'certificate'): CertFields {
  return wrap(what, () => {
    const [tbs, sigAlg] = children(readWhole(der))
    const fields = children(tbs)
    const offset = fields[0].tag === 0xa0 ? 1 : 0
    const [serial, , issuer, validity, subject, spki] = fields.slice(offset)
    const [notBefore, notAfter] = children(validity)
    const extensions = fields.find((f) => f.tag === 0xa3)
    return {
      der,
      extensions: parseExtensions(extensions ? children(extensions)[0] : undefined),
      fingerprintSha256: hexColon(createHash('sha256').update(der).digest()),
      issuer: parseName(issuer),
      notAfter: decodeTime(notAfter),
      notBefore: decodeTime(notBefore),
      serial: content(serial).toString('hex').replace(/^00(?=[89a-f])/, '').toUpperCase(),
      signatureAlgorithm: signatureName(sigAlg),
      spkiDer: encoded(spki),
      subject: parseName(subject),
      subjectDer: encoded(subject),
      ...describeSpki(spki),
    }
  })
}

function signatureName(alg: Tlv): string {
  const oid = decodeOid(children(alg)[0])
  return SIGNATURE_ALGORITHMS[oid] ?? oid
}

export function parseCsr(der: Buffer, what = 'certificate request'): CsrFields {
  return wrap(what, () => {
    const [info, sigAlg, signature] = children(readWhole(der))
    const [, subject, spki, attributes] = children(info)
    let extensions: Tlv | undefined
    for (const attr of attributes ? children(attributes) : []) {
      const [oid, values] = children(attr)
      if (decodeOid(oid) === '1.2.840.113549.1.9.14') extensions = children(values)[0]
    }
    return {
      der,
      extensions: parseExtensions(extensions),
      infoDer: encoded(info),
      signature: content(signature).subarray(1),
      signatureAlgorithm: signatureName(sigAlg),
      signatureOid: decodeOid(children(sigAlg)[0]),
      spkiDer: encoded(spki),
      subject: parseName(subject),
      subjectDer: encoded(subject),
      ...describeSpki(spki),
    }
  })
}
