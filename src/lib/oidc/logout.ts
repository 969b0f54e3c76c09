// logout: forget cached logins (kubelogin#29: there was no way to log in as someone else before the token
// expired) and optionally revoke their refresh tokens at the issuer (RFC 7009), as kubelogin#1665 asks.
import {withFileLock} from '../files/index.js'
import {AuthctlError} from '../output/errors.js'
import {TokenCache} from './cache.js'
import {Provider, type ProviderMetadata} from './discovery.js'
import type {Http} from './http.js'

export interface LogoutOptions {
  cacheDir: string
  /** Only logins for this issuer (and client); undefined = every cached login. */
  issuerUrl?: string
  clientId?: string
  clientSecret?: string
  revoke: boolean
  /** Told about a lock taken over from a process that no longer runs. */
  onWarning?: (message: string) => void
}

export interface LogoutEntry {
  issuer: string
  clientId: string
  /** revoked: the issuer accepted the revocation; unsupported: it has no revocation endpoint; none: nothing to revoke. */
  revocation?: 'revoked' | 'unsupported' | 'none'
}

async function revokeAt(http: Http, meta: ProviderMetadata, token: string, options: LogoutOptions, clientId: string): Promise<'revoked' | 'unsupported'> {
  if (!meta.revocation_endpoint) return 'unsupported'
  const secret = options.clientSecret
  const res = await http(meta.revocation_endpoint, {
    basic: secret ? {password: secret, user: clientId} : undefined,
    form: {...(secret ? {} : {client_id: clientId}), token, token_type_hint: 'refresh_token'},
    what: 'token revocation',
  })
  // RFC 7009 §2.2: 200 also for tokens that were already invalid.
  if (res.status !== 200) {
    const detail = typeof res.json?.error === 'string' ? `${res.json.error}${res.json.error_description ? ` (${res.json.error_description})` : ''}` : `HTTP ${res.status}`
    throw new AuthctlError(`revoking the refresh token at ${meta.revocation_endpoint} failed: ${detail}; the cached login was kept`, {
      code: 'OIDC_REVOKE',
      hint: 'retry, pass --oidc-client-secret for a confidential client, or log out without --revoke',
    })
  }
  return 'revoked'
}

export async function logout(options: LogoutOptions, http: Http): Promise<LogoutEntry[]> {
  const cache = new TokenCache(options.cacheDir)
  const matches = (issuer: string, clientId: string) =>
    (options.issuerUrl === undefined || issuer === options.issuerUrl) && (options.clientId === undefined || clientId === options.clientId)
  const removed: LogoutEntry[] = []
  const providers = new Map<string, Provider>()
  for (const {entry, key} of await cache.list()) {
    if (!matches(entry.issuer, entry.clientId)) continue
    // Under the key's lock, so a get-token running now cannot write the entry back after we remove it.
    await withFileLock(cache.entryPath(key), async () => {
      let revocation: LogoutEntry['revocation']
      if (options.revoke) {
        if (entry.refreshToken) {
          if (!providers.has(entry.issuer)) providers.set(entry.issuer, new Provider(http, entry.issuer))
          revocation = await revokeAt(http, await providers.get(entry.issuer)!.metadata(), entry.refreshToken, options, entry.clientId)
        } else {
          revocation = 'none'
        }
      }
      await cache.remove(key)
      removed.push({clientId: entry.clientId, issuer: entry.issuer, ...(revocation ? {revocation} : {})})
    }, {onWarning: options.onWarning})
  }
  // Markers of logins that never produced an entry (a failed first login) would still block background calls.
  for (const key of await cache.markerKeys()) {
    const marker = await cache.readMarker(key)
    if (!marker || matches(marker.issuer, marker.clientId)) await cache.clearMarker(key)
  }
  return removed
}
