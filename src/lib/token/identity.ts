// What kube-apiserver makes of a token's claims (reference §7.4–§7.6): the ServiceAccount and OIDC user mappings, the
// time, audience and issuer checks, with the API server's own error wording. Pure functions of the claims (and of
// `now`), shared by `token verify/decode`, the reference server's authenticators and the OIDC login tool.
import {serviceAccountGroups, serviceAccountUsername, type UserInfo} from '../api/user.js'
import {goQuoteList} from '../go/quote.js'
import {goTime} from '../go/time.js'
import {AuthctlError} from '../output/errors.js'
import {bootstrapTokenId, parseJwt} from './jwt.js'

export const LEGACY_SA_ISSUER = 'kubernetes/serviceaccount'
const LEGACY = 'kubernetes.io/serviceaccount/'
export const LEGACY_CLAIMS = {
  namespace: `${LEGACY}namespace`,
  secretName: `${LEGACY}secret.name`,
  serviceAccountName: `${LEGACY}service-account.name`,
  serviceAccountUid: `${LEGACY}service-account.uid`,
} as const

export const EXTRA = {
  credentialId: 'authentication.kubernetes.io/credential-id',
  nodeName: 'authentication.kubernetes.io/node-name',
  nodeUid: 'authentication.kubernetes.io/node-uid',
  podName: 'authentication.kubernetes.io/pod-name',
  podUid: 'authentication.kubernetes.io/pod-uid',
} as const

/** go-jose's DefaultLeeway, used by the ServiceAccount authenticator for exp, nbf and iat. */
export const SERVICE_ACCOUNT_LEEWAY_MS = 60_000
/** go-oidc checks exp exactly and allows 5 minutes on nbf; it does not look at iat. */
export const OIDC_NBF_LEEWAY_MS = 5 * 60_000

export type TokenKind = 'bootstrap' | 'bound-serviceaccount' | 'legacy-serviceaccount' | 'oidc' | 'opaque'

export function tokenInvalid(message: string, hint?: string): AuthctlError {
  return new AuthctlError(message, {code: 'TOKEN_INVALID', hint})
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : ''
}

/** The token kind by shape and unverified claims, in the order kube-apiserver's token union would claim it. */
export function classifyToken(token: string): TokenKind {
  let claims: Record<string, unknown>
  try {
    if (bootstrapTokenId(token.trim())) return 'bootstrap'
    claims = parseJwt(token).claims
  } catch {
    return 'opaque'
  }
  if (claims.iss === LEGACY_SA_ISSUER) return 'legacy-serviceaccount'
  if (isObject(claims['kubernetes.io'])) return 'bound-serviceaccount'
  return 'oidc'
}

/** A NumericDate claim as a Date; undefined when absent. */
export function numericDate(claims: Record<string, unknown>, name: string): Date | undefined {
  const value = claims[name]
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'number' || !Number.isFinite(value)) throw tokenInvalid(`token claim "${name}" is not a number`)
  return new Date(Math.trunc(value) * 1000)
}

/** The aud claim as a list (a single string is one audience). */
export function audiences(claims: Record<string, unknown>): string[] {
  const aud = claims.aud
  if (aud === undefined || aud === null) return []
  if (typeof aud === 'string') return [aud]
  if (Array.isArray(aud) && aud.every((a) => typeof a === 'string')) return aud
  throw tokenInvalid('token claim "aud" is neither a string nor a list of strings')
}

/** exp/nbf/iat as go-jose's Claims.Validate checks them for ServiceAccount tokens (claims.go). */
export function checkServiceAccountTimes(claims: Record<string, unknown>, now: Date, leewayMs = SERVICE_ACCOUNT_LEEWAY_MS): void {
  const t = now.getTime()
  const exp = numericDate(claims, 'exp')
  const nbf = numericDate(claims, 'nbf')
  const iat = numericDate(claims, 'iat')
  if (nbf && t + leewayMs < nbf.getTime()) throw tokenInvalid('service account token is not valid yet')
  if (exp && t - leewayMs > exp.getTime()) throw tokenInvalid('service account token has expired')
  if (iat && t + leewayMs < iat.getTime()) throw tokenInvalid('service account token is issued in the future')
}

/** The audience intersection of the ServiceAccount authenticator (jwt.go); a token without aud gets the API audiences. */
export function checkServiceAccountAudience(claims: Record<string, unknown>, apiAudiences: string[]): string[] {
  const tokenAuds = audiences(claims)
  const effective = tokenAuds.length > 0 ? tokenAuds : apiAudiences
  const matched = effective.filter((a) => apiAudiences.includes(a))
  if (matched.length === 0) {
    throw tokenInvalid(`token audiences ${goQuoteList(effective)} is invalid for the target audiences ${goQuoteList(apiAudiences)}`)
  }
  return matched
}

