// The one certificate chain verifier: path building and validation as Go's crypto/x509 (*Certificate).Verify does
// it — the library kube-apiserver, talosctl and apid are built on — with Go's error texts, so `serve` accepts exactly
// what kube-apiserver accepts and `pki verify`, `doctor` and the Talos checks tell the truth about it.
// Certificates are read with the project's DER reader plus node:crypto for public keys and signatures.
import {createPublicKey, type KeyObject, verify as verifySignature, constants} from 'node:crypto'

import {AuthctlError} from '../output/errors.js'
import {certificateBlocks} from './bundle.js'
import {parseCertificate, type CertFields, EKU_OID} from './certinfo.js'
import {children, content, decodeBoolean, decodeOid, DerError, encoded, readWhole, type Tlv} from './der.js'
import {parsePem} from './pem.js'

/** A certificate read once for verification: its described fields plus what path validation needs. */
export interface Cert {
  fields: CertFields
  tbs: Buffer
  signature: Buffer
  signatureAlgorithm: SignatureAlgorithm
  /** X.509 version (1–3). */
  version: number
  rawIssuer: Buffer
  /**
   * Undefined when node cannot use the key (Go then skips the certificate as a parent). Made on first use: reading
   * an EC key costs as much as the rest of the certificate, and a leaf's own key is never needed to verify it.
   */
  readonly publicKey?: KeyObject
  /** Go's UnhandledCriticalExtensions is not empty. */
  unhandledCritical: boolean
  /** The raw SubjectAltName extension value, when present. */
  san?: Buffer
  sanEntries: Array<{tag: number; value: Buffer}>
  nameConstraints?: NameConstraints
}

interface NameConstraints {
  permitted: ConstraintSet
  excluded: ConstraintSet
}

interface ConstraintSet {
  dns: string[]
  email: string[]
  uri: string[]
  ip: Array<{ip: Buffer; mask: Buffer}>
}

interface SignatureAlgorithm {
  /** Go's name (SignatureAlgorithm.String()). */
  name: string
  /** node's digest name; null for Ed25519; undefined when Go cannot verify it. */
  hash?: string | null
  key?: 'rsa' | 'ec' | 'ed25519' | 'dsa'
  pss?: boolean
  insecure?: boolean
}

export type Usage = 'client' | 'server'

const OID = {
  aia: '1.3.6.1.5.5.7.1.1',
  anyEku: '2.5.29.37.0',
  mgf1: '1.2.840.113549.1.1.8',
  pss: '1.2.840.113549.1.1.10',
}

const HASHES: Record<string, string> = {'2.16.840.1.101.3.4.2.1': 'sha256', '2.16.840.1.101.3.4.2.2': 'sha384', '2.16.840.1.101.3.4.2.3': 'sha512'}
const HASH_BYTES: Record<string, number> = {sha256: 32, sha384: 48, sha512: 64}

const SIGNATURE_ALGORITHMS: Record<string, SignatureAlgorithm> = {
  '1.2.840.10040.4.3': {hash: 'sha1', insecure: true, key: 'dsa', name: 'DSA-SHA1'},
  '1.2.840.10045.4.1': {hash: 'sha1', insecure: true, key: 'ec', name: 'ECDSA-SHA1'},
  '1.2.840.10045.4.3.2': {hash: 'sha256', key: 'ec', name: 'ECDSA-SHA256'},
  '1.2.840.10045.4.3.3': {hash: 'sha384', key: 'ec', name: 'ECDSA-SHA384'},
  '1.2.840.10045.4.3.4': {hash: 'sha512', key: 'ec', name: 'ECDSA-SHA512'},
  '1.2.840.113549.1.1.11': {hash: 'sha256', key: 'rsa', name: 'SHA256-RSA'},
  '1.2.840.113549.1.1.12': {hash: 'sha384', key: 'rsa', name: 'SHA384-RSA'},
  '1.2.840.113549.1.1.13': {hash: 'sha512', key: 'rsa', name: 'SHA512-RSA'},
  '1.2.840.113549.1.1.2': {key: 'rsa', name: 'MD2-RSA'},
  '1.2.840.113549.1.1.4': {hash: 'md5', insecure: true, key: 'rsa', name: 'MD5-RSA'},
  '1.2.840.113549.1.1.5': {hash: 'sha1', insecure: true, key: 'rsa', name: 'SHA1-RSA'},
  '1.3.101.112': {hash: null, key: 'ed25519', name: 'Ed25519'},
  '1.3.14.3.2.29': {hash: 'sha1', insecure: true, key: 'rsa', name: 'SHA1-RSA'},
  '2.16.840.1.101.3.4.3.2': {hash: 'sha256', key: 'dsa', name: 'DSA-SHA256'},
}

