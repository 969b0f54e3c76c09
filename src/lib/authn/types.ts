// The authenticator contract, as k8s.io/apiserver's: an authenticator says "not mine" (undefined), succeeds with a
// user, or fails with an error. Unions try each in order; the first success wins.
import type {UserInfo} from '../api/user.js'

export type AuthResult = {user: UserInfo; audiences?: string[]; annotations?: Record<string, string>} | {error: string} | undefined

/** What a request authenticator sees: the verified TLS peer chain (leaf first) and the headers. */
export interface RequestCredentials {
  peerCertificates: Buffer[]
  authorization?: string
  /** The request's URL path (no query), for anonymous path conditions. */
  path?: string
}

export interface TokenAuthenticator {
  name: string
  authenticateToken(token: string, audiences?: string[]): Promise<AuthResult>
}

export const CREDENTIAL_ID = 'authentication.kubernetes.io/credential-id'

export function isError(result: AuthResult): result is {error: string} {
  return result !== undefined && 'error' in result
}
