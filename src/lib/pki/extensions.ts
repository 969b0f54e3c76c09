// Certificate and request extensions as Go's processExtensions reads them: the values authctl uses (key usages,
// EKUs, SANs, basic and name constraints, key identifiers) read strictly, each extension at most once, and whether a
// critical one is left unhandled.
import {
  children,
  content,
  decodeBitString,
  decodeBoolean,
  decodeOid,
  decodeSmallInt,
  DerError,
  encoded,
  expect,
  ia5,
  readWhole,
  sequence,
  TAG,
  type Tlv,
} from './der.js'
import {formatIp} from './ip.js'

export interface SubjectAltNames {
  dns: string[]
  ip: string[]
  email: string[]
  uri: string[]
}

/** A SubjectAltName GeneralName as encoded: its tag and raw value. */
export interface GeneralName {
  tag: number
  value: Buffer
}

/** The GeneralName tags authctl reads. */
export const GENERAL_NAME = {dns: 0x82, email: 0x81, ip: 0x87, uri: 0x86} as const

export interface ConstraintSet {
  dns: string[]
  email: string[]
  uri: string[]
  ip: Array<{ip: Buffer; mask: Buffer}>
}

export interface NameConstraints {
  permitted: ConstraintSet
  excluded: ConstraintSet
}

