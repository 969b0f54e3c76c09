// kube-apiserver's request authentication: x509, then the bearer token union; the first success wins, errors only
// count when nobody succeeds; `system:authenticated` is added; anonymous only for requests with no credentials.
import {ALL_UNAUTHENTICATED, ANONYMOUS, type UserInfo, withAuthenticatedGroup} from '../api/user.js'
import {type AuthResult, isError, type RequestCredentials, type TokenAuthenticator} from './types.js'
import type {X509Authenticator} from './x509.js'

export interface ChainOptions {
  x509?: X509Authenticator
  tokens: TokenAuthenticator[]
  /** --anonymous-auth (default true in kube-apiserver), or the configuration file's anonymous.enabled. */
  anonymous: boolean
  /** The configuration file's anonymous.conditions: anonymous only for these request paths (exact match). */
  anonymousPaths?: ReadonlySet<string>
  /** --api-audiences, passed to token authenticators. */
  audiences?: string[]
}

export type ChainResult =
  | {user: UserInfo; authenticator: string; annotations?: Record<string, string>}
  | {errors: string[]}

// A certificate's verdict is reused for every request on its connection and a static token's user is one stored
// object, so the user with the group added is kept per authenticated user (stable objects let the server cache).
const withGroup = new WeakMap<UserInfo, UserInfo>()

/** The bearer token from an Authorization header, or undefined when the header is absent, another scheme or empty. */
export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined
  const parts = header.trim().split(' ')
  if (parts.length < 2 || parts[0].toLowerCase() !== 'bearer') return undefined
  return parts[1] || undefined
}

/** Runs token authenticators in order (union semantics). */
export async function authenticateToken(authenticators: TokenAuthenticator[], token: string, audiences?: string[]): Promise<{result: AuthResult; name?: string; errors: string[]}> {
  const errors: string[] = []
  for (const a of authenticators) {
    let result: AuthResult
    try {
      result = await a.authenticateToken(token, audiences)
    } catch (error) {
      result = {error: (error as Error).message}
    }
    if (isError(result)) errors.push(result.error)
    else if (result) return {errors, name: a.name, result}
  }
  return {errors, result: errors.length ? {error: errors.join(', ')} : undefined}
}

/** The user with system:authenticated added, the same object each time for the same authenticated user. */
function authenticated(user: UserInfo): UserInfo {
  let result = withGroup.get(user)
  if (!result) withGroup.set(user, (result = withAuthenticatedGroup(user)))
  return result
}

/**
 * The request's user. A verdict that needs no token authenticator (a client certificate, anonymous, a refusal) is given
 * at once rather than as a promise, so the usual certificate-authenticated request takes no asynchronous turn.
 */
export function authenticateRequest(options: ChainOptions, credentials: RequestCredentials, now: Date): ChainResult | Promise<ChainResult> {
  const errors: string[] = []
  let sawCredential = false
  if (options.x509 && credentials.peerCertificates.length) {
    sawCredential = true
    const result = options.x509.authenticate(credentials.peerCertificates, now)
    if (isError(result)) errors.push(result.error)
    else if (result) return {authenticator: 'x509', user: authenticated(result.user)}
  }
  const token = bearerToken(credentials.authorization)
  if (token !== undefined) return withToken(options, token, errors, credentials.path)
  return unauthenticated(options, errors, sawCredential, credentials.path)
}

async function withToken(options: ChainOptions, token: string, errors: string[], path?: string): Promise<ChainResult> {
  const {errors: tokenErrors, name, result} = await authenticateToken(options.tokens, token, options.audiences)
  if (result && !isError(result)) {
    return {annotations: result.annotations, authenticator: name!, user: authenticated(result.user)}
  }
  errors.push(...tokenErrors)
  if (!tokenErrors.length) errors.push('invalid bearer token')
  return unauthenticated(options, errors, true, path)
}

function unauthenticated(options: ChainOptions, errors: string[], sawCredential: boolean, path?: string): ChainResult {
  // A presented certificate that fails, or a token nobody accepts, is a 401 even when anonymous is allowed.
  if (errors.length || (sawCredential && !options.anonymous)) return {errors: errors.length ? errors : ['no credentials accepted']}
  const paths = options.anonymousPaths
  if (options.anonymous && (!paths || (path !== undefined && paths.has(path)))) return {authenticator: 'anonymous', user: {groups: [ALL_UNAUTHENTICATED], username: ANONYMOUS}}
  return {errors: ['no credentials provided']}
}
