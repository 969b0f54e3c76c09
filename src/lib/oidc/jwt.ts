// Tokens we hand to kubectl are checked against the issuer's JWKS first (signature, iss, aud, exp, nonce), so a
// misconfigured client fails here with a clear line instead of as a bare 401 from the API server. The signature is
// checked by token/signature (the one verifier); the claim checks allow 60 s of clock skew and use jose's wording.
import {AuthctlError} from '../output/errors.js'
import {unverifiedClaims} from '../token/jwt.js'
import {ASYMMETRIC_ALGORITHMS, verifySignature} from '../token/signature.js'
import type {Provider} from './discovery.js'

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

const CLOCK_SKEW_S = 60

/** The first claim problem of a verified payload, in jose's words; undefined when there is none. */
function claimProblem(claims: Claims, issuer: string, audience: string, now: Date): string | undefined {
  const t = Math.floor(now.getTime() / 1000)
  if (claims.iss !== issuer) return 'unexpected "iss" claim value'
  if (![claims.aud].flat().includes(audience)) return 'unexpected "aud" claim value'
  if (typeof claims.exp === 'number' && claims.exp <= t - CLOCK_SKEW_S) return '"exp" claim timestamp check failed'
  if (typeof claims.nbf === 'number' && claims.nbf > t + CLOCK_SKEW_S) return '"nbf" claim timestamp check failed'
  return undefined
}

export async function verifyToken(provider: Provider, token: string, options: VerifyOptions): Promise<Claims> {
  const meta = await provider.metadata()
  const jwks = await provider.keys()
  const claims = decodeClaims(token)
  if (!claims) throw new AuthctlError(`the issuer returned an ${options.what} that is not a JWT`, {code: 'OIDC_BAD_TOKEN'})
  const aud = claims.aud === undefined ? [] : [claims.aud].flat()
  if (!aud.includes(options.audience)) {
    throw new AuthctlError(`${options.what} audience ${JSON.stringify(aud)} does not include client ID ${JSON.stringify(options.audience)}`, {
      code: 'OIDC_AUDIENCE',
      hint: 'kube-apiserver would reject it; check --oidc-client-id and the client configuration at the issuer',
    })
  }
  const failed = (why: string) => new AuthctlError(`${options.what} from ${meta.issuer} failed verification: ${why}`, {code: 'OIDC_VERIFY'})
  let payload: Claims
  try {
    const verified = await verifySignature(token, {jwks, kind: 'jwks', source: meta.jwks_uri}, [...ASYMMETRIC_ALGORITHMS])
    if (!verified) throw failed('signature verification failed')
    payload = JSON.parse(Buffer.from(verified.payload).toString('utf8'))
  } catch (error) {
    throw error instanceof AuthctlError ? error : failed((error as Error).message)
  }
  const problem = claimProblem(payload, meta.issuer, options.audience, options.now)
  if (problem) throw failed(problem)
  if (options.nonce !== undefined && payload.nonce !== options.nonce) {
    throw new AuthctlError(`${options.what} nonce does not match the login request`, {code: 'OIDC_NONCE'})
  }
  return payload
}