export interface OidcTimeLeeway {
  /** Tolerance after exp; go-oidc allows none. */
  expMs?: number
  /** Tolerance before nbf; go-oidc allows 5 minutes. */
  nbfMs?: number
}

/** exp and nbf as go-oidc's verifier checks them, wrapped as kube-apiserver reports them. */
export function checkOidcTimes(claims: Record<string, unknown>, now: Date, leeway: OidcTimeLeeway = {}): void {
  const {expMs = 0, nbfMs = OIDC_NBF_LEEWAY_MS} = leeway
  const exp = numericDate(claims, 'exp')
  // A missing exp is Go's zero time, which is always in the past.
  if (!exp || exp.getTime() + expMs < now.getTime()) {
    const expiry = exp ? goTime(exp) : '0001-01-01 00:00:00 +0000 UTC'
    throw tokenInvalid(`oidc: verify token: oidc: token is expired (Token Expiry: ${expiry})`)
  }
  const nbf = numericDate(claims, 'nbf')
  if (nbf && now.getTime() + nbfMs < nbf.getTime()) {
    throw tokenInvalid(`oidc: verify token: oidc: current time ${goTime(now)} before the nbf (not before) time: ${goTime(nbf)}`)
  }
}

export function checkOidcIssuer(claims: Record<string, unknown>, issuerUrl: string): void {
  if (claims.iss !== issuerUrl) {
    throw tokenInvalid(`oidc: verify token: oidc: id token issued by a different provider, expected ${JSON.stringify(issuerUrl)} got ${JSON.stringify(str(claims.iss))}`)
  }
}

/** The client-id/audiences check kube-apiserver does after go-oidc (any configured audience must be present). */
export function checkOidcAudience(claims: Record<string, unknown>, expected: string[]): void {
  const tokenAuds = audiences(claims)
  if (!tokenAuds.some((a) => expected.includes(a))) {
    throw tokenInvalid(`oidc: expected audience in ${goQuoteList(expected)} got ${goQuoteList(tokenAuds)}`)
  }
}

function withExtra(user: UserInfo, key: string, value: string): void {
  user.extra = {...user.extra, [key]: [value]}
}

function credentialId(claims: Record<string, unknown>): string | undefined {
  const jti = str(claims.jti)
  return jti ? `JTI=${jti}` : undefined
}

function serviceAccountInfo(namespace: string, name: string, uid: string): UserInfo {
  return {
    groups: serviceAccountGroups(namespace),
    uid,
    username: serviceAccountUsername(namespace, name),
  }
}

function legacyUser(claims: Record<string, unknown>): UserInfo {
  const sub = str(claims.sub)
  const namespace = str(claims[LEGACY_CLAIMS.namespace])
  const secretName = str(claims[LEGACY_CLAIMS.secretName])
  const name = str(claims[LEGACY_CLAIMS.serviceAccountName])
  const uid = str(claims[LEGACY_CLAIMS.serviceAccountUid])
  if (!sub) throw tokenInvalid('sub claim is missing')
  if (!namespace) throw tokenInvalid('namespace claim is missing')
  if (!secretName) throw tokenInvalid('secretName claim is missing')
  if (!name) throw tokenInvalid('serviceAccountName claim is missing')
  if (!uid) throw tokenInvalid('serviceAccountUID claim is missing')
  if (sub !== serviceAccountUsername(namespace, name)) throw tokenInvalid('sub claim is invalid')
  return serviceAccountInfo(namespace, name, uid)
}

function boundUser(claims: Record<string, unknown>): UserInfo {
  const k8s = claims['kubernetes.io'] as Record<string, unknown>
  const namespace = str(k8s.namespace)
  const sa = isObject(k8s.serviceaccount) ? k8s.serviceaccount : {}
  if (!namespace || !str(sa.name)) {
    throw tokenInvalid('service account token claims could not be validated: kubernetes.io claim has no namespace or serviceaccount name')
  }
  const user = serviceAccountInfo(namespace, str(sa.name), str(sa.uid))
  const pod = isObject(k8s.pod) ? k8s.pod : undefined
  const node = isObject(k8s.node) ? k8s.node : undefined
  if (pod && str(pod.name) && str(pod.uid)) {
    withExtra(user, EXTRA.podName, str(pod.name))
    withExtra(user, EXTRA.podUid, str(pod.uid))
  }
  const credential = credentialId(claims)
  if (credential) withExtra(user, EXTRA.credentialId, credential)
  if (node && str(node.name)) {
    withExtra(user, EXTRA.nodeName, str(node.name))
    if (str(node.uid)) withExtra(user, EXTRA.nodeUid, str(node.uid))
  }
  return user
}

