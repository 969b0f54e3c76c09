// ServiceAccount token authentication (KK pkg/serviceaccount/jwt.go, claims.go, legacy.go): legacy secret-based
// tokens (iss kubernetes/serviceaccount) and bound tokens (iss one of --service-account-issuer), signatures checked
// against --service-account-key-file keys, then time and audience checks. There is no object store behind this
// server, so the ServiceAccount/Secret/Pod lookups a cluster does are not made.
import {createHash, createPublicKey, type KeyObject, X509Certificate} from 'node:crypto'

import {boundServiceAccountUser, ClaimError, legacyServiceAccountUser} from './claims.js'
import {audienceList, goQuoteList, joseModule, unverifiedClaims} from './jwt.js'
import type {AuthResult, TokenAuthenticator} from './types.js'

export const LEGACY_ISSUER = 'kubernetes/serviceaccount'
/** go-jose's DefaultLeeway. */
const LEEWAY_S = 60
const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512', 'PS256', 'PS384', 'PS512']

/** Public keys from a PEM file: public keys, certificates, or private keys (their public half). */
export function parsePublicKeys(pem: string): KeyObject[] {
  const blocks = pem.match(/-----BEGIN ([A-Z ]+)-----[\s\S]+?-----END \1-----/g) ?? []
  return blocks.map((block) => (block.startsWith('-----BEGIN CERTIFICATE') ? new X509Certificate(block).publicKey : createPublicKey(block)))
}

/** kube-apiserver's key ID: unpadded base64url of the SHA-256 of the PKIX DER public key. */
export function keyId(key: KeyObject): string {
  return createHash('sha256').update(key.export({format: 'der', type: 'spki'})).digest('base64url')
}

export interface ServiceAccountOptions {
  keys: () => KeyObject[]
  issuers: string[]
  apiAudiences: string[]
  now: () => Date
}

export function serviceAccountAuthenticator(options: ServiceAccountOptions): TokenAuthenticator {
  return {
    async authenticateToken(token): Promise<AuthResult> {
      const unverified = unverifiedClaims(token)
      if (!unverified) return undefined
      const legacy = unverified.iss === LEGACY_ISSUER
      if (!legacy && !options.issuers.includes(String(unverified.iss))) return undefined
      const {compactVerify} = await joseModule()
      let claims: Record<string, unknown> | undefined
      for (const key of options.keys()) {
        try {
          claims = JSON.parse(Buffer.from((await compactVerify(token, key, {algorithms: ALGORITHMS})).payload).toString('utf8'))
          break
        } catch {
          // try the next key
        }
      }
      if (!claims) return {error: 'go-jose/go-jose: error in cryptographic primitive'}
      try {
        if (legacy) {
          const user = legacyServiceAccountUser(claims)
          return {annotations: {'authentication.k8s.io/legacy-token': user.username}, audiences: options.apiAudiences, user}
        }
        const t = options.now().getTime() / 1000
        const num = (name: string) => (typeof claims![name] === 'number' ? (claims![name] as number) : undefined)
        const [exp, nbf, iat] = [num('exp'), num('nbf'), num('iat')]
        if (nbf !== undefined && t + LEEWAY_S < nbf) return {error: 'service account token is not valid yet'}
        if (exp !== undefined && t - LEEWAY_S > exp) return {error: 'service account token has expired'}
        if (iat !== undefined && t + LEEWAY_S < iat) return {error: 'service account token is issued in the future'}
        const tokenAudiences = audienceList(claims)
        const matched = tokenAudiences.filter((a) => options.apiAudiences.includes(a))
        if (!matched.length) return {error: `token audiences ${goQuoteList(tokenAudiences)} is invalid for the target audiences ${goQuoteList(options.apiAudiences)}`}
        const user = boundServiceAccountUser(claims)
        const k8s = claims['kubernetes.io'] as {warnafter?: number}
        const stale = typeof k8s.warnafter === 'number' && t > k8s.warnafter
        return {audiences: matched, user, ...(stale ? {annotations: {'authentication.k8s.io/stale-token': `subject: ${user.username}, seconds after warning threshold: ${Math.floor(t - k8s.warnafter!)}`}} : {})}
      } catch (error) {
        if (error instanceof ClaimError) return {error: error.message}
        throw error
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
