// Tokens we hand to kubectl are checked against the issuer's JWKS first (signature, iss, aud, exp, nonce), so a
// misconfigured client fails here with a clear line instead of as a bare 401 from the API server.
import {AuthctlError} from '../output/errors.js'
import {unverifiedClaims} from '../token/jwt.js'
import type {ProviderMetadata} from './discovery.js'
import type {Http} from './http.js'

export type Claims = Record<string, unknown> & {exp?: number; aud?: string | string[]; iss?: string; sub?: string}

/** Decodes a JWT payload without verifying it (for cached tokens that were verified when received). */
export function decodeClaims(token: string): Claims | undefined {
  return unverifiedClaims(token) as Claims | undefined
}

export interface VerifyOptions {
  audience: string
  nonce?: string
  now: Date
  /** "id_token" or "access token", used in messages. */
  what: string
}

export async function verifyToken(http: Http, meta: ProviderMetadata, token: string, options: VerifyOptions): Promise<Claims> {
  const jose = await import('jose')
  const res = await http(meta.jwks_uri, {what: 'JWKS'})
  if (res.status !== 200 || !Array.isArray(res.json?.keys)) {
    throw new AuthctlError(`bad JWKS at ${meta.jwks_uri}: ${res.status === 200 ? 'no "keys" array' : `HTTP ${res.status}`}`, {code: 'OIDC_BAD_JWKS'})
  }
  const claims = decodeClaims(token)
  if (!claims) throw new AuthctlError(`the issuer returned an ${options.what} that is not a JWT`, {code: 'OIDC_BAD_TOKEN'})
  const aud = claims.aud === undefined ? [] : [claims.aud].flat()
  if (!aud.includes(options.audience)) {
    throw new AuthctlError(`${options.what} audience ${JSON.stringify(aud)} does not include client ID ${JSON.stringify(options.audience)}`, {
      code: 'OIDC_AUDIENCE',
      hint: 'kube-apiserver would reject it; check --oidc-client-id and the client configuration at the issuer',
    })
  }
  try {
    const {payload} = await jose.jwtVerify(token, jose.createLocalJWKSet(res.json), {
      audience: options.audience,
      clockTolerance: 60,
      currentDate: options.now,
      issuer: meta.issuer,
    })
    if (options.nonce !== undefined && payload.nonce !== options.nonce) {
      throw new AuthctlError(`${options.what} nonce does not match the login request`, {code: 'OIDC_NONCE'})
    }
    return payload as Claims
  } catch (error) {
    if (error instanceof AuthctlError) throw error
    throw new AuthctlError(`${options.what} from ${meta.issuer} failed verification: ${(error as Error).message}`, {code: 'OIDC_VERIFY'})
  }
}
