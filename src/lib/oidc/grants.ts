// The four ways to get tokens from the issuer's token endpoint. Each returns a TokenSet; the caller verifies and
// caches it. Errors name the OAuth error code the issuer sent, since that is what an admin can look up.
import {AuthctlError} from '../output/errors.js'
import type {ProviderMetadata} from './discovery.js'
import type {Http, HttpResponse} from './http.js'

export interface ClientConfig {
  clientId: string
  clientSecret?: string
  scopes: string[]
  /** Extra parameters for the authorization (and client credentials) request. */
  extraParams: Record<string, string>
}

export interface TokenSet {
  idToken?: string
  accessToken?: string
  refreshToken?: string
}

/** An OAuth error answer from the token endpoint (RFC 6749 §5.2). */
export class OAuthError extends AuthctlError {
  constructor(
    readonly error: string,
    readonly description: string | undefined,
    what: string,
  ) {
    super(`${what} failed: ${error}${description ? ` (${description})` : ''}`, {code: 'OIDC_' + error.toUpperCase()})
  }
}

function clientAuth(client: ClientConfig): {basic?: {user: string; password: string}; form: Record<string, string>} {
  return client.clientSecret
    ? {basic: {password: client.clientSecret, user: client.clientId}, form: {}}
    : {form: {client_id: client.clientId}}
}

function tokenSet(res: HttpResponse, what: string): TokenSet {
  if (res.status !== 200) {
    if (typeof res.json?.error === 'string') throw new OAuthError(res.json.error, res.json.error_description, what)
    throw new AuthctlError(`${what} failed: HTTP ${res.status}`, {code: 'OIDC_TOKEN_HTTP'})
  }
  if (!res.json || typeof res.json !== 'object') throw new AuthctlError(`${what} failed: the token endpoint did not answer JSON`, {code: 'OIDC_TOKEN_HTTP'})
  const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined)
  return {accessToken: str(res.json.access_token), idToken: str(res.json.id_token), refreshToken: str(res.json.refresh_token)}
}

export async function tokenRequest(http: Http, meta: ProviderMetadata, client: ClientConfig, form: Record<string, string | undefined>, what: string): Promise<TokenSet> {
  const auth = clientAuth(client)
  const res = await http(meta.token_endpoint, {basic: auth.basic, form: {...form, ...auth.form}, what})
  return tokenSet(res, what)
}

export function refreshGrant(http: Http, meta: ProviderMetadata, client: ClientConfig, refreshToken: string): Promise<TokenSet> {
  return tokenRequest(http, meta, client, {grant_type: 'refresh_token', refresh_token: refreshToken}, 'token refresh')
}

export function clientCredentialsGrant(http: Http, meta: ProviderMetadata, client: ClientConfig): Promise<TokenSet> {
  const scope = client.scopes.filter((s) => s !== 'openid' && s !== 'offline_access').join(' ') || undefined
  return tokenRequest(http, meta, client, {...client.extraParams, grant_type: 'client_credentials', scope}, 'client credentials grant')
}

export function authorizationUrl(meta: ProviderMetadata, client: ClientConfig, p: {redirectUri: string; state: string; nonce: string; challenge: string}): string {
  const url = new URL(meta.authorization_endpoint)
  // OIDC Core §11: an offline_access request must carry prompt=consent, or the issuer ignores it (no refresh token).
  const prompt = client.scopes.includes('offline_access') ? {prompt: 'consent'} : {}
  const params = {
    ...prompt,
    ...client.extraParams,
    client_id: client.clientId,
    code_challenge: p.challenge,
    code_challenge_method: 'S256',
    nonce: p.nonce,
    redirect_uri: p.redirectUri,
    response_type: 'code',
    scope: client.scopes.join(' '),
    state: p.state,
  }
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v)
  return url.href
}

export function codeGrant(http: Http, meta: ProviderMetadata, client: ClientConfig, p: {code: string; redirectUri: string; verifier: string}): Promise<TokenSet> {
  return tokenRequest(
    http,
    meta,
    client,
    {code: p.code, code_verifier: p.verifier, grant_type: 'authorization_code', redirect_uri: p.redirectUri},
    'authorization code exchange',
  )
}

export interface DeviceAuthorization {
  device_code: string
  user_code: string
  verification_uri: string
  verification_uri_complete?: string
  expires_in: number
  interval?: number
}

export async function startDeviceAuthorization(http: Http, meta: ProviderMetadata, client: ClientConfig): Promise<DeviceAuthorization> {
  if (!meta.device_authorization_endpoint) {
    throw new AuthctlError(`${meta.issuer} does not support the device code grant (no device_authorization_endpoint)`, {
      code: 'OIDC_NO_DEVICE_FLOW',
      hint: 'use --grant-type authcode',
    })
  }
  const auth = clientAuth(client)
  const res = await http(meta.device_authorization_endpoint, {
    basic: auth.basic,
    form: {...client.extraParams, ...auth.form, scope: client.scopes.join(' ')},
    what: 'device authorization',
  })
  if (res.status !== 200 || typeof res.json?.device_code !== 'string' || typeof res.json?.user_code !== 'string') {
    if (typeof res.json?.error === 'string') throw new OAuthError(res.json.error, res.json.error_description, 'device authorization')
    throw new AuthctlError(`device authorization failed: HTTP ${res.status}`, {code: 'OIDC_DEVICE_HTTP'})
  }
  return res.json as DeviceAuthorization
}

/** Polls until the user approves (RFC 8628 §3.4-3.5), honouring interval and slow_down. */
export async function pollDeviceToken(
  http: Http,
  meta: ProviderMetadata,
  client: ClientConfig,
  device: DeviceAuthorization,
  clock: {sleep: (ms: number) => Promise<void>; now: () => number; timeoutMs: number},
): Promise<TokenSet> {
  const {now, sleep} = clock
  let intervalMs = Math.max(1, device.interval ?? 5) * 1000
  const deadline = now() + Math.min(clock.timeoutMs, device.expires_in * 1000)
  for (;;) {
    await sleep(intervalMs)
    try {
      return await tokenRequest(
        http,
        meta,
        client,
        {device_code: device.device_code, grant_type: 'urn:ietf:params:oauth:grant-type:device_code'},
        'device code login',
      )
    } catch (error) {
      if (!(error instanceof OAuthError)) throw error
      if (error.error === 'slow_down') intervalMs += 5000
      else if (error.error !== 'authorization_pending') throw error
    }
    if (now() + intervalMs > deadline) {
      throw new AuthctlError('device code login timed out: the code was not approved in time', {code: 'OIDC_TIMEOUT', hint: 'raise --authentication-timeout or try again'})
    }
  }
}