export interface Extensions {
  keyUsage?: string[]
  extKeyUsage?: string[]
  /** EKU OIDs as found, for exact comparisons. */
  extKeyUsageOids?: string[]
  basicConstraints?: {ca: boolean; pathLength?: number}
  sans: SubjectAltNames
  /** The SubjectAltName extension value and its names in order, when present. */
  sanDer?: Buffer
  sanEntries: GeneralName[]
  nameConstraints?: NameConstraints
  subjectKeyId?: string
  authorityKeyId?: string
  critical: string[]
  /** A critical extension Go does not handle is present (Go's UnhandledCriticalExtensions is not empty). */
  unhandledCritical: boolean
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

/** Colon-separated upper-case hex, as OpenSSL prints key identifiers and fingerprints. */
export function hexColon(bytes: Buffer): string {
  return bytes.toString('hex').toUpperCase().replace(/(..)(?!$)/g, '$1:')
}

/** The extensions authctl reads; the values of others are not looked at. */
const EXTENSION_NAMES: Record<string, string> = {
  '2.5.29.14': 'subjectKeyIdentifier',
  '2.5.29.15': 'keyUsage',
  '2.5.29.17': 'subjectAltName',
  '2.5.29.19': 'basicConstraints',
  '2.5.29.30': 'nameConstraints',
  '2.5.29.35': 'authorityKeyIdentifier',
  '2.5.29.37': 'extKeyUsage',
}

/** Extensions Go's processExtensions handles without reading them here (CRL points, policies, AIA). */
const OTHER_HANDLED = new Set(['2.5.29.31', '2.5.29.32', '1.3.6.1.5.5.7.1.1'])

/** The SAN GeneralNames authctl reads (dNSName, rfc822Name, URI, iPAddress); other forms are kept raw only. */
function parseSans(value: Tlv, ext: Extensions): void {
  const {sans} = ext
  ext.sanDer = encoded(value)
  for (const name of sequence(value, 'subject alternative name')) {
    const bytes = content(name)
    ext.sanEntries.push({tag: name.tag, value: bytes})
    if (name.tag === GENERAL_NAME.dns) sans.dns.push(ia5(bytes))
    else if (name.tag === GENERAL_NAME.email) sans.email.push(ia5(bytes))
    else if (name.tag === GENERAL_NAME.uri) sans.uri.push(ia5(bytes))
    else if (name.tag === GENERAL_NAME.ip) {
      if (bytes.length !== 4 && bytes.length !== 16) throw new DerError(`cannot parse IP address of length ${bytes.length}`)
      sans.ip.push(formatIp(bytes))
    }
  }
}

/** GeneralSubtrees of DNS, email, URI and IP bases; other forms make Go treat the extension as unhandled. */
function constraintSet(subtrees: Tlv | undefined): {set: ConstraintSet; unhandled: boolean} {
  const set: ConstraintSet = {dns: [], email: [], ip: [], uri: []}
  let unhandled = false
  for (const subtree of subtrees ? children(subtrees) : []) {
    const base = children(subtree)[0]
    const value = content(base)
    switch (base.tag) {
      case GENERAL_NAME.dns:
        set.dns.push(value.toString('latin1'))
        break
      case GENERAL_NAME.email:
        set.email.push(value.toString('latin1'))
        break
      case GENERAL_NAME.uri:
        set.uri.push(value.toString('latin1'))
        break
      case GENERAL_NAME.ip:
        if (value.length !== 8 && value.length !== 32) throw new DerError(`x509: IP constraint contained value of length ${value.length}`)
        set.ip.push({ip: value.subarray(0, value.length / 2), mask: value.subarray(value.length / 2)})
        break
      default:
        unhandled = true
    }
  }
  return {set, unhandled}
}

/** Go's parseNameConstraintsExtension; true when Go leaves the extension unhandled. */
function parseNameConstraints(value: Tlv, ext: Extensions): boolean {
  const parts = children(value)
  const permitted = constraintSet(parts.find((p) => p.tag === 0xa0))
  const excluded = constraintSet(parts.find((p) => p.tag === 0xa1))
  ext.nameConstraints = {excluded: excluded.set, permitted: permitted.set}
  return permitted.unhandled || excluded.unhandled
}

function parseBasicConstraints(value: Tlv): NonNullable<Extensions['basicConstraints']> {
  const fields = sequence(value, 'basic constraints', 0, 2)
  const ca = fields[0]?.tag === TAG.BOOLEAN ? decodeBoolean(fields.shift()!) : false
  if (fields.length === 0) return {ca}
  if (fields.length > 1) throw new DerError('malformed basic constraints')
  return {ca, pathLength: decodeSmallInt(fields[0], 'basic constraints path length')}
}

/** Reads one extension into `ext`; true when Go's processExtensions leaves it unhandled. */
function parseExtension(id: string, value: Tlv, ext: Extensions): boolean {
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
      parseSans(value, ext)
      // Go handles a SAN only when it holds a name of a form it reads.
      return !ext.sanEntries.some((e) => Object.values(GENERAL_NAME).includes(e.tag as never))
    case '2.5.29.30':
      return parseNameConstraints(value, ext)
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
    default:
      return !OTHER_HANDLED.has(id)
  }
  return false
}

/**
 * Extensions, each at most once (Go rejects duplicates, in these words); the values of the ones authctl uses are
 * read strictly. `owner` names the structure in the duplicate error.
 */
export function parseExtensions(list: Tlv | undefined, owner: string): Extensions {
  const ext: Extensions = {critical: [], sanEntries: [], sans: {dns: [], email: [], ip: [], uri: []}, unhandledCritical: false}
  if (!list) return ext
  const seen = new Set<string>()
  for (const item of sequence(list, 'extensions')) {
    const parts = sequence(item, 'extension', 2, 3)
    const id = decodeOid(parts[0])
    if (seen.has(id)) throw new DerError(`x509: ${owner} contains duplicate extensions`)
    seen.add(id)
    const critical = parts.length === 3 && decodeBoolean(parts[1])
    const value = content(expect(parts.at(-1), TAG.OCTET_STRING, 'extension value'))
    const unhandled = id in EXTENSION_NAMES ? parseExtension(id, readWhole(value), ext) : !OTHER_HANDLED.has(id)
    if (critical) {
      ext.critical.push(EXTENSION_NAMES[id] ?? id)
      if (unhandled) ext.unhandledCritical = true
    }
  }
  return ext
}
