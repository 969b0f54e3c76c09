// ServiceAccount token authentication (KK pkg/serviceaccount/jwt.go, claims.go, legacy.go): legacy secret-based
// tokens (iss kubernetes/serviceaccount) and bound tokens (iss one of --service-account-issuer), signatures checked
// against --service-account-key-file keys, then time and audience checks, then (when objects are given) the
// ServiceAccount/Secret/Pod/Node lookups of lookup.ts.
import {createHash, type KeyObject} from 'node:crypto'

import type {ObjectStore} from '../api/objects.js'
import {goQuoteList} from '../go/quote.js'
import {audiences, checkServiceAccountTimes, LEGACY_SA_ISSUER, serviceAccountUser, tokenInvalid} from '../token/identity.js'
import {verifySignature} from '../token/signature.js'
import {checkServiceAccountObjects} from './lookup.js'
import {joseModule, tokenErrorResult, unverifiedClaims} from './jwt.js'
import type {AuthResult, TokenAuthenticator} from './types.js'

const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512', 'PS256', 'PS384', 'PS512']

/** kube-apiserver's key ID: unpadded base64url of the SHA-256 of the PKIX DER public key. */
export function keyId(key: KeyObject): string {
  return createHash('sha256').update(key.export({format: 'der', type: 'spki'})).digest('base64url')
}

export interface ServiceAccountOptions {
  keys: () => KeyObject[]
  issuers: string[]
  apiAudiences: string[]
  now: () => Date
  /** --objects: the current object store; without it no lookups are made. */
  objects?: () => ObjectStore
  /** --service-account-lookup (default true): look legacy tokens up too. */
  legacyLookup?: boolean
}

/**
 * jwt.go's audience rule, for legacy and bound tokens alike: a token without `aud` has the API audiences (implicit
 * audiences); the token's audiences must meet the requested ones (a TokenReview's spec.audiences, else the API
 * audiences) unless the server has no API audiences at all. Returns the audiences met.
 */
export function serviceAccountAudiences(claims: Record<string, unknown>, implicit: string[], requested?: string[]): string[] {
  const own = audiences(claims)
  const tokenAudiences = own.length ? own : implicit
  const wanted = requested?.length ? requested : implicit
  const met = tokenAudiences.filter((a) => wanted.includes(a))
  if (!met.length && implicit.length) {
    throw tokenInvalid(`token audiences ${goQuoteList(tokenAudiences)} is invalid for the target audiences ${goQuoteList(wanted)}`)
  }
  return met
}

export function serviceAccountAuthenticator(options: ServiceAccountOptions): TokenAuthenticator {
  return {
    async authenticateToken(token, requested): Promise<AuthResult> {
      const unverified = unverifiedClaims(token)
      if (!unverified) return undefined
      const legacy = unverified.iss === LEGACY_SA_ISSUER
      if (!legacy && !options.issuers.includes(String(unverified.iss))) return undefined
      let claims: Record<string, unknown> | undefined
      try {
        const verified = await verifySignature(token, {keys: options.keys(), kind: 'pem', source: '--service-account-key-file'}, ALGORITHMS)
        if (verified) claims = JSON.parse(Buffer.from(verified.payload).toString('utf8'))
      } catch {
        // a malformed token verifies with no key
      }
      if (!claims) return {error: 'go-jose/go-jose: error in cryptographic primitive'}
      try {
        const user = serviceAccountUser(claims)
        const matched = serviceAccountAudiences(claims, options.apiAudiences, requested)
        const now = options.now()
        if (!legacy) checkServiceAccountTimes(claims, now)
        if (options.objects) checkServiceAccountObjects(token, claims, {legacyLookup: options.legacyLookup ?? true, now, objects: options.objects()})
        if (legacy) return {annotations: {'authentication.k8s.io/legacy-token': user.username}, audiences: matched, user}
        const warnAfter = (claims['kubernetes.io'] as {warnafter?: unknown}).warnafter
        const late = typeof warnAfter === 'number' ? Math.floor(now.getTime() / 1000 - warnAfter) : -1
        return {audiences: matched, user, ...(late > 0 ? {annotations: {'authentication.k8s.io/stale-token': `subject: ${user.username}, seconds after warning threshold: ${late}`}} : {})}
      } catch (error) {
        return tokenErrorResult(error)
      }
    },
    name: 'serviceaccount',
  }
}

/** The documents kube-apiserver serves for ServiceAccount issuer discovery. */
export async function issuerDiscovery(issuer: string, keys: KeyObject[]) {
  const {exportJWK} = await joseModule()
  const jwks = {
    keys: await Promise.all(keys.map(async (key) => {
      const alg = key.asymmetricKeyType === 'ec'
        ? ({'P-256': 'ES256', 'P-384': 'ES384', 'P-521': 'ES512'} as Record<string, string>)[String(key.asymmetricKeyDetails?.namedCurve === 'prime256v1' ? 'P-256' : key.asymmetricKeyDetails?.namedCurve === 'secp384r1' ? 'P-384' : 'P-521')]
        : 'RS256'
      return {use: 'sig', ...(await exportJWK(key)), alg, kid: keyId(key)}
    })),
  }
  const openid = {
    issuer,
    jwks_uri: `${issuer.replace(/\/$/, '')}/openid/v1/jwks`,
    response_types_supported: ['id_token'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: [...new Set(jwks.keys.map((k) => k.alg))],
  }
  return {jwks, openid}
}
