// The JWT authenticators of an AuthenticationConfiguration, run as kube-apiserver's OIDC authenticator runs them
// (apiserver plugin/pkg/authenticator/token/oidc with go-oidc's verifier): a fail-on-error union in file order; the
// first authenticator whose issuer equals the token's `iss` decides. Every step is recorded so a caller can explain
// the answer; errors are kube's own texts (they appear only in the API server's log there).
import type {UserInfo} from '../api/user.js'
import {unmarshalError} from '../go/json.js'
import {goQuoteList, quote} from '../go/quote.js'
import {checkOidcTimes} from '../token/identity.js'
import type {JsonWebKeySet} from '../token/keys.js'
import {verifySignature} from '../token/signature.js'
import type {CompiledExpression} from '../cel/index.js'
import type {CompiledJwtAuthenticator} from './validate.js'

/** With --authentication-config kube-apiserver accepts these (oidc.AllValidSigningAlgorithms, sorted). */
export const STRUCTURED_SIGNING_ALGORITHMS = ['ES256', 'ES384', 'ES512', 'PS256', 'PS384', 'PS512', 'RS256', 'RS384', 'RS512']

/** go-oidc v2 allows one minute on nbf and none on exp. */
const NBF_LEEWAY_MS = 60_000

export type StepName =
  | 'audience' | 'claim-validation' | 'extra' | 'groups' | 'issuer' | 'keys' | 'required-claim' | 'signature'
  | 'signing-algorithm' | 'times' | 'token' | 'uid' | 'user-validation' | 'username'

export interface Step {
  step: StepName
  /** jwt[i] of the authenticator that ran the step. */
  authenticator: number
  ok: boolean
  /** The authenticator did not claim the token (another issuer): not a failure, the union goes on. */
  skipped?: boolean
  detail: string
}

export interface JwtAuthenticationResult {
  authenticated: boolean
  /** Index in jwt[] of the authenticator whose issuer matched; absent when none did (the token is not for them). */
  authenticator?: number
  issuer?: string
  /** The mapped user, before the API server adds system:authenticated. */
  user?: UserInfo
  /** kube-apiserver's error text for a rejection. */
  error?: string
  /** Why the keys could not be had (an `oidc: authenticator not initialized` rejection). */
  cause?: string
  failedStep?: StepName
  steps: Step[]
}

/**
 * Keys for an issuer (from discovery, a JWKS URL or a JWKS file). `refresh` asks again for a token whose kid the
 * last set lacks (the issuer may have rotated its keys): undefined when that is not possible now. A rejection (the
 * issuer cannot be reached, answers wrongly) is kube's "not initialized"; its message is kept as the cause.
 */
export type KeySource = (issuerUrl: string, options?: {refresh?: boolean}) => Promise<JsonWebKeySet | undefined>

class Rejection extends Error {
  constructor(readonly step: StepName, message: string, readonly reason?: string) {
    super(message)
  }
}

/** AS oidc.untrustedIssuer: the unverified `iss` of a compact JWT (accounts.google.com coalesced), or undefined. */
export function untrustedIssuer(token: string): string | undefined {
  if (token.trim().startsWith('{')) return undefined
  const parts = token.split('.')
  if (parts.length !== 3) return undefined
  try {
    const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as {iss?: unknown}
    const iss = typeof claims?.iss === 'string' ? claims.iss : ''
    return iss === 'accounts.google.com' ? 'https://accounts.google.com' : iss
  } catch {
    return undefined
  }
}

/** Runs the union of JWT authenticators on a token. */
export async function authenticateJwt(token: string, authenticators: CompiledJwtAuthenticator[], keys: KeySource, now: Date): Promise<JwtAuthenticationResult> {
  const steps: Step[] = []
  const iss = untrustedIssuer(token)
  for (const [i, authenticator] of authenticators.entries()) {
    const url = authenticator.config.issuer.url
    if (iss !== url) {
      steps.push({authenticator: i, detail: iss === undefined ? 'not a compact JWT with a readable iss' : `token iss ${quote(iss)} is not ${quote(url)}`, ok: false, skipped: true, step: 'issuer'})
      continue
    }
    steps.push({authenticator: i, detail: `token iss matches ${quote(url)}`, ok: true, step: 'issuer'})
    const record = (step: StepName, detail: string) => steps.push({authenticator: i, detail, ok: true, step})
    try {
      const user = await runAuthenticator(token, authenticator, (refresh) => keys(url, {refresh}), now, record)
      return {authenticated: true, authenticator: i, issuer: url, steps, user}
    } catch (error) {
      if (!(error instanceof Rejection)) throw error
      steps.push({authenticator: i, detail: error.reason ? `${error.message}: ${error.reason}` : error.message, ok: false, step: error.step})
      return {authenticated: false, authenticator: i, error: error.message, failedStep: error.step, issuer: url, steps, ...(error.reason ? {cause: error.reason} : {})}
    }
  }
  return {authenticated: false, steps}
}