const UNKNOWN_ALGORITHM: SignatureAlgorithm = {name: '0'}

/** RSASSA-PSS as Go accepts it: SHA-256/384/512, MGF1 with the same hash, salt length equal to the hash length. */
function pssAlgorithm(params: Tlv | undefined): SignatureAlgorithm {
  if (!params) return UNKNOWN_ALGORITHM
  let hash: string | undefined
  let mgfHash: string | undefined
  let salt = 20
  for (const field of children(params)) {
    const [inner] = children(field)
    if (field.tag === 0xa0) hash = HASHES[decodeOid(children(inner)[0])]
    else if (field.tag === 0xa1) {
      const [mgf, mgfParams] = children(inner)
      if (decodeOid(mgf) === OID.mgf1 && mgfParams) mgfHash = HASHES[decodeOid(children(mgfParams)[0])]
    } else if (field.tag === 0xa2) salt = content(inner).reduce((n, b) => n * 256 + b, 0)
    else if (field.tag === 0xa3 && content(inner).reduce((n, b) => n * 256 + b, 0) !== 1) return UNKNOWN_ALGORITHM
  }
  if (!hash || hash !== mgfHash || salt !== HASH_BYTES[hash]) return UNKNOWN_ALGORITHM
  return {hash, key: 'rsa', name: `${hash.toUpperCase()}-RSAPSS`, pss: true}
}

function signatureAlgorithm(alg: Tlv): SignatureAlgorithm {
  const [oid, params] = children(alg)
  const id = decodeOid(oid)
  if (id === OID.pss) return pssAlgorithm(params)
  return SIGNATURE_ALGORITHMS[id] ?? UNKNOWN_ALGORITHM
}

const GENERAL_NAME = {dns: 0x82, email: 0x81, ip: 0x87, uri: 0x86} as const

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
        // directoryName and other forms: Go records the extension as unhandled (rejected when critical).
        unhandled = true
    }
  }
  return {set, unhandled}
}

function parseNameConstraints(value: Tlv): {constraints: NameConstraints; unhandled: boolean} {
  const parts = children(value)
  const permitted = constraintSet(parts.find((p) => p.tag === 0xa0))
  const excluded = constraintSet(parts.find((p) => p.tag === 0xa1))
  return {constraints: {excluded: excluded.set, permitted: permitted.set}, unhandled: permitted.unhandled || excluded.unhandled}
}

/** Go's processExtensions, for what verification needs: which critical extensions it does not handle, SANs, constraints. */
function readExtensions(list: Tlv | undefined): Pick<Cert, 'unhandledCritical' | 'san' | 'sanEntries' | 'nameConstraints'> {
  const out: Pick<Cert, 'unhandledCritical' | 'san' | 'sanEntries' | 'nameConstraints'> = {sanEntries: [], unhandledCritical: false}
  const seen = new Set<string>()
  for (const item of list ? children(list) : []) {
    const parts = children(item)
    const id = decodeOid(parts[0])
    // One extension of each type, or two readers could pick different ones.
    if (seen.has(id)) throw new DerError('x509: certificate contains duplicate extensions')
    seen.add(id)
    const critical = parts.length === 3 && decodeBoolean(parts[1])
    const octets = parts.at(-1)!
    let unhandled = false
    switch (id) {
      case '2.5.29.17': {
        out.san = content(octets)
        out.sanEntries = children(readWhole(out.san)).map((name) => ({tag: name.tag, value: content(name)}))
        unhandled = !out.sanEntries.some((e) => Object.values(GENERAL_NAME).includes(e.tag as never))
        break
      }
      case '2.5.29.30': {
        const parsed = parseNameConstraints(readWhole(content(octets)))
        out.nameConstraints = parsed.constraints
        unhandled = parsed.unhandled
        break
      }
      case '2.5.29.14':
      case '2.5.29.15':
      case '2.5.29.19':
      case '2.5.29.31':
      case '2.5.29.32':
      case '2.5.29.35':
      case '2.5.29.37':
      case OID.aia:
        break
      default:
        unhandled = true
    }
    if (critical && unhandled) out.unhandledCritical = true
  }
  return out
}

