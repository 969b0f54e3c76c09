// Reading a JWT's claims before verification: token authenticators use the unverified `iss` only to decide whether a
// token is theirs, the way kube-apiserver's JWT authenticators do.
import {AuthctlError} from '../output/errors.js'

export {unverifiedClaims} from '../token/jwt.js'

/** A claim check that failed (src/lib/token/identity.ts throws TOKEN_INVALID) is the authenticator's error. */
export function tokenErrorResult(error: unknown): {error: string} {
  if (error instanceof AuthctlError && error.code === 'TOKEN_INVALID') return {error: error.message}
  throw error
}

export async function joseModule(): Promise<typeof import('jose')> {
  return import('jose')
}