type Claims = Record<string, unknown>

const NOT_INITIALIZED = 'oidc: authenticator not initialized'

async function runAuthenticator(token: string, a: CompiledJwtAuthenticator, keys: (refresh: boolean) => Promise<JsonWebKeySet | undefined>, now: Date, record: (step: StepName, detail: string) => void): Promise<UserInfo> {
  let jwks: JsonWebKeySet | undefined
  try {
    jwks = await keys(false)
  } catch (error) {
    throw new Rejection('keys', NOT_INITIALIZED, (error as Error).message)
  }
  if (!jwks) throw new Rejection('keys', NOT_INITIALIZED)
  record('keys', `${jwks.keys.length} key${jwks.keys.length === 1 ? '' : 's'} in the issuer's JWKS`)
  const verify = (step: StepName, message: string) => new Rejection(step, `oidc: verify token: ${message}`)
  const [headerPart, payloadPart] = token.split('.')
  let header: Record<string, unknown>
  let claims: Claims
  try {
    header = JSON.parse(Buffer.from(headerPart, 'base64url').toString('utf8'))
    if (header === null || typeof header !== 'object') throw new Error('header is not a JSON object')
  } catch (error) {
    throw verify('token', `oidc: malformed jwt: ${(error as Error).message}`)
  }
  try {
    claims = JSON.parse(Buffer.from(payloadPart, 'base64url').toString('utf8'))
  } catch (error) {
    throw verify('token', `oidc: malformed jwt: ${(error as Error).message}`)
  }
  const tokenAudiences = audienceClaim(claims, verify)
  record('token', 'compact JWS with a JSON header and claims')

  // go-oidc: issuer, the single audience, exp/nbf, algorithm, signature; then kube's audience check.
  const audiences = a.config.issuer.audiences
  if (audiences.length === 1 && !tokenAudiences.includes(audiences[0])) {
    throw verify('audience', `oidc: expected audience ${quote(audiences[0])} got ${goQuoteList(tokenAudiences)}`)
  }
  try {
    checkOidcTimes(claims, now, {nbfMs: NBF_LEEWAY_MS})
  } catch (error) {
    throw new Rejection('times', (error as Error).message)
  }
  record('times', `exp${claims.nbf === undefined ? '' : ' and nbf'} valid at ${now.toISOString()}`)
  const alg = typeof header.alg === 'string' ? header.alg : ''
  const algorithms = a.signingAlgorithms ?? STRUCTURED_SIGNING_ALGORITHMS
  if (!algorithms.includes(alg)) {
    throw verify('signing-algorithm', `oidc: id token signed with unsupported algorithm, expected ${goQuoteList(algorithms)} got ${quote(alg)}`)
  }
  record('signing-algorithm', `${alg} is allowed`)
  let by = await verifiedBy(token, alg, jwks)
  if (by === undefined && typeof header.kid === 'string' && header.kid !== '' && !jwks.keys.some((k) => k.kid === header.kid)) {
    // A key the cached JWKS does not hold: fetch it again (rate-limited by the key source), as go-oidc does.
    const fresh = await keys(true).catch(() => undefined)
    if (fresh) {
      record('keys', `fetched the JWKS again for kid ${quote(header.kid)}`)
      by = await verifiedBy(token, alg, fresh)
    }
  }
  if (by === undefined) throw verify('signature', 'failed to verify signature: failed to verify id token signature')
  record('signature', `verified with ${by}`)
  if (!tokenAudiences.some((aud) => audiences.includes(aud))) {
    throw verify('audience', `oidc: expected audience in ${goQuoteList([...new Set(audiences)].sort())} got ${goQuoteList(tokenAudiences)}`)
  }
  record('audience', `token audience ${goQuoteList(tokenAudiences)} matches ${goQuoteList(audiences)}`)

  const user: UserInfo = {groups: [], username: mapUsername(a, claims)}
  record('username', `username ${quote(user.username)}`)
  user.groups = mapGroups(a, claims)
  record('groups', `groups ${goQuoteList(user.groups)}`)
  const uid = mapUid(a, claims)
  if (uid !== '') user.uid = uid
  record('uid', `uid ${quote(uid)}`)
  const extra = mapExtra(a, claims)
  if (Object.keys(extra).length > 0) user.extra = extra
  record('extra', Object.keys(extra).length === 0 ? 'no extra' : Object.entries(extra).map(([k, v]) => `${k}=${goQuoteList(v)}`).join(', '))

  for (const {rule, program} of a.claimValidation) {
    if (program) continue
    if (!(rule.claim in claims)) throw new Rejection('required-claim', `oidc: required claim ${rule.claim} not present in ID token`)
    const value = claims[rule.claim]
    if (typeof value !== 'string' && value !== null) throw new Rejection('required-claim', `oidc: parse claim ${rule.claim}: ${unmarshalError(value, 'string')}`)
    const got = value ?? ''
    if (got !== rule.requiredValue) throw new Rejection('required-claim', `oidc: required claim ${rule.claim} value does not match. Got = ${got}, want = ${rule.requiredValue}`)
    record('required-claim', `${rule.claim} = ${quote(rule.requiredValue)}`)
  }
  const claimRules = a.claimValidation.filter((r) => r.program).map((r) => ({message: r.rule.message, program: r.program!}))
  checkRules(claimRules, {claims}, 'claim-validation', 'oidc: error evaluating claim validation expression: ', record)
  const userValue = {extra: user.extra ?? {}, groups: user.groups, uid: user.uid ?? '', username: user.username}
  checkRules(a.userValidation, {user: userValue}, 'user-validation', 'oidc: error evaluating user info validation rule: ', record)
  return user
}