/** The public key, when it is of a type Go's parser knows (others leave Go's PublicKey nil). */
function keyOf(spki: Buffer): KeyObject | undefined {
  try {
    const key = createPublicKey({format: 'der', key: spki, type: 'spki'})
    return key.asymmetricKeyType && key.asymmetricKeyType in GO_KEY_TYPES ? key : undefined
  } catch {
    return undefined
  }
}

/** Reads one DER certificate for verification; malformed input is an AuthctlError naming `what`. */
export function loadCertificate(der: Buffer, what = 'certificate'): Cert {
  const fields = parseCertificate(der, what)
  try {
    const [tbs, sigAlg, signature] = children(readWhole(der))
    const tbsFields = children(tbs)
    const explicitVersion = tbsFields[0].tag === 0xa0
    const version = explicitVersion ? content(children(tbsFields[0])[0]).reduce((n, b) => n * 256 + b, 0) + 1 : 1
    const [serial, innerAlg, issuer] = tbsFields.slice(explicitVersion ? 1 : 0)
    // Go's parser: an INTEGER serial, not negative (Go ≥ 1.23, x509negativeserial), and one signature algorithm.
    const refuse = (reason: string) => new AuthctlError(`invalid ${what}: ${reason}`, {code: 'BAD_DER'})
    if (serial.tag !== 0x02 || serial.end === serial.start) throw refuse('x509: malformed serial number')
    if (content(serial)[0] & 0x80) throw refuse('x509: negative serial number')
    if (!encoded(innerAlg).equals(encoded(sigAlg))) throw refuse("x509: inner and outer signature algorithm identifiers don't match")
    const extensions = tbsFields.find((f) => f.tag === 0xa3)
    let publicKey: KeyObject | undefined | null = null
    return {
      fields,
      get publicKey() {
        if (publicKey === null) publicKey = keyOf(fields.spkiDer)
        return publicKey
      },
      rawIssuer: encoded(issuer),
      signature: content(signature).subarray(1),
      signatureAlgorithm: signatureAlgorithm(sigAlg),
      tbs: encoded(tbs),
      version,
      ...readExtensions(extensions ? children(extensions)[0] : undefined),
    }
  } catch (error) {
    if (error instanceof DerError || error instanceof TypeError || error instanceof RangeError) {
      throw new AuthctlError(`invalid ${what}: malformed structure (${error.message})`, {code: 'BAD_DER'})
    }
    throw error
  }
}

/** Every certificate of a CA bundle that can be read (for diagnosis, where a bad block should not hide the others). */
export function readableCertificates(pem: Buffer | string): Cert[] {
  return certificateBlocks(pem).flatMap((block) => {
    try {
      return readCertificates(block, 'CA certificate')
    } catch {
      return []
    }
  })
}

/** Every CERTIFICATE block of a PEM text, each read once. */
export function readCertificates(data: Buffer | string, what: string): Cert[] {
  const blocks = parsePem(data, what).filter((b) => b.label === 'CERTIFICATE')
  if (blocks.length === 0) throw new AuthctlError(`invalid ${what}: no CERTIFICATE block found`, {code: 'BAD_PEM'})
  return blocks.map((b) => loadCertificate(b.der, what))
}

// ---- Go's error texts -------------------------------------------------------------------------------------------

