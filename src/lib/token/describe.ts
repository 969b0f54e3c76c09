// The unverified reading of a token for `token decode`: header, claims, times, and what kube-apiserver would make of
// it if it trusted the signature. No crypto here; decoding stays cheap.
import type {UserInfo} from '../api/user.js'
import {relativeTime, rfc3339} from '../go/time.js'
import {
  bootstrapUser,
  checkOidcTimes,
  checkServiceAccountTimes,
  classifyToken,
  numericDate,
  type OidcClaimMapping,
  oidcUser,
  serviceAccountUser,
  type TokenKind,
} from './identity.js'
import {bootstrapTokenId, normalizeToken, parseJwt} from './jwt.js'

export const KIND_LABELS: Record<TokenKind, string> = {
  bootstrap: 'bootstrap token',
  'bound-serviceaccount': 'bound ServiceAccount token',
  'legacy-serviceaccount': 'legacy ServiceAccount token (Secret-based)',
  oidc: 'OIDC ID token',
  opaque: 'opaque token',
}

export interface TimeClaim {
  claim: string
  time: string
  relative: string
}

export interface TokenDescription {
  verified: false
  kind: TokenKind
  header?: Record<string, unknown>
  claims?: Record<string, unknown>
  times: TimeClaim[]
  kubernetes: {
    user?: UserInfo
    /** Why kube-apiserver would reject it, judging by the claims alone. */
    problem?: string
    boundTo?: Record<string, {name: string; uid?: string}>
    warnAfter?: string
  }
  warnings: string[]
}

function timeClaim(claim: string, date: Date | undefined, now: Date): TimeClaim | undefined {
  if (!date) return undefined
  const rel = relativeTime(date, now)
  const relative = claim === 'exp' ? (date > now ? `expires ${rel}` : `expired ${rel}`) : rel
  return {claim, relative, time: rfc3339(date)}
}

function catching(fn: () => void): string | undefined {
  try {
    fn()
    return undefined
  } catch (error) {
    return (error as Error).message
  }
}

/** Decodes a token without verifying it; throws for input that is neither a JWT nor a bootstrap token. */
export function describeToken(input: string, now: Date, mapping: Omit<OidcClaimMapping, 'issuerUrl'> = {}): TokenDescription {
  const token = normalizeToken(input)
  const bootstrapId = bootstrapTokenId(token)
  if (bootstrapId) {
    return {kind: 'bootstrap', kubernetes: {user: bootstrapUser(bootstrapId)}, times: [], verified: false, warnings: ['the Secret kube-system/bootstrap-token-' + bootstrapId + ' decides validity, expiry and extra groups']}
  }
  const {claims, header} = parseJwt(token)
  const kind = classifyToken(token)
  const warnings: string[] = []
  if (header.alg === 'none') warnings.push('alg "none": the token is unsigned and no API server accepts it')
  if (typeof header.alg === 'string' && header.alg.startsWith('HS')) warnings.push(`alg ${header.alg}: kube-apiserver never accepts HMAC-signed tokens`)
  const times: TimeClaim[] = []
  for (const name of ['iat', 'nbf', 'exp']) {
    let date: Date | undefined
    const problem = catching(() => (date = numericDate(claims, name)))
    if (problem) warnings.push(problem)
    const entry = timeClaim(name, date, now)
    if (entry) times.push(entry)
  }
  const kubernetes: TokenDescription['kubernetes'] = {}
  if (kind === 'oidc') {
    const issuerUrl = String(claims.iss ?? '')
    kubernetes.problem = catching(() => (kubernetes.user = oidcUser(claims, {...mapping, issuerUrl}))) ?? catching(() => checkOidcTimes(claims, now))
  } else {
    kubernetes.problem = catching(() => (kubernetes.user = serviceAccountUser(claims))) ?? catching(() => checkServiceAccountTimes(claims, now))
    const k8s = claims['kubernetes.io'] as Record<string, unknown> | undefined
    if (k8s) {
      const boundTo: Record<string, {name: string; uid?: string}> = {}
      for (const ref of ['pod', 'node', 'secret']) {
        const value = k8s[ref] as {name?: unknown; uid?: unknown} | undefined
        if (value && typeof value.name === 'string') boundTo[ref] = {name: value.name, ...(typeof value.uid === 'string' ? {uid: value.uid} : {})}
      }
      if (Object.keys(boundTo).length > 0) kubernetes.boundTo = boundTo
      let warnAfter: Date | undefined
      const problem = catching(() => (warnAfter = numericDate(k8s, 'warnafter')))
      if (problem) warnings.push(problem.replace('token claim', 'kubernetes.io claim'))
      if (warnAfter) kubernetes.warnAfter = timeClaim('warnafter', warnAfter, now)!.time
    }
  }
  if (kubernetes.problem === undefined) delete kubernetes.problem
  return {claims, header, kind, kubernetes, times, verified: false, warnings}
}
