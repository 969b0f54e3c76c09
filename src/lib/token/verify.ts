// Token verification the way kube-apiserver's authenticators run it: the ServiceAccount path (issuer → signature →
// audience → times → claims) or the OIDC path (go-oidc: issuer → times → algorithm → signature; then audience,
// required claims, username and groups). jose does the cryptography; the claim rules and wording are identity.ts's.

import {goQuoteList} from '../go/quote.js'
import type {UserInfo} from '../api/user.js'
import {
  checkOidcAudience,
  checkOidcIssuer,
  checkOidcTimes,
  checkServiceAccountAudience,
  checkServiceAccountTimes,
  classifyToken,
  LEGACY_SA_ISSUER,
  type OidcClaimMapping,
  oidcUser,
  serviceAccountUser,
  type TokenKind,
  tokenInvalid,
} from './identity.js'
import type {ObjectStore} from '../api/objects.js'
import {checkServiceAccountObjects} from '../authn/lookup.js'
import {AuthctlError, usageError} from '../output/errors.js'
import {bootstrapTokenId, normalizeToken, parseJwt} from './jwt.js'
import type {VerificationKeys} from './keys.js'
import {ASYMMETRIC_ALGORITHMS, KeySetError, verifySignature} from './signature.js'

/** Validates a user's --alg list against the asymmetric allow-list. */
export function parseAlgorithms(values: string[] | undefined): string[] {
  if (!values || values.length === 0) return [...ASYMMETRIC_ALGORITHMS]
  for (const alg of values) {
    if (/^none$/i.test(alg)) throw usageError('algorithm "none" is never accepted', 'unsigned tokens cannot be verified')
    if (/^HS/i.test(alg)) {
      throw usageError(`algorithm ${JSON.stringify(alg)} is not accepted`, 'HMAC tokens would be checked with the public key as the secret; only asymmetric algorithms are verified')
    }
    if (!(ASYMMETRIC_ALGORITHMS as readonly string[]).includes(alg)) {
      throw usageError(`unknown algorithm ${JSON.stringify(alg)}`, `use ${ASYMMETRIC_ALGORITHMS.join(', ')}`)
    }
  }
  return values
}

export interface VerifyOptions {
  keys: VerificationKeys
  /** The issuer the token must carry (--service-account-issuer / --oidc-issuer-url). */
  issuer?: string
  /** API audiences (ServiceAccount) or client IDs (OIDC). */
  audiences?: string[]
  algorithms?: string[]
  /** Overrides the authenticators' own leeways (ServiceAccount 60s; OIDC exp 0, nbf 5m). */
  clockSkewMs?: number
  now: Date
  oidc?: Omit<OidcClaimMapping, 'issuerUrl'>
  /** ServiceAccounts, Pods, Secrets and Nodes to look a ServiceAccount token up in, as kube-apiserver does. */
  objects?: ObjectStore
}

export interface VerifyCheck {
  name: string
  /** False only for the failing check; a skipped check is not a failure. */
  ok: boolean
  /** True when nothing was given to check against (no --issuer, no --audience). */
  skipped?: boolean
  detail: string
}

/** A step's answer when it had nothing to check against. */
class Skipped {
  constructor(readonly detail: string) {}
}

export interface VerifyReport {
  valid: boolean
  /** Why it is invalid, in the API server's words where it has them. */
  reason?: string
  kind: TokenKind
  header: Record<string, unknown>
  claims: Record<string, unknown>
  checks: VerifyCheck[]
  /** The user kube-apiserver would derive (before system:authenticated is added). */
  user?: UserInfo
  /** Checks that were skipped for lack of an expected value. */
  warnings: string[]
}