/** Go's %q for a string: quotes, backslash escapes for quotes, backslashes and control characters. */
function goQuote(text: string): string {
  const escaped = text.replace(/[\\"\u0000-\u001f\u007f]/g, (c) => {
    const named: Record<string, string> = {'\n': '\\n', '\r': '\\r', '\t': '\\t', '"': '\\"', '\\': '\\\\', '\u0007': '\\a', '\b': '\\b', '\f': '\\f', '\v': '\\v'}
    return named[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`
  })
  return `"${escaped}"`
}

const rfc3339 = (d: Date) => d.toISOString().replace(/\.\d+Z$/, 'Z')
const notAuthorizedToSign = 'x509: certificate is not authorized to sign other certificates'
const tooManyIntermediates = 'x509: too many intermediates for path length constraint'
const incompatibleUsage = 'x509: certificate specifies an incompatible key usage'
const unhandledCritical = 'x509: unhandled critical extension'
// Go's CertificateInvalidError has no text for TooManyConstraints and prints this.
const tooManyConstraints = 'x509: unknown error'
const notAuthorizedForName = (detail: string) => `x509: a root or intermediate certificate is not authorized to sign for this name: ${detail}`

/** Go's UnknownAuthorityError hint names a certificate by CN, else the first O, else its serial. */
function hintName(cert: Cert): string {
  const subject = cert.fields.subject
  if (subject.commonName) return subject.commonName
  if (subject.organizations.length > 0) return subject.organizations[0]
  return `serial:${BigInt(`0x${cert.fields.serial || '0'}`).toString()}`
}

class Rejection extends Error {}

// ---- Signatures -------------------------------------------------------------------------------------------------

const GO_KEY_TYPES: Record<string, string> = {dsa: '*dsa.PublicKey', ec: '*ecdsa.PublicKey', ed25519: 'ed25519.PublicKey', rsa: '*rsa.PublicKey'}
const GO_KEY_ALGORITHMS: Record<string, string> = {dsa: 'DSA', ec: 'ECDSA', ed25519: 'Ed25519', rsa: 'RSA'}

/** Go's CheckSignatureFrom: the parent may sign certificates, the algorithm is allowed, the signature verifies. */
function signatureProblem(child: Cert, parent: Cert): string | undefined {
  const bc = parent.fields.extensions.basicConstraints
  const keyUsage = parent.fields.extensions.keyUsage
  if ((parent.version === 3 && !bc) || (bc && !bc.ca) || (keyUsage?.length && !keyUsage.includes('keyCertSign'))) {
    return 'x509: invalid signature: parent certificate cannot sign this kind of certificate'
  }
  const alg = child.signatureAlgorithm
  const unimplemented = 'x509: cannot verify signature: algorithm unimplemented'
  if (alg.hash === undefined) return unimplemented
  if (alg.insecure) {
    const override = alg.name === 'SHA1-RSA' || alg.name === 'ECDSA-SHA1' ? ' (temporarily override with GODEBUG=x509sha1=1)' : ''
    return `x509: cannot verify signature: insecure algorithm ${alg.name}${override}`
  }
  const key = parent.publicKey!
  const type = key.asymmetricKeyType!
  if (type === 'dsa') return unimplemented
  if (type !== alg.key) return `x509: signature algorithm specifies an ${GO_KEY_ALGORITHMS[alg.key!]} public key, but have public key of type ${GO_KEY_TYPES[type]}`
  let ok: boolean
  try {
    ok = alg.pss
      ? verifySignature(alg.hash, child.tbs, {key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: HASH_BYTES[alg.hash!]}, child.signature)
      : verifySignature(alg.hash, child.tbs, key, child.signature)
  } catch {
    ok = false
  }
  if (ok) return undefined
  if (type === 'ec') return 'x509: ECDSA verification failure'
  if (type === 'ed25519') return 'x509: Ed25519 verification failure'
  return 'crypto/rsa: verification error'
}

// ---- Name constraints (RFC 5280 with Go's extensions and limits) --------------------------------------------------

/** Go's domainToReverseLabels: undefined when the name cannot be parsed. */
function reverseLabels(domain: string): string[] | undefined {
  if (domain === '') return []
  const labels = domain.split('.').reverse()
  if (labels.some((l) => l === '' || [...l].some((c) => c.charCodeAt(0) < 33 || c.charCodeAt(0) > 126))) return undefined
  return labels
}

const foldEqual = (a: string, b: string) => a.toLowerCase() === b.toLowerCase()

function matchDomain(domain: string, constraint: string): boolean {
  if (constraint === '') return true
  const domainLabels = reverseLabels(domain)
  if (!domainLabels) throw new Error(`x509: internal error: cannot parse domain ${goQuote(domain)}`)
  const mustHaveSubdomains = constraint.startsWith('.')
  const constraintLabels = reverseLabels(mustHaveSubdomains ? constraint.slice(1) : constraint)
  if (!constraintLabels) throw new Error(`x509: internal error: cannot parse domain ${goQuote(constraint)}`)
  if (domainLabels.length < constraintLabels.length || (mustHaveSubdomains && domainLabels.length === constraintLabels.length)) return false
  return constraintLabels.every((label, i) => foldEqual(label, domainLabels[i]))
}

interface Mailbox {
  local: string
  domain: string
}

/** A simplified RFC 2821 mailbox split: local part (possibly quoted) and domain. */
function parseMailbox(text: string): Mailbox | undefined {
  const at = text.lastIndexOf('@')
  if (at <= 0 || at === text.length - 1) return undefined
  let local = text.slice(0, at)
  if (local.startsWith('"')) {
    if (!local.endsWith('"') || local.length < 2) return undefined
    local = local.slice(1, -1).replace(/\\(.)/g, '$1')
  }
  const domain = text.slice(at + 1)
  if (!reverseLabels(domain)) return undefined
  return {domain, local}
}

function matchEmail(mailbox: Mailbox, constraint: string): boolean {
  if (constraint.includes('@')) {
    const wanted = parseMailbox(constraint)
    if (!wanted) throw new Error(`x509: internal error: cannot parse constraint ${goQuote(constraint)}`)
    return mailbox.local === wanted.local && foldEqual(mailbox.domain, wanted.domain)
  }
  return matchDomain(mailbox.domain, constraint)
}

function matchUri(uri: string, constraint: string): boolean {
  let host: string
  try {
    host = new URL(uri).host
  } catch {
    host = ''
  }
  if (host === '') throw new Error(`URI with empty host (${goQuote(uri)}) cannot be matched against constraints`)
  if (host.includes(':') && !host.endsWith(']')) host = host.slice(0, host.lastIndexOf(':'))
  if ((host.startsWith('[') && host.endsWith(']')) || /^\d+\.\d+\.\d+\.\d+$/.test(host)) {
    throw new Error(`URI with IP (${goQuote(uri)}) cannot be matched against constraints`)
  }
  return matchDomain(host, constraint)
}

function matchIp(ip: Buffer, constraint: {ip: Buffer; mask: Buffer}): boolean {
  if (ip.length !== constraint.ip.length) return false
  return [...ip].every((b, i) => (b & constraint.mask[i]) === (constraint.ip[i] & constraint.mask[i]))
}

function formatIp(bytes: Buffer): string {
  if (bytes.length === 4) return [...bytes].join('.')
  const groups: string[] = []
  for (let i = 0; i < 16; i += 2) groups.push(bytes.readUInt16BE(i).toString(16))
  const text = groups.join(':')
  const runs = text.match(/(^|:)0(:0)+(:|$)/g)
  if (!runs) return text
  return text.replace(runs.reduce((a, b) => (b.length > a.length ? b : a)), '::')
}

const MAX_CONSTRAINT_COMPARISONS = 250_000

/** net.IPNet's String(): address/prefix length, or address/hex mask when the mask is not a prefix. */
function formatIpNet({ip, mask}: {ip: Buffer; mask: Buffer}): string {
  const bits = [...mask].map((b) => b.toString(2).padStart(8, '0')).join('')
  return /^1*0*$/.test(bits) ? `${formatIp(ip)}/${bits.indexOf('0') === -1 ? bits.length : bits.indexOf('0')}` : `${formatIp(ip)}/${mask.toString('hex')}`
}

function checkConstraints<T>(counter: {n: number}, kind: string, name: string, parsed: T, match: (name: T, constraint: any) => boolean, permitted: unknown[], excluded: unknown[]): void {
  const show = (c: unknown) => goQuote(typeof c === 'string' ? c : formatIpNet(c as {ip: Buffer; mask: Buffer}))
  counter.n += excluded.length
  if (counter.n > MAX_CONSTRAINT_COMPARISONS) throw new Rejection(tooManyConstraints)
  for (const constraint of excluded) {
    if (guard(() => match(parsed, constraint))) throw new Rejection(notAuthorizedForName(`${kind} ${goQuote(name)} is excluded by constraint ${show(constraint)}`))
  }
  counter.n += permitted.length
  if (counter.n > MAX_CONSTRAINT_COMPARISONS) throw new Rejection(tooManyConstraints)
  if (permitted.length > 0 && !permitted.some((constraint) => guard(() => match(parsed, constraint)))) {
    throw new Rejection(notAuthorizedForName(`${kind} ${goQuote(name)} is not permitted by any constraint`))
  }
}

/** A matching error inside a constraint check is Go's CANotAuthorizedForThisName with the error as detail. */
function guard(fn: () => boolean): boolean {
  try {
    return fn()
  } catch (error) {
    throw new Rejection(notAuthorizedForName((error as Error).message))
  }
}

function checkNameConstraints(ca: Cert, chain: Cert[]): void {
  const nc = ca.nameConstraints!
  const counter = {n: 0}
  for (const cert of chain.filter((c) => c.san)) {
    for (const {tag, value} of cert.sanEntries) {
      const name = value.toString('latin1')
      switch (tag) {
        case GENERAL_NAME.email: {
          const mailbox = parseMailbox(name)
          if (!mailbox) throw new Rejection(`x509: cannot parse rfc822Name ${goQuote(name)}`)
          checkConstraints(counter, 'email address', name, mailbox, matchEmail, nc.permitted.email, nc.excluded.email)
          break
        }
        case GENERAL_NAME.dns:
          if (!reverseLabels(name)) throw new Rejection(`x509: cannot parse dnsName ${goQuote(name)}`)
          checkConstraints(counter, 'DNS name', name, name, matchDomain, nc.permitted.dns, nc.excluded.dns)
          break
        case GENERAL_NAME.uri:
          checkConstraints(counter, 'URI', name, name, matchUri, nc.permitted.uri, nc.excluded.uri)
          break
        case GENERAL_NAME.ip:
          if (value.length !== 4 && value.length !== 16) throw new Rejection(`x509: internal error: IP SAN ${value.toString('hex')} failed to parse`)
          checkConstraints(counter, 'IP address', formatIp(value), value, matchIp, nc.permitted.ip, nc.excluded.ip)
          break
        default:
        // Other name forms are not constrained (Go ignores them).
      }
    }
  }
}

// ---- Path validation --------------------------------------------------------------------------------------------

type Role = 'intermediate' | 'root'

function validityProblem(cert: Cert, now: Date): string | undefined {
  const {notAfter, notBefore} = cert.fields
  if (now < notBefore) return `x509: certificate has expired or is not yet valid: current time ${rfc3339(now)} is before ${rfc3339(notBefore)}`
  if (now > notAfter) return `x509: certificate has expired or is not yet valid: current time ${rfc3339(now)} is after ${rfc3339(notAfter)}`
  return undefined
}

/** Go's isValid for a CA certificate about to be appended to `chain` (parents are found by name already). */
function candidateProblem(cert: Cert, role: Role, chain: Cert[], now: Date): string | undefined {
  if (cert.unhandledCritical) return unhandledCritical
  const expired = validityProblem(cert, now)
  if (expired) return expired
  if (cert.nameConstraints) {
    try {
      checkNameConstraints(cert, chain)
    } catch (error) {
      if (error instanceof Rejection) return error.message
      throw error
    }
  }
  const bc = cert.fields.extensions.basicConstraints
  if (role === 'intermediate' && !bc?.ca) return notAuthorizedToSign
  if (bc?.pathLength !== undefined && chain.length - 1 > bc.pathLength) return tooManyIntermediates
  return undefined
}

/** Go's alreadyInChain: same subject, same key and same SAN as a certificate already on the path. */
function alreadyInChain(candidate: Cert, chain: Cert[]): boolean {
  return chain.some((c) => c.fields.subjectDer.equals(candidate.fields.subjectDer) && c.fields.spkiDer.equals(candidate.fields.spkiDer)
    && (c.san === undefined) === (candidate.san === undefined) && (!c.san || c.san.equals(candidate.san!)))
}

/** Go's findPotentialParents: same name, key identifiers that match first. */
function potentialParents(cert: Cert, pool: Cert[]): Cert[] {
  const akid = cert.fields.extensions.authorityKeyId
  const rank = (c: Cert) => {
    const skid = c.fields.extensions.subjectKeyId
    if (skid === akid) return 0
    return !skid !== !akid ? 1 : 2
  }
  return pool.filter((c) => c.fields.subjectDer.equals(cert.rawIssuer)).sort((a, b) => rank(a) - rank(b))
}

/** Go's bound on path building: no more signature checks than this per verification. */
const MAX_SIGNATURE_CHECKS = 100

interface Search {
  roots: Cert[]
  intermediates: Cert[]
  now: Date
  signatureChecks: number
}

/**
 * Go's buildChains: every path from `chain` to a root. When there is none, the error is Go's: that of the last
 * candidate's checks or deeper search, else "unknown authority" with the first rejected candidate as a hint.
 */
function buildChains(chain: Cert[], search: Search): {chains: Cert[][]; error?: string} {
  const cert = chain.at(-1)!
  const chains: Cert[][] = []
  let error: string | undefined
  let hint: {error: string; cert: Cert} | undefined
  const consider = (role: Role, candidate: Cert) => {
    if (!candidate.publicKey || alreadyInChain(candidate, chain)) return
    if (++search.signatureChecks > MAX_SIGNATURE_CHECKS) {
      error = 'x509: signature check attempts limit reached while verifying certificate chain'
      return
    }
    const badSignature = signatureProblem(cert, candidate)
    if (badSignature) {
      hint ??= {cert: candidate, error: badSignature}
      return
    }
    error = candidateProblem(candidate, role, chain, search.now)
    if (error) {
      hint ??= {cert: candidate, error}
      return
    }
    if (role === 'root') chains.push([...chain, candidate])
    else {
      const deeper = buildChains([...chain, candidate], search)
      chains.push(...deeper.chains)
      error = deeper.error
    }
  }
  for (const root of potentialParents(cert, search.roots)) consider('root', root)
  for (const intermediate of potentialParents(cert, search.intermediates)) consider('intermediate', intermediate)
  if (chains.length > 0) return {chains}
  if (error) return {chains, error}
  const unknown = 'x509: certificate signed by unknown authority'
  return {chains, error: hint ? `${unknown} (possibly because of ${goQuote(hint.error)} while trying to verify candidate authority certificate ${goQuote(hintName(hint.cert))})` : unknown}
}

const USAGE_OID: Record<Usage, string> = {client: EKU_OID.clientAuth, server: EKU_OID.serverAuth}

/** Go's checkChainForKeyUsage for one usage: every certificate with EKUs lists it or anyExtendedKeyUsage. */
function chainAllows(chain: Cert[], usage: Usage): boolean {
  return chain.every((c) => {
    const eku = c.fields.extensions.extKeyUsageOids
    return !eku || eku.length === 0 || eku.includes(OID.anyEku) || eku.includes(USAGE_OID[usage])
  })
}

// ---- Host names (Go's VerifyHostname) ---------------------------------------------------------------------------

function validHostname(host: string, pattern: boolean): boolean {
  if (!pattern) host = host.replace(/\.$/, '')
  if (host === '' || host === '*') return false
  return host.split('.').every((part, i) => part !== '' && ((pattern && i === 0 && part === '*') || /^[A-Za-z0-9_][A-Za-z0-9_-]*$/.test(part)))
}

function matchHostname(pattern: string, host: string): boolean {
  const p = pattern.toLowerCase().split('.')
  const h = host.replace(/\.$/, '').toLowerCase().split('.')
  if (pattern === '' || h.join('.') === '' || p.length !== h.length) return false
  return p.every((part, i) => (i === 0 && part === '*') || part === h[i])
}

function parseIp(text: string): Buffer | undefined {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(text)) {
    const parts = text.split('.').map(Number)
    return parts.every((n, i) => n <= 255 && (text.split('.')[i] === '0' || !text.split('.')[i].startsWith('0'))) ? Buffer.from(parts) : undefined
  }
  if (!text.includes(':') || !/^[0-9A-Fa-f:.]+$/.test(text)) return undefined
  const halves = text.split('::')
  if (halves.length > 2) return undefined
  const groups = (s: string) => (s === '' ? [] : s.split(':'))
  const expand = (list: string[]) => list.flatMap((g) => {
    const v4 = g.includes('.') ? parseIp(g) : undefined
    return v4 ? [((v4[0] << 8) | v4[1]).toString(16), ((v4[2] << 8) | v4[3]).toString(16)] : [g]
  })
  const head = expand(groups(halves[0]))
  const tail = halves.length === 2 ? expand(groups(halves[1])) : []
  const fill = 8 - head.length - tail.length
  if ((halves.length === 1 && fill !== 0) || (halves.length === 2 && fill < 1)) return undefined
  const all = [...head, ...Array(halves.length === 2 ? fill : 0).fill('0'), ...tail]
  if (all.some((g) => !/^[0-9A-Fa-f]{1,4}$/.test(g))) return undefined
  const out = Buffer.alloc(16)
  all.forEach((g, i) => out.writeUInt16BE(parseInt(g, 16), i * 2))
  return out
}

const v4InV6 = (ip: Buffer) => (ip.length === 16 && ip.subarray(0, 10).every((b) => b === 0) && ip[10] === 0xff && ip[11] === 0xff ? ip.subarray(12) : ip)

/** Go's VerifyHostname and HostnameError texts: DNS and IP SANs only; the CN is never used. */
function hostnameProblem(leaf: Cert, host: string): string | undefined {
  const ipText = host.length >= 3 && host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host
  const ip = parseIp(ipText)
  const sans = leaf.fields.extensions.sans
  if (ip) {
    const ips = leaf.sanEntries.filter((e) => e.tag === GENERAL_NAME.ip && (e.value.length === 4 || e.value.length === 16))
    if (ips.some((e) => v4InV6(e.value).equals(v4InV6(ip)))) return undefined
  } else {
    const name = host.toLowerCase()
    const valid = validHostname(name, false)
    const matched = sans.dns.some((pattern) => (valid && validHostname(pattern, true) ? matchHostname(pattern, name)
      : pattern !== '' && pattern !== '.' && name !== '' && name !== '.' && pattern.toLowerCase() === name))
    if (matched) return undefined
  }
  const cn = leaf.fields.subject.commonName
  if (!leaf.san && cn && matchHostname(cn, host)) return 'x509: certificate relies on legacy Common Name field, use SANs instead'
  let validFor: string
  if (ip) {
    if (sans.ip.length === 0) return `x509: cannot validate certificate for ${host} because it doesn't contain any IP SANs`
    validFor = sans.ip.join(', ')
  } else validFor = sans.dns.join(', ')
  if (validFor === '') return `x509: certificate is not valid for any names, but wanted to match ${host}`
  return `x509: certificate is valid for ${validFor}, not ${host}`
}

// ---- The verifier -------------------------------------------------------------------------------------------------

export interface ChainOptions {
  roots: Cert[]
  /** Certificates presented with the leaf, in any order. */
  intermediates: Cert[]
  now: Date
  /** Extended key usages the chain must allow (each of them); none means any use. */
  usages?: Usage[]
  /** A DNS name or IP address the leaf must be valid for. */
  host?: string
}

export interface ChainVerdict {
  /** Go's error for the whole verification, as (*Certificate).Verify returns it; undefined when accepted. */
  error?: string
  /** Every problem found, Go's error first, each in Go's words. */
  reasons: string[]
  /** Why no path to a root was found (the leaf's own validity and usages aside). */
  pathError?: string
  /** The accepted path, leaf first and a root last. */
  chain?: Cert[]
}

/**
 * (*Certificate).Verify: the leaf's own checks, the host name, every path to a root (each parent a CA that may sign,
 * within path length and name constraints, with an allowed signature algorithm, valid at `now`), then EKU nesting.
 * Unlike Go it does not stop at the first problem: the leaf, host, path and usage problems are all listed, in the
 * order Go meets them, so `error` is what Go returns.
 */
export function verifyChain(leaf: Cert, options: ChainOptions): ChainVerdict {
  const reasons: string[] = []
  if (leaf.unhandledCritical) reasons.push(unhandledCritical)
  const expired = validityProblem(leaf, options.now)
  if (expired) reasons.push(expired)
  if (options.host) {
    const problem = hostnameProblem(leaf, options.host)
    if (problem) reasons.push(problem)
  }
  const inRoots = options.roots.some((r) => r.fields.der.equals(leaf.fields.der))
  let chains: Cert[][] = [[leaf]]
  let pathError: string | undefined
  if (!inRoots) {
    ;({chains, error: pathError} = buildChains([leaf], {intermediates: options.intermediates, now: options.now, roots: options.roots, signatureChecks: 0}))
    if (pathError) reasons.push(pathError)
  }
  // Without a path, the leaf alone is judged, so that every reason is listed.
  let accepted = chains.length > 0 ? chains : [[leaf]]
  for (const usage of options.usages ?? []) {
    const allowing = accepted.filter((c) => chainAllows(c, usage))
    if (allowing.length === 0) {
      const offender = accepted[0].find((c) => !chainAllows([c], usage))!
      const role = offender === leaf ? 'the certificate' : `CA ${goQuote(offender.fields.subject.dn || '(empty subject)')}`
      reasons.push(`${incompatibleUsage}: ${role} does not allow ${usage === 'client' ? 'clientAuth' : 'serverAuth'} (EKU ${offender.fields.extensions.extKeyUsage?.join(', ')})`)
    } else accepted = allowing
  }
  if (reasons.length > 0) return {error: goError(reasons[0]), pathError, reasons}
  return {chain: accepted[0], reasons}
}

/** The EKU reason carries a detail for people; Go's error is the text before it. */
function goError(reason: string): string {
  return reason.startsWith(`${incompatibleUsage}:`) ? incompatibleUsage : reason
}

/** kube-apiserver's certificateIdentifier, as logged with a failed verification. */
export function certificateIdentifier(cert: Cert): string {
  const ext = cert.fields.extensions
  return `SN=${BigInt(`0x${cert.fields.serial || '0'}`).toString()}, SKID=${ext.subjectKeyId ?? ''}, AKID=${ext.authorityKeyId ?? ''}`
}
