// Checking a signature over signed DER (a TBSCertificate or CertificationRequestInfo) with node:crypto, for the
// signature algorithms Go accepts on certificates and requests (no SHA-1, no MD5). The key type must match the
// algorithm, so an RSA key can never vouch for an "ECDSA" signature.
import {type KeyObject, verify} from 'node:crypto'

const ALGORITHMS: Record<string, {hash: string | null; keyType: string}> = {
  '1.2.840.10045.4.3.2': {hash: 'sha256', keyType: 'ec'},
  '1.2.840.10045.4.3.3': {hash: 'sha384', keyType: 'ec'},
  '1.2.840.10045.4.3.4': {hash: 'sha512', keyType: 'ec'},
  '1.2.840.113549.1.1.11': {hash: 'sha256', keyType: 'rsa'},
  '1.2.840.113549.1.1.12': {hash: 'sha384', keyType: 'rsa'},
  '1.2.840.113549.1.1.13': {hash: 'sha512', keyType: 'rsa'},
  '1.3.101.112': {hash: null, keyType: 'ed25519'},
}

export function isSupportedSignature(oid: string): boolean {
  return oid in ALGORITHMS
}

/** True only when `signature` over `signed` verifies under `key` with the algorithm `oid` names. */
export function signatureValid(signed: Buffer, oid: string, signature: Buffer, key: KeyObject): boolean {
  const algorithm = ALGORITHMS[oid]
  if (!algorithm || key.asymmetricKeyType !== algorithm.keyType) return false
  try {
    return verify(algorithm.hash, signed, key, signature)
  } catch {
    return false
  }
}
