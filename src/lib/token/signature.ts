// The one place a JWS signature is checked (jose's compactVerify), for every verifier: `token verify`, the OIDC login
// flows, and the server's ServiceAccount and OIDC authenticators. Only the signature: claim rules differ per caller
// and live with them (identity.ts for kube-apiserver's).
import type {KeyObject} from 'node:crypto'

import type {importJWK} from 'jose'

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

// Each JWKS entry is imported once per algorithm (undefined: it cannot be used with it): a server verifies many tokens
// against the same fetched document.
const imported = new WeakMap<object, Map<string, Promise<ImportedKey | undefined>>>()
type ImportedKey = Awaited<ReturnType<typeof importJWK>>

function importOnce(importer: typeof importJWK, jwk: Record<string, unknown>, alg: string): Promise<ImportedKey | undefined> {
  let byAlg = imported.get(jwk)
  if (!byAlg) imported.set(jwk, (byAlg = new Map()))
  let key = byAlg.get(alg)
  if (!key) byAlg.set(alg, (key = importer(jwk as Parameters<typeof importJWK>[0], alg).catch(() => undefined)))
  return key
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
  const header = jose.decodeProtectedHeader(token)
  const alg = String(header.alg)
  const kid = typeof header.kid === 'string' && header.kid !== '' ? header.kid : undefined
  // go-oidc's choice, which kube-apiserver's verifiers follow: the keys with the token's kid, or every key when the
  // token names none; each is tried with the token's algorithm.
  const usable: Key[] = []
  for (const jwk of keys.jwks.keys) {
    if (kid !== undefined && jwk.kid !== kid) continue
    const key = await importOnce(jose.importJWK, jwk, alg)
    if (key) usable.push(key)
  }
  if (usable.length === 0) throw new NoMatchingKey(kid, alg, keys.source)
  for (const key of usable) {
    const payload = await attempt(key)
    if (payload) return {by: `${kid === undefined ? 'a key' : `kid ${JSON.stringify(kid)}`} in ${keys.source}`, payload}
  }
  return undefined
}
