// OIDC ID token authentication with the --oidc-* flags (AS plugin/pkg/authenticator/token/oidc): the issuer's
// discovery document and JWKS are fetched on first use (and again when a token names an unknown key), signatures are
// checked with jose, then issuer, audience, expiry and the claim mappings as kube-apiserver applies them.
import {checkOidcAudience, checkOidcTimes, type OidcClaimMapping, oidcUser} from '../token/identity.js'
import {httpsJson} from './https.js'
import {joseModule, tokenErrorResult, unverifiedClaims} from './jwt.js'
import type {AuthResult, TokenAuthenticator} from './types.js'

export interface OidcOptions extends OidcClaimMapping {
  clientId: string
  caPem?: string
  signingAlgs?: string[]
  now: () => Date
}

const REFRESH_MIN_MS = 10_000

export function oidcAuthenticator(options: OidcOptions): TokenAuthenticator {
  if (!options.issuerUrl.startsWith('https://')) throw new Error(`--oidc-issuer-url must use https: ${options.issuerUrl}`)
  let jwks: Promise<{keys: unknown[]}> | undefined
  let fetchedAt = 0
  const loadKeys = () => {
    fetchedAt = Date.now()
    jwks = (async () => {
      const base = options.issuerUrl.replace(/\/$/, '')
      const discovery = await httpsJson(`${base}/.well-known/openid-configuration`, {ca: options.caPem})
      if (discovery.status !== 200) throw new Error(`oidc: get provider: ${discovery.status}`)
      if (discovery.json.issuer !== options.issuerUrl) {
        throw new Error(`oidc: issuer did not match the issuer returned by provider, expected ${JSON.stringify(options.issuerUrl)} got ${JSON.stringify(discovery.json.issuer)}`)
      }
      const keys = await httpsJson(discovery.json.jwks_uri, {ca: options.caPem})
      if (keys.status !== 200 || !Array.isArray(keys.json.keys)) throw new Error(`oidc: fetching keys: HTTP ${keys.status}`)
      return keys.json
    })()
    jwks.catch(() => (jwks = undefined))
    return jwks
  }
  const algorithms = options.signingAlgs?.length ? options.signingAlgs : ['RS256']

  return {
    async authenticateToken(token): Promise<AuthResult> {
      const unverified = unverifiedClaims(token)
      if (!unverified || unverified.iss !== options.issuerUrl) return undefined
      const {compactVerify, createLocalJWKSet, errors} = await joseModule()
      let claims: Record<string, unknown>
      try {
        let set = createLocalJWKSet((await (jwks ?? loadKeys())) as any)
        let verified
        try {
          verified = await compactVerify(token, set, {algorithms})
        } catch (error) {
          if (!(error instanceof errors.JWKSNoMatchingKey) || Date.now() - fetchedAt < REFRESH_MIN_MS) throw error
          set = createLocalJWKSet((await loadKeys()) as any)
          verified = await compactVerify(token, set, {algorithms})
        }
        claims = JSON.parse(Buffer.from(verified.payload).toString('utf8'))
      } catch (error) {
        return {error: `oidc: verify token: failed to verify signature: ${(error as Error).message}`}
      }
      try {
        checkOidcTimes(claims, options.now())
        checkOidcAudience(claims, [options.clientId])
        return {user: oidcUser(claims, options)}
      } catch (error) {
        return tokenErrorResult(error)
      }
    },
    name: 'oidc',
  }
}
