// The JWT authenticators of an AuthenticationConfiguration (or of the legacy --oidc-* flags translated into one) as
// one token authenticator of the server's union: lib/authconfig's fail-on-error union in file order, wrapped
// audience-agnostic as kube-apiserver wraps it (authenticator.WrapAudienceAgnosticToken): when the request carries
// audiences, the token is only considered if they intersect the API audiences, and the answer carries the
// intersection.
import {authenticateJwt, type KeySource} from '../authconfig/authenticate.js'
import type {CompiledJwtAuthenticator} from '../authconfig/validate.js'
import type {AuthResult, TokenAuthenticator} from './types.js'

export interface JwtAuthenticators {
  authenticators: CompiledJwtAuthenticator[]
  keys: KeySource
}

export function jwtTokenAuthenticator(current: () => JwtAuthenticators, apiAudiences: string[], now: () => Date): TokenAuthenticator {
  return {
    async authenticateToken(token, audiences): Promise<AuthResult> {
      let granted: string[] | undefined
      if (audiences?.length) {
        granted = apiAudiences.filter((a) => audiences.includes(a))
        if (granted.length === 0) return undefined
      }
      const {authenticators, keys} = current()
      const result = await authenticateJwt(token, authenticators, keys, now())
      if (result.authenticated) return {user: result.user!, ...(granted ? {audiences: granted} : {})}
      if (result.error) return {error: result.error}
      return undefined
    },
    name: 'jwt',
  }
}
