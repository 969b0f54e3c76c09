// The authctl name of a SubjectPublicKeyInfo's key algorithm (as keys.ts's keyAlgorithm names a KeyObject), read
// from the algorithm OID, curve and key size: making a KeyObject costs more than reading the rest of a certificate
// (OpenSSL decodes and checks the key), and describing a certificate never uses its key.
import {createPublicKey} from 'node:crypto'

import {children, content, decodeOid, encoded, integerBytes, isNegative, readWhole, sequence, TAG, type Tlv} from './der.js'
import {keyAlgorithm} from './keys.js'

const OID = {ec: '1.2.840.10045.2.1', ed25519: '1.3.101.112', rsa: '1.2.840.113549.1.1.1'}
/** Named curves authctl issues with, and their field size in bytes. */
const CURVES: Record<string, {name: string; bytes: number}> = {
  '1.2.840.10045.3.1.7': {bytes: 32, name: 'ecdsa-p256'},
  '1.3.132.0.34': {bytes: 48, name: 'ecdsa-p384'},
}
const RSA_SIZES = new Set([2048, 3072, 4096])

function bitLength(unsigned: Buffer): number {
  const bytes = unsigned[0] === 0 ? unsigned.subarray(1) : unsigned
  return bytes.length * 8 - Math.clz32(bytes[0]) + 24
}

/** The name read from the encoding, for the well-formed keys authctl issues with; undefined for anything else. */
function nameFromEncoding(algorithm: Tlv[], key: Buffer): string | undefined {
  const oid = decodeOid(algorithm[0])
  const params = algorithm[1]
  if (key[0] !== 0) return undefined
  const bits = key.subarray(1)
  if (oid === OID.ed25519) return !params && bits.length === 32 ? 'ed25519' : undefined
  if (oid === OID.ec && params?.tag === TAG.OID) {
    const curve = CURVES[decodeOid(params)]
    // An uncompressed point of the curve's size (a compressed one needs decoding to be known valid).
    return curve && bits.length === 1 + 2 * curve.bytes && bits[0] === 0x04 ? curve.name : undefined
  }
  if (oid === OID.rsa && params?.tag === TAG.NULL && params.end === params.start) {
    const [modulus, exponent] = sequence(readWhole(bits), 'RSA public key', 2, 2)
    const n = integerBytes(modulus)
    const e = integerBytes(exponent)
    if (isNegative(n) || isNegative(e) || (n.length === 1 && n[0] === 0)) return undefined
    const size = bitLength(n)
    return RSA_SIZES.has(size) ? `rsa-${size}` : undefined
  }
  return undefined
}

/** keyAlgorithm's name of the key, or the algorithm OID for keys authctl does not issue with or cannot read. */
export function spkiAlgorithm(spki: Tlv): string {
  const [algorithm, key] = children(spki)
  const parts = children(algorithm)
  try {
    const name = nameFromEncoding(parts, content(key))
    if (name) return name
  } catch {
    // Not a clean encoding: node decides below.
  }
  try {
    return keyAlgorithm(createPublicKey({format: 'der', key: encoded(spki), type: 'spki'}))
  } catch {
    return decodeOid(parts[0])
  }
}
