// Reading a JWT's claims before verification: token authenticators use the unverified `iss` only to decide whether a
// token is theirs, the way kube-apiserver's JWT authenticators do.
import {AuthctlError} from '../output/errors.js'

export function unverifiedClaims(token: string): Record<string, unknown> | undefined {
  const parts = token.split('.')
  if (parts.length !== 3) return undefined
  try {
    const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'))
    return claims && typeof claims === 'object' && !Array.isArray(claims) ? claims : undefined
  } catch {
    return undefined
  }
}

/** A claim check that failed (src/lib/token/identity.ts throws TOKEN_INVALID) is the authenticator's error. */
export function tokenErrorResult(error: unknown): {error: string} {
  if (error instanceof AuthctlError && error.code === 'TOKEN_INVALID') return {error: error.message}
  throw error
}

export async function joseModule(): Promise<typeof import('jose')> {
  return import('jose')
}