function audienceClaim(claims: Claims, verify: (step: StepName, message: string) => Rejection): string[] {
  const aud = claims.aud
  if (aud === undefined || aud === null) return []
  if (typeof aud === 'string') return [aud]
  if (Array.isArray(aud) && aud.every((x) => typeof x === 'string')) return aud
  throw verify('token', `oidc: failed to unmarshal claims: ${unmarshalError(aud, 'string')}`)
}

/** Which JWKS key verifies the signature with the token's algorithm (go-oidc's choice of keys); undefined: none. */
async function verifiedBy(token: string, alg: string, jwks: JsonWebKeySet): Promise<string | undefined> {
  try {
    return (await verifySignature(token, {jwks, kind: 'jwks', source: 'the issuer\'s JWKS'}, [alg]))?.by
  } catch {
    return undefined
  }
}

function evaluate(program: CompiledExpression, activation: Record<string, unknown>): unknown {
  try {
    return program.evaluate(activation)
  } catch (error) {
    throw new EvaluationFailure(`expression '${program.expression}' resulted in error: ${(error as Error).message}`)
  }
}

class EvaluationFailure extends Error {}

function mapUsername(a: CompiledJwtAuthenticator, claims: Claims): string {
  const mapping = a.config.claimMappings.username
  if (a.username) {
    const prefix = 'oidc: error evaluating username claim expression: '
    const value = withPrefix('username', prefix, () => evaluate(a.username!, {claims}))
    if (typeof value !== 'string') throw new Rejection('username', `${prefix}username claim expression must return a string`)
    if (value === '') throw new Rejection('username', 'oidc: empty username via CEL expression is not allowed')
    return value
  }
  const claim = mapping.claim
  if (!(claim in claims)) throw new Rejection('username', `oidc: parse username claims ${quote(claim)}: claim not present`)
  const value = claims[claim]
  if (typeof value !== 'string' && value !== null) throw new Rejection('username', `oidc: parse username claims ${quote(claim)}: ${unmarshalError(value, 'string')}`)
  if (claim === 'email' && 'email_verified' in claims) {
    const verified = claims.email_verified
    if (typeof verified !== 'boolean' && verified !== null) throw new Rejection('username', `oidc: parse 'email_verified' claim: ${unmarshalError(verified, 'bool')}`)
    if (verified !== true) throw new Rejection('username', 'oidc: email not verified')
  }
  return `${mapping.prefix ?? ''}${value ?? ''}`
}