/** The user kube-apiserver derives from legacy or bound ServiceAccount claims (AS serviceaccount/util.go UserInfo). */
export function serviceAccountUser(claims: Record<string, unknown>): UserInfo {
  if (isObject(claims['kubernetes.io'])) return boundUser(claims)
  if (claims.iss === LEGACY_SA_ISSUER || LEGACY_CLAIMS.namespace in claims) return legacyUser(claims)
  throw tokenInvalid('not a ServiceAccount token: no "kubernetes.io" claim and not issued by kubernetes/serviceaccount')
}

/** The user for a kubeadm bootstrap token, before the Secret lookup adds auth-extra-groups. */
export function bootstrapUser(tokenId: string): UserInfo {
  return {groups: ['system:bootstrappers'], username: `system:bootstrap:${tokenId}`}
}

export interface OidcClaimMapping {
  issuerUrl: string
  /** --oidc-username-claim, default sub. */
  usernameClaim?: string
  /** --oidc-username-prefix; unset or empty means `<issuer>#` unless the claim is email; `-` means none. */
  usernamePrefix?: string
  groupsClaim?: string
  groupsPrefix?: string
  /** --oidc-required-claim key=value pairs. */
  requiredClaims?: Record<string, string>
}

/** The username prefix the --oidc-* flags resolve to (options/authentication.go). */
export function oidcUsernamePrefix(mapping: OidcClaimMapping): string {
  const prefix = mapping.usernamePrefix ?? ''
  const claim = mapping.usernameClaim || 'sub'
  if (prefix === '-') return ''
  if (prefix === '' && claim !== 'email') return `${mapping.issuerUrl}#`
  return prefix
}

/** Go's json.Unmarshal type error for a claim that is not the expected type. */
function goTypeError(value: unknown, want: 'bool' | 'string'): string {
  const got = typeof value === 'number' ? 'number' : typeof value === 'boolean' ? 'bool' : Array.isArray(value) ? 'array' : typeof value === 'string' ? 'string' : 'object'
  return `json: cannot unmarshal ${got} into Go value of type ${want}`
}

/** The user kube-apiserver derives from verified OIDC claims with the --oidc-* flags (AS oidc.go). */
export function oidcUser(claims: Record<string, unknown>, mapping: OidcClaimMapping): UserInfo {
  for (const [claim, want] of Object.entries(mapping.requiredClaims ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
    if (!(claim in claims)) throw tokenInvalid(`oidc: required claim ${claim} not present in ID token`)
    const got = claims[claim]
    if (typeof got !== 'string') throw tokenInvalid(`oidc: parse claim ${claim}: ${goTypeError(got, 'string')}`)
    if (got !== want) throw tokenInvalid(`oidc: required claim ${claim} value does not match. Got = ${got}, want = ${want}`)
  }

  const usernameClaim = mapping.usernameClaim || 'sub'
  if (!(usernameClaim in claims)) throw tokenInvalid(`oidc: parse username claims ${JSON.stringify(usernameClaim)}: claim not present`)
  const username = claims[usernameClaim]
  if (typeof username !== 'string') {
    throw tokenInvalid(`oidc: parse username claims ${JSON.stringify(usernameClaim)}: ${goTypeError(username, 'string')}`)
  }
  if (usernameClaim === 'email' && 'email_verified' in claims) {
    const verified = claims.email_verified
    if (typeof verified !== 'boolean') throw tokenInvalid(`oidc: parse 'email_verified' claim: ${goTypeError(verified, 'bool')}`)
    if (!verified) throw tokenInvalid('oidc: email not verified')
  }
  const user: UserInfo = {groups: [], username: oidcUsernamePrefix(mapping) + username}

  const groupsClaim = mapping.groupsClaim
  if (groupsClaim && groupsClaim in claims) {
    const value = claims[groupsClaim]
    const groups = typeof value === 'string' ? [value] : value
    if (!Array.isArray(groups) || !groups.every((g) => typeof g === 'string')) {
      const bad = Array.isArray(groups) ? groups.find((g) => typeof g !== 'string') : value
      throw tokenInvalid(`oidc: parse groups claim ${JSON.stringify(groupsClaim)}: ${goTypeError(bad, 'string')}`)
    }
    user.groups = groups.map((g: string) => (mapping.groupsPrefix ?? '') + g)
  }
  const credential = credentialId(claims)
  if (credential) withExtra(user, EXTRA.credentialId, credential)
  return user
}