/** Verifies a token; a rejected token gives valid: false and the reason, malformed input or unusable keys throw. */
export async function verifyToken(input: string, options: VerifyOptions): Promise<VerifyReport> {
  const token = normalizeToken(input)
  const bootstrapId = bootstrapTokenId(token)
  if (bootstrapId) {
    throw new AuthctlError('a bootstrap token has no signature to verify', {code: 'TOKEN_MALFORMED', hint: `kube-apiserver checks it against Secret kube-system/bootstrap-token-${bootstrapId}; token decode shows its user`})
  }
  const {claims, header} = parseJwt(token)
  const kind = classifyToken(token)
  const algorithms = options.algorithms ?? [...ASYMMETRIC_ALGORITHMS]
  const report: VerifyReport = {checks: [], claims, header, kind, valid: false, warnings: []}
  const alg = String(header.alg)
  const oidc = kind === 'oidc'
  const skew = options.clockSkewMs
  const issuer = options.issuer

  const steps: Array<[string, () => Promise<string | void> | string | Skipped | void]> = []
  const issuerStep = (): string | Skipped => {
    if (kind === 'legacy-serviceaccount') return `${LEGACY_SA_ISSUER} (legacy tokens always carry it)`
    if (!issuer) {
      report.warnings.push('issuer not checked: pass --issuer')
      return new Skipped(`${JSON.stringify(claims.iss ?? '')} (no --issuer to compare with)`)
    }
    if (oidc) checkOidcIssuer(claims, issuer)
    else if (claims.iss !== issuer) {
      // kube-apiserver skips tokens from other issuers ("not mine"); the request then ends in a 401.
      throw tokenInvalid(`token issuer ${JSON.stringify(claims.iss ?? '')} is not the service account issuer ${JSON.stringify(issuer)}`, 'kube-apiserver ignores such a token and answers 401 "invalid bearer token"')
    }
    return JSON.stringify(issuer)
  }
  const algorithmStep = (): string => {
    if (!algorithms.includes(alg)) {
      throw tokenInvalid(
        oidc
          ? `oidc: verify token: oidc: id token signed with unsupported algorithm, expected ${goQuoteList(algorithms)} got ${JSON.stringify(alg)}`
          : `token signed with unsupported algorithm ${JSON.stringify(alg)}, expected one of ${goQuoteList(algorithms)}`,
      )
    }
    return alg
  }
  const signatureStep = async (): Promise<string> => {
    let verified
    try {
      verified = await verifySignature(token, options.keys, algorithms)
    } catch (error) {
      throw error instanceof KeySetError ? tokenInvalid(error.message) : error
    }
    if (!verified) {
      throw tokenInvalid(oidc ? 'oidc: verify token: failed to verify signature: failed to verify id token signature' : 'go-jose/go-jose: error in cryptographic primitive', 'the signature does not match any of the given keys')
    }
    return `${alg}, ${verified.by}`
  }
  const audienceStep = (): string | Skipped => {
    const expected = options.audiences?.length ? options.audiences : !oidc && issuer ? [issuer] : []
    if (expected.length === 0) {
      report.warnings.push('audience not checked: pass --audience')
      return new Skipped(`${goQuoteList(Array.isArray(claims.aud) ? claims.aud.map(String) : claims.aud === undefined ? [] : [String(claims.aud)])} (no --audience to compare with)`)
    }
    if (oidc) checkOidcAudience(claims, expected)
    else return goQuoteList(checkServiceAccountAudience(claims, expected))
    return goQuoteList(expected)
  }
  const timesStep = (): string => {
    if (oidc) {
      checkOidcTimes(claims, options.now, skew === undefined ? {} : {expMs: skew, nbfMs: skew})
      return 'exp and nbf'
    }
    checkServiceAccountTimes(claims, options.now, skew)
    return 'exp, nbf and iat'
  }
  const userStep = (): string => {
    report.user = oidc ? oidcUser(claims, {...options.oidc, issuerUrl: issuer ?? String(claims.iss ?? '')}) : serviceAccountUser(claims)
    return report.user.username
  }

  const objectsStep = (): string => {
    checkServiceAccountObjects(token, claims, {legacyLookup: true, now: options.now, objects: options.objects!})
    return 'the ServiceAccount and the objects the token is bound to exist'
  }

  if (oidc) steps.push(['issuer', issuerStep], ['times', timesStep], ['algorithm', algorithmStep], ['signature', signatureStep], ['audience', audienceStep], ['claims', userStep])
  else steps.push(['issuer', issuerStep], ['algorithm', algorithmStep], ['signature', signatureStep], ['audience', audienceStep], ['times', timesStep], ['claims', userStep])
  if (!oidc && options.objects) steps.push(['objects', objectsStep])

  for (const [name, step] of steps) {
    try {
      const outcome = await step()
      report.checks.push(outcome instanceof Skipped ? {detail: outcome.detail, name, ok: true, skipped: true} : {detail: outcome ?? '', name, ok: true})
    } catch (error) {
      if ((error as {code?: string}).code !== 'TOKEN_INVALID') throw error
      report.checks.push({detail: (error as Error).message, name, ok: false})
      report.reason = (error as Error).message
      return report
    }
  }
  report.valid = true
  return report
}