function mapGroups(a: CompiledJwtAuthenticator, claims: Claims): string[] {
  const mapping = a.config.claimMappings.groups
  if (mapping.claim !== '' && mapping.claim in claims) {
    const value = claims[mapping.claim]
    let groups: string[]
    if (value === null) groups = []
    else if (Array.isArray(value) && value.every((g) => typeof g === 'string')) groups = value
    else if (typeof value === 'string') groups = [value]
    else throw new Rejection('groups', `oidc: parse groups claim ${quote(mapping.claim)}: ${unmarshalError(value, 'string')}`)
    return groups.map((g) => `${mapping.prefix ?? ''}${g}`)
  }
  if (!a.groups) return []
  const prefix = 'oidc: error evaluating group claim expression: '
  const value = withPrefix('groups', prefix, () => evaluate(a.groups!, {claims}))
  const groups = stringList(value)
  if (!groups) throw new Rejection('groups', `${prefix}expression must return a string or a list of strings`)
  return groups
}

function mapUid(a: CompiledJwtAuthenticator, claims: Claims): string {
  const claim = a.config.claimMappings.uid.claim
  if (claim !== '') {
    if (!(claim in claims)) throw new Rejection('uid', `oidc: parse uid claim ${quote(claim)}: claim not present`)
    const value = claims[claim]
    if (typeof value !== 'string' && value !== null) throw new Rejection('uid', `oidc: parse uid claim ${quote(claim)}: ${unmarshalError(value, 'string')}`)
    return value ?? ''
  }
  if (!a.uid) return ''
  const prefix = 'oidc: error evaluating uid claim expression: '
  const value = withPrefix('uid', prefix, () => evaluate(a.uid!, {claims}))
  if (typeof value !== 'string') throw new Rejection('uid', `${prefix}uid claim expression must return a string`)
  return value
}

function mapExtra(a: CompiledJwtAuthenticator, claims: Claims): Record<string, string[]> {
  const extra: Record<string, string[]> = {}
  if (typeof claims.jti === 'string' && claims.jti !== '') extra['authentication.kubernetes.io/credential-id'] = [`JTI=${claims.jti}`]
  // All mappings are evaluated before any result is converted; an evaluation error has no "oidc:" prefix.
  const results = a.extra.map(({key, program}) => ({key, program, value: withPrefix('extra', '', () => evaluate(program, {claims}))}))
  for (const {key, program, value} of results) {
    const values = stringList(value)
    if (!values) throw new Rejection('extra', `oidc: error evaluating extra claim expression: ${program.expression}: expression must return a string or a list of strings`)
    if (values.length > 0) extra[key] = values
  }
  return extra
}

/** convertCELValueToStringList: a string, a list of strings or null; "" and [] are "not present"; "" items dropped. */
function stringList(value: unknown): string[] | undefined {
  if (value === null) return []
  if (typeof value === 'string') return value === '' ? [] : [value]
  if (Array.isArray(value)) {
    if (!value.every((v) => typeof v === 'string')) return undefined
    return value.filter((v) => v !== '')
  }
  return undefined
}

function withPrefix<T>(step: StepName, prefix: string, run: () => T): T {
  try {
    return run()
  } catch (error) {
    if (error instanceof EvaluationFailure) throw new Rejection(step, `${prefix}${error.message}`)
    throw error
  }
}

/** Claim or user validation rules: all evaluated first, then checked in order (checkValidationRulesEvaluation). */
function checkRules(rules: Array<{message: string; program: CompiledExpression}>, activation: Record<string, unknown>, step: StepName, prefix: string, record: (step: StepName, detail: string) => void): void {
  const results = rules.map((rule) => ({...rule, value: withPrefix(step, prefix, () => evaluate(rule.program, activation))}))
  for (const {message, program, value} of results) {
    if (typeof value !== 'boolean') throw new Rejection(step, `${prefix}validation expression must return a boolean`)
    if (!value) throw new Rejection(step, `${prefix}validation expression '${program.expression}' failed: ${message}`)
    record(step, `${program.expression} → true`)
  }
}
