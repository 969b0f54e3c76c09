// Signature algorithms and checks for certificates and requests, as Go's crypto/x509 has them: the algorithm named
// by an AlgorithmIdentifier (RSASSA-PSS parameters included), and checkSignature's verdict in Go's words. The key
// type must match the algorithm, so an RSA key can never vouch for an "ECDSA" signature.
import {constants, type KeyObject, verify} from 'node:crypto'

import {children, content, decodeOid, DerError, type Tlv} from './der.js'

export interface SignatureAlgorithm {
  /** Go's name (SignatureAlgorithm.String()), as in Go's errors. */
  name: string
  /** OpenSSL's name, shown by `pki inspect`; the OID is shown for the others. */
  display?: string
  /** node's digest name; null for Ed25519; undefined when Go cannot verify it. */
  hash?: string | null
  key?: 'rsa' | 'ec' | 'ed25519' | 'dsa'
  pss?: boolean
  insecure?: boolean
}

const PSS_OID = '1.2.840.113549.1.1.10'
const MGF1_OID = '1.2.840.113549.1.1.8'
const HASHES: Record<string, string> = {'2.16.840.1.101.3.4.2.1': 'sha256', '2.16.840.1.101.3.4.2.2': 'sha384', '2.16.840.1.101.3.4.2.3': 'sha512'}
const HASH_BYTES: Record<string, number> = {sha256: 32, sha384: 48, sha512: 64}

const ALGORITHMS: Record<string, SignatureAlgorithm> = {
  '1.2.840.10040.4.3': {hash: 'sha1', insecure: true, key: 'dsa', name: 'DSA-SHA1'},
  '1.2.840.10045.4.1': {hash: 'sha1', insecure: true, key: 'ec', name: 'ECDSA-SHA1'},
  '1.2.840.10045.4.3.2': {display: 'ecdsa-with-SHA256', hash: 'sha256', key: 'ec', name: 'ECDSA-SHA256'},
  '1.2.840.10045.4.3.3': {display: 'ecdsa-with-SHA384', hash: 'sha384', key: 'ec', name: 'ECDSA-SHA384'},
  '1.2.840.10045.4.3.4': {display: 'ecdsa-with-SHA512', hash: 'sha512', key: 'ec', name: 'ECDSA-SHA512'},
  '1.2.840.113549.1.1.11': {display: 'sha256WithRSAEncryption', hash: 'sha256', key: 'rsa', name: 'SHA256-RSA'},
  '1.2.840.113549.1.1.12': {display: 'sha384WithRSAEncryption', hash: 'sha384', key: 'rsa', name: 'SHA384-RSA'},
  '1.2.840.113549.1.1.13': {display: 'sha512WithRSAEncryption', hash: 'sha512', key: 'rsa', name: 'SHA512-RSA'},
  '1.2.840.113549.1.1.2': {key: 'rsa', name: 'MD2-RSA'},
  '1.2.840.113549.1.1.4': {hash: 'md5', insecure: true, key: 'rsa', name: 'MD5-RSA'},
  '1.2.840.113549.1.1.5': {display: 'sha1WithRSAEncryption', hash: 'sha1', insecure: true, key: 'rsa', name: 'SHA1-RSA'},
  '1.3.101.112': {display: 'ED25519', hash: null, key: 'ed25519', name: 'Ed25519'},
  '1.3.14.3.2.29': {hash: 'sha1', insecure: true, key: 'rsa', name: 'SHA1-RSA'},
  '2.16.840.1.101.3.4.3.2': {hash: 'sha256', key: 'dsa', name: 'DSA-SHA256'},
}

const UNKNOWN: SignatureAlgorithm = {name: '0'}
const UNKNOWN_PSS: SignatureAlgorithm = {display: 'rsassa-pss', name: '0'}

const integer = (tlv: Tlv) => content(tlv).reduce((n, b) => n * 256 + b, 0)

