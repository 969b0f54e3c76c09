// The one place a JWS signature is checked (jose's compactVerify), for every verifier: `token verify`, the OIDC login
// flows, and the server's ServiceAccount and OIDC authenticators. Only the signature: claim rules differ per caller
// and live with them (identity.ts for kube-apiserver's).
import type {KeyObject} from 'node:crypto'

import type {VerificationKeys} from './keys.js'

/**
 * The signature algorithms verify accepts: asymmetric only. `none` is never accepted, and HS* never, because a
 * verifier holding a public key must not let the token pick a MAC keyed with that (public) key.
 */
export const ASYMMETRIC_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'] as const

/** A JWKS that cannot verify the token at all (as opposed to a signature that does not match). */
export class KeySetError extends Error {}

/** The JWKS holds no key for the token's kid and alg (a verifier may fetch the JWKS again and retry). */
export class NoMatchingKey extends KeySetError {
  constructor(readonly kid: string | undefined, readonly alg: string, source: string) {
    super(`no key in ${source} matches ${kid === undefined ? '' : `kid ${JSON.stringify(kid)} and `}alg ${alg}`)
    this.name = 'NoMatchingKey'
  }
}

export interface Verified {
  /** The verified payload, as bytes. */
  payload: Uint8Array
  /** Which key verified it: `key 2 of "sa.pub"`, `kid "k1" in https://…/jwks`. */
  by: string
}

/**
 * Verifies `token`'s signature with the first of `keys` that does; undefined when none does. An `alg` outside
 * `algorithms` verifies with no key. Throws KeySetError when a JWKS cannot be used (NoMatchingKey: no key for the
 * token's kid and alg), and jose's error for a malformed token.
 */
export async function verifySignature(token: string, keys: VerificationKeys, algorithms: string[]): Promise<Verified | undefined> {
  const jose = await import('jose')
  type Key = Parameters<typeof jose.compactVerify>[1]
  const attempt = async (key: Key): Promise<Uint8Array | undefined> => {
    try {
      return (await jose.compactVerify(token, key as KeyObject, {algorithms})).payload
    } catch (error) {
      if (error instanceof jose.errors.JWSSignatureVerificationFailed || error instanceof TypeError || error instanceof jose.errors.JOSENotSupported ||
        error instanceof jose.errors.JOSEAlgNotAllowed) return undefined
      throw error
    }
  }
  if (keys.kind === 'pem') {
    for (const [i, key] of keys.keys.entries()) {
      const payload = await attempt(key)
      if (payload) return {by: `key ${i + 1} of ${keys.source}`, payload}
    }
    return undefined
  }
  const getKey = jose.createLocalJWKSet(keys.jwks as Parameters<typeof jose.createLocalJWKSet>[0])
  const {alg, kid} = jose.decodeProtectedHeader(token)
  let candidates: Key[]
  try {
    candidates = [await getKey({alg: String(alg), kid})]
  } catch (error) {
    if (error instanceof jose.errors.JWKSMultipleMatchingKeys) {
      candidates = []
      for await (const key of error as unknown as AsyncIterable<Key>) candidates.push(key)
    } else if (error instanceof jose.errors.JWKSNoMatchingKey) {
      throw new NoMatchingKey(kid, String(alg), keys.source)
    } else throw new KeySetError(`cannot use ${keys.source}: ${(error as Error).message}`)
  }
  for (const key of candidates) {
    const payload = await attempt(key)
    if (payload) return {by: `${kid === undefined ? 'a key' : `kid ${JSON.stringify(kid)}`} in ${keys.source}`, payload}
  }
  return undefined
}
