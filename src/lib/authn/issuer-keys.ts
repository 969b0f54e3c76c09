// The signing keys of an AuthenticationConfiguration's JWT issuers, live: one lib/net Issuer per jwt[] entry (its
// discoveryURL in place of the well-known URL, its certificateAuthority in place of the system roots), on the
// authenticators' HTTPS client. Keys are fetched on first use and again when a token names an unknown kid (at most
// every 10 s, lib/net/issuer); `ready` fetches them all now, for kube's "new authenticators must be healthy" check.
import type {KeySource} from '../authconfig/authenticate.js'
import type {JwtAuthenticator} from '../authconfig/types.js'
import {getJwks, Issuer, type JsonWebKeySet, jsonGetter} from '../net/issuer.js'
import {authnClient} from './https.js'

export interface IssuerKeys {
  source: KeySource
  /** Fetches every issuer's discovery document and JWKS; rejects naming the first jwt[i] that fails. */
  ready(): Promise<void>
}

/** An issuer that did not answer is asked again after this long, as kube-apiserver polls an unhealthy one every 10 s. */
const FAILURE_HOLD_MS = 10_000

/** Keys through each issuer's discovery; `now` is the clock of the refresh rate limit. */
export function issuerKeys(jwt: JwtAuthenticator[], now?: () => Date): IssuerKeys {
  const clock = now && (() => now().getTime())
  const issuers = new Map<string, Issuer>()
  for (const {issuer} of jwt) {
    const client = authnClient({ca: issuer.certificateAuthority || undefined})
    issuers.set(issuer.url, new Issuer(issuer.url, jsonGetter(client), {failureHoldMs: FAILURE_HOLD_MS, now: clock, ...(issuer.discoveryURL ? {discoveryUrl: issuer.discoveryURL} : {})}))
  }
  return {
    async ready() {
      for (const [i, {issuer}] of jwt.entries()) {
        try {
          await issuers.get(issuer.url)!.keys()
        } catch (error) {
          throw new Error(`jwt[${i}] issuer ${JSON.stringify(issuer.url)}: ${(error as Error).message}`)
        }
      }
    },
    async source(url, options) {
      const issuer = issuers.get(url)
      if (!issuer) return undefined
      return options?.refresh ? issuer.refreshKeys() : issuer.keys()
    },
  }
}

/** Keys from one JWKS URL for whichever issuer matches (`authn test --jwks-uri`), trusting that issuer's
 * certificateAuthority (the system roots when it has none). */
export function jwksUriKeys(uri: string, jwt: JwtAuthenticator[]): KeySource {
  const cached = new Map<string, Promise<JsonWebKeySet>>()
  const fetch = (ca: string | undefined) => getJwks(jsonGetter(authnClient({ca})), uri)
  return async (url, options) => {
    if (options?.refresh) return undefined
    let keys = cached.get(url)
    if (!keys) {
      keys = fetch(jwt.find((j) => j.issuer.url === url)?.issuer.certificateAuthority || undefined)
      cached.set(url, keys)
      keys.catch(() => cached.delete(url))
    }
    return keys
  }
}