/** RSASSA-PSS as Go accepts it: SHA-256/384/512, MGF1 with the same hash, salt length equal to the hash length. */
function pssAlgorithm(params: Tlv | undefined): SignatureAlgorithm {
  if (!params) return UNKNOWN_PSS
  let hash: string | undefined
  let mgfHash: string | undefined
  let salt = 20
  for (const field of children(params)) {
    const [inner] = children(field)
    if (field.tag === 0xa0) hash = HASHES[decodeOid(children(inner)[0])]
    else if (field.tag === 0xa1) {
      const [mgf, mgfParams] = children(inner)
      if (decodeOid(mgf) === MGF1_OID && mgfParams) mgfHash = HASHES[decodeOid(children(mgfParams)[0])]
    } else if (field.tag === 0xa2) salt = integer(inner)
    else if (field.tag === 0xa3 && integer(inner) !== 1) return UNKNOWN_PSS
  }
  if (!hash || hash !== mgfHash || salt !== HASH_BYTES[hash]) return UNKNOWN_PSS
  return {display: 'rsassa-pss', hash, key: 'rsa', name: `${hash.toUpperCase()}-RSAPSS`, pss: true}
}

/**
 * The algorithm an AlgorithmIdentifier names (Go's getSignatureAlgorithmFromAI): Go's "0" when unknown, including
 * PSS parameters that do not parse (Go does not refuse the certificate for them, only its signature).
 */
export function signatureAlgorithm(identifier: Tlv): SignatureAlgorithm {
  const [oid, params] = children(identifier)
  const id = decodeOid(oid)
  if (id !== PSS_OID) return ALGORITHMS[id] ?? UNKNOWN
  try {
    return pssAlgorithm(params)
  } catch (error) {
    if (error instanceof DerError || error instanceof TypeError) return UNKNOWN_PSS
    throw error
  }
}

/** An algorithm Go verifies and does not refuse as insecure. */
export function isSupportedSignature(algorithm: SignatureAlgorithm): boolean {
  return algorithm.hash !== undefined && !algorithm.insecure
}

const GO_KEY_TYPES: Record<string, string> = {dsa: '*dsa.PublicKey', ec: '*ecdsa.PublicKey', ed25519: 'ed25519.PublicKey', rsa: '*rsa.PublicKey'}
const GO_KEY_ALGORITHMS: Record<string, string> = {dsa: 'DSA', ec: 'ECDSA', ed25519: 'Ed25519', rsa: 'RSA'}

/** The key types Go's parser knows (for others Go's PublicKey is nil). */
export function isGoKeyType(type: string | undefined): boolean {
  return type !== undefined && type in GO_KEY_TYPES
}

export interface Signed {
  /** The signed DER (a TBSCertificate or CertificationRequestInfo). */
  signed: Buffer
  algorithm: SignatureAlgorithm
  signature: Buffer
}

/** Go's checkSignature: the algorithm is allowed, matches the key, and the signature verifies. Go's error, or undefined. */
export function signatureProblem({algorithm, signature, signed}: Signed, key: KeyObject): string | undefined {
  const unimplemented = 'x509: cannot verify signature: algorithm unimplemented'
  if (algorithm.hash === undefined) return unimplemented
  if (algorithm.insecure) {
    const override = algorithm.name === 'SHA1-RSA' || algorithm.name === 'ECDSA-SHA1' ? ' (temporarily override with GODEBUG=x509sha1=1)' : ''
    return `x509: cannot verify signature: insecure algorithm ${algorithm.name}${override}`
  }
  const type = key.asymmetricKeyType!
  if (type === 'dsa') return unimplemented
  if (type !== algorithm.key) return `x509: signature algorithm specifies an ${GO_KEY_ALGORITHMS[algorithm.key!]} public key, but have public key of type ${GO_KEY_TYPES[type]}`
  let ok: boolean
  try {
    ok = algorithm.pss
      ? verify(algorithm.hash, signed, {key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: HASH_BYTES[algorithm.hash!]}, signature)
      : verify(algorithm.hash, signed, key, signature)
  } catch {
    ok = false
  }
  if (ok) return undefined
  if (type === 'ec') return 'x509: ECDSA verification failure'
  if (type === 'ed25519') return 'x509: Ed25519 verification failure'
  return 'crypto/rsa: verification error'
}

/** True only when the signature verifies under `key` with an allowed algorithm that matches the key. */
export function signatureValid(signed: Signed, key: KeyObject): boolean {
  return signatureProblem(signed, key) === undefined
}
