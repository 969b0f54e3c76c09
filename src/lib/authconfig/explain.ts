// What an AuthenticationConfiguration makes of one token, in a sentence: the authenticator and step that reject it,
// or the user it maps to. `authn test` prints it for a rejection; `auth whoami` and `doctor` give it as the hint when
// the API server answered 401 and the admin named the server's configuration.
import {quote} from '../go/quote.js'
import {authenticateJwt, type JwtAuthenticationResult, type KeySource, untrustedIssuer} from './authenticate.js'
import type {CompiledJwtAuthenticator} from './validate.js'

/** The rejection as `authn test` words it (kube-apiserver logs only the error itself). */
export function jwtRejection(result: JwtAuthenticationResult): string {
  if (result.error) return `jwt[${result.authenticator}] rejected the token at ${result.failedStep}: ${result.error}${result.cause ? ` (the keys could not be fetched: ${result.cause})` : ''}`
  return 'no JWT authenticator in the configuration claims the token (its iss matches no issuer.url); kube-apiserver would answer 401 "invalid bearer token" unless another authenticator accepts it'
}

/** Why the API server may have refused `token`, judged by the configuration it runs. */
export async function explainTokenUnderConfiguration(token: string, authenticators: CompiledJwtAuthenticator[], keys: KeySource, now: Date, source: string): Promise<string> {
  if (untrustedIssuer(token) === undefined) return `under ${source}: the credential is not a JWT with an iss claim, so no jwt[] authenticator judges it`
  const result = await authenticateJwt(token, authenticators, keys, now)
  if (!result.authenticated) return `under ${source}: ${jwtRejection(result)}`
  return `under ${source} jwt[${result.authenticator}] accepts the token as ${quote(result.user!.username)}: the API server is not running this configuration (check its --authentication-config)`
}
