// OIDC ID token authentication with the --oidc-* flags (AS plugin/pkg/authenticator/token/oidc): the issuer's
// discovery document and JWKS are fetched on first use (and again when a token names an unknown key: lib/net/issuer),
// the signature is checked (token/signature), then expiry, audience and the claim mappings as kube-apiserver applies them.
import {checkOidcAudience, checkOidcTimes, type OidcClaimMapping, oidcUser} from '../token/identity.js'
import {parseJson} from '../net/client.js'
import {Issuer, type JsonWebKeySet} from '../net/issuer.js'
import {NoMatchingKey, verifySignature} from '../token/signature.js'
import {authnClient} from './https.js'
import {tokenErrorResult, unverifiedClaims} from './jwt.js'
import type {AuthResult, TokenAuthenticator} from './types.js'

export interface OidcOptions extends OidcClaimMapping {
  clientId: string
  caPem?: string
  signingAlgs?: string[]
  now: () => Date
}

export function oidcAuthenticator(options: OidcOptions): TokenAuthenticator {
  if (!options.issuerUrl.startsWith('https://')) throw new Error(`--oidc-issuer-url must use https: ${options.issuerUrl}`)
  const client = authnClient({ca: options.caPem})
  const issuer = new Issuer(options.issuerUrl, async (url) => {
    const res = await client.request(url, {headers: {Accept: 'application/json'}})
    return {json: parseJson(res.body), status: res.status}
  })
  const algorithms = options.signingAlgs?.length ? options.signingAlgs : ['RS256']

  return {
    async authenticateToken(token): Promise<AuthResult> {
      const unverified = unverifiedClaims(token)
      if (!unverified || unverified.iss !== options.issuerUrl) return undefined
      let claims: Record<string, unknown>
      try {
        const verify = async (jwks: JsonWebKeySet) => verifySignature(token, {jwks, kind: 'jwks', source: 'the issuer JWKS'}, algorithms)
        let verified
        try {
          verified = await verify(await issuer.keys())
        } catch (error) {
          // A key the cached JWKS does not hold: the issuer may have rotated its keys.
          const fresh = error instanceof NoMatchingKey ? issuer.refreshKeys() : undefined
          if (!fresh) throw error
          verified = await verify(await fresh)
        }
        if (!verified) throw new Error('failed to verify id token signature')
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
