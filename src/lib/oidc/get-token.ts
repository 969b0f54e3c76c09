// get-token: cache → refresh → login, in that order, under a per-key lock so that parallel kubectl calls produce
// one login: the others wait on the lock (up to the authentication timeout) and take the token it cached, as
// kubelogin does. A login that needs a person leaves a marker while it runs and after it fails, so a caller without
// a person at the terminal never starts a second one after a failure (kubelogin#904, #1330).
import {setTimeout as delay} from 'node:timers/promises'

import {AuthctlError} from '../output/errors.js'
import {humanDuration} from '../go/time.js'
import {withFileLock} from '../files/index.js'
import {TokenCache, cacheKey, markerIsLive, type CacheEntry, type PendingMarker} from './cache.js'
import {Provider, type ProviderMetadata} from './discovery.js'
import {
  authorizationUrl,
  clientCredentialsGrant,
  codeGrant,
  OAuthError,
  pollDeviceToken,
  refreshGrant,
  startDeviceAuthorization,
  type ClientConfig,
  type TokenSet,
} from './grants.js'
import type {Http} from './http.js'
import {decodeClaims, verifyToken, type Claims} from './jwt.js'
import {createPkce, randomToken} from './pkce.js'

export const GRANT_TYPES = ['auto', 'authcode', 'device-code', 'client-credentials'] as const
export type GrantType = (typeof GRANT_TYPES)[number]

/** A cached token this close to its expiry is renewed, so kubectl never gets one that expires in flight. */
export const EXPIRY_MARGIN_MS = 10_000

export interface GetTokenOptions {
  issuerUrl: string
  clientId: string
  clientSecret?: string
  extraScopes: string[]
  grantType: GrantType
  listenAddresses: string[]
  /** CA bundle contents (also part of the cache key). */
  ca?: string
  extraParams: Record<string, string>
  cacheDir: string
  forceRefresh: boolean
  authTimeoutMs: number
}

export interface GetTokenDeps {
  http: Http
  now(): Date
  /** Diagnostics for the person (stderr). */
  log(text: string): void
  /** A person can act now (KUBERNETES_EXEC_INFO spec.interactive, else stdin is a terminal). */
  interactive: boolean
  /** Opens a URL in a browser, or undefined when no browser may be opened. */
  openBrowser?: (url: string) => Promise<boolean>
  sleep?: (ms: number) => Promise<void>
  /** Aborts a login that waits for a person (Ctrl-C), so the lock is released and the marker says why. */
  signal?: AbortSignal
  /** The issuer when the caller already has it (setup), so one run fetches discovery and JWKS once. */
  provider?: Provider
}

export interface TokenResult {
  token: string
  claims: Claims
  expiry?: Date
  source: 'cache' | 'refresh' | 'login'
  key: string
}

export function scopesFor(grant: GrantType, extra: string[]): string[] {
  return grant === 'client-credentials' ? [...new Set(extra)] : [...new Set(['openid', ...extra])]
}

export function keyFor(options: GetTokenOptions): string {
  return cacheKey({
    ca: options.ca,
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    extraParams: options.extraParams,
    grantType: options.grantType,
    issuerUrl: options.issuerUrl,
    scopes: scopesFor(options.grantType, options.extraScopes),
  })
}

function expiryOf(claims: Claims | undefined): Date | undefined {
  return typeof claims?.exp === 'number' ? new Date(claims.exp * 1000) : undefined
}

/** The cached token as a result while it has more than the margin left; a damaged entry or one without exp is not usable. */
function usable(entry: CacheEntry | undefined, now: Date, key: string): TokenResult | undefined {
  const claims = entry && decodeClaims(entry.token)
  const expiry = expiryOf(claims)
  if (!entry || !claims || !expiry || expiry.getTime() - now.getTime() <= EXPIRY_MARGIN_MS) return undefined
  return {claims, expiry, key, source: 'cache', token: entry.token}
}

function logoutCommand(options: GetTokenOptions): string {
  return `authctl oidc logout --oidc-issuer-url ${options.issuerUrl} --oidc-client-id ${options.clientId}`
}

function markerError(marker: PendingMarker, options: GetTokenOptions, now: Date): AuthctlError {
  if (marker.state === 'pending') {
    const age = humanDuration(now.getTime() - Date.parse(marker.startedAt))
    return new AuthctlError(`a login for ${options.issuerUrl} in another process (pid ${marker.pid}, started ${age} ago) did not finish within the authentication timeout`, {
      code: 'OIDC_LOGIN_PENDING',
      hint: 'finish it in the browser, then retry, or raise --authentication-timeout',
    })
  }
  return new AuthctlError(`the last login for ${options.issuerUrl} failed: ${marker.reason ?? 'unknown reason'}; not starting another one without a terminal`, {
    code: 'OIDC_LOGIN_FAILED',
    hint: `log in again by running kubectl (or authctl oidc get-token) in a terminal, or clear the cached login with \`${logoutCommand(options)}\``,
  })
}

export async function getToken(options: GetTokenOptions, deps: GetTokenDeps): Promise<TokenResult> {
  const cache = new TokenCache(options.cacheDir)
  const key = keyFor(options)
  const cached = await cache.read(key)
  const hit = options.forceRefresh ? undefined : usable(cached, deps.now(), key)
  if (hit) return hit
  // A background caller must not repeat a login that failed; one in progress it waits for, on the lock.
  const failedLogin = async () => {
    if (deps.interactive) return undefined
    const marker = await cache.readMarker(key)
    return marker && marker.state !== 'pending' && markerIsLive(marker) ? marker : undefined
  }
  const early = await failedLogin()
  if (early) throw markerError(early, options, deps.now())

  const lockMs = options.authTimeoutMs + 30_000
  return withLoginInProgress(cache, key, options, deps, () => withFileLock(
    cache.entryPath(key),
    async () => {
      // Another process may have logged in or refreshed while we waited for the lock.
      const current = await cache.read(key)
      const renewedMeanwhile = current && current.obtainedAt !== cached?.obtainedAt
      const stillGood = usable(current, deps.now(), key)
      if (stillGood && (!options.forceRefresh || renewedMeanwhile)) return stillGood
      const provider = deps.provider ?? new Provider(deps.http, options.issuerUrl)
      const client: ClientConfig = {
        clientId: options.clientId,
        clientSecret: options.clientSecret,
        extraParams: options.extraParams,
        scopes: scopesFor(options.grantType, options.extraScopes),
      }
      if (current?.refreshToken && options.grantType !== 'client-credentials') {
        const refreshed = await tryRefresh(current, provider, client, options, deps, cache, key)
        if (refreshed) return refreshed
      }
      const failed = await failedLogin()
      if (failed) throw markerError(failed, options, deps.now())
      return login(provider, client, options, deps, cache, key)
    },
    {onWarning: (w) => deps.log(`warning: ${w}\n`), staleMs: lockMs + 30_000, timeoutMs: lockMs},
  ))
}

/** A lock wait that times out while another process's login is pending says so, not just "timed out waiting for lock". */
async function withLoginInProgress<T>(cache: TokenCache, key: string, options: GetTokenOptions, deps: GetTokenDeps, run: () => Promise<T>): Promise<T> {
  try {
    return await run()
  } catch (error) {
    if ((error as AuthctlError).code !== 'LOCK_TIMEOUT') throw error
    const marker = await cache.readMarker(key)
    if (!marker || marker.state !== 'pending' || !markerIsLive(marker)) throw error
    throw markerError(marker, options, deps.now())
  }
}

async function accept(tokens: TokenSet, provider: Provider, options: GetTokenOptions, deps: GetTokenDeps, nonce?: string): Promise<{token: string; claims: Claims}> {
  const useAccessToken = options.grantType === 'client-credentials' && !tokens.idToken
  const token = useAccessToken ? tokens.accessToken : tokens.idToken
  if (!token) {
    throw new AuthctlError(`the issuer returned no ${useAccessToken ? 'access token' : 'id_token'}`, {
      code: 'OIDC_NO_ID_TOKEN',
      hint: 'the "openid" scope must be allowed for this client',
    })
  }
  const what = useAccessToken ? 'access token' : 'id_token'
  const claims = await verifyToken(provider, token, {audience: options.clientId, nonce, now: deps.now(), what})
  return {claims, token}
}

async function store(cache: TokenCache, key: string, meta: ProviderMetadata, options: GetTokenOptions, token: string, refreshToken: string | undefined, deps: GetTokenDeps): Promise<void> {
  await cache.write(key, {
    clientId: options.clientId,
    grantType: options.grantType,
    issuer: meta.issuer,
    obtainedAt: deps.now().toISOString(),
    refreshToken,
    scopes: scopesFor(options.grantType, options.extraScopes),
    token,
  })
}

async function tryRefresh(
  current: CacheEntry,
  provider: Provider,
  client: ClientConfig,
  options: GetTokenOptions,
  deps: GetTokenDeps,
  cache: TokenCache,
  key: string,
): Promise<TokenResult | undefined> {
  let reason: string
  const meta = await provider.metadata()
  try {
    const tokens = await refreshGrant(deps.http, meta, client, current.refreshToken!)
    if (tokens.idToken) {
      const {claims, token} = await accept(tokens, provider, options, deps)
      // Issuers that do not rotate refresh tokens send none back; the old one stays valid.
      await store(cache, key, meta, options, token, tokens.refreshToken ?? current.refreshToken, deps)
      return {claims, expiry: expiryOf(claims), key, source: 'refresh', token}
    }
    reason = 'the refresh answer carried no id_token' // kubelogin#536: some issuers only send one at login
  } catch (error) {
    if (!(error instanceof OAuthError)) throw error
    reason = `the issuer rejected the refresh token: ${error.error}${error.description ? ` (${error.description})` : ''}`
  }
  // Forget the refresh token so later calls do not hammer the issuer with it.
  await cache.write(key, {...current, refreshToken: undefined})
  if (deps.interactive) {
    deps.log(`${reason}; logging in again\n`)
    return undefined
  }
  await cache.writeMarker(key, {clientId: options.clientId, issuer: options.issuerUrl, reason, startedAt: deps.now().toISOString(), state: 'failed'})
  throw new AuthctlError(`the cached login for ${options.issuerUrl} cannot be renewed: ${reason}`, {
    code: 'OIDC_REFRESH_FAILED',
    hint: `log in again by running kubectl (or authctl oidc get-token) in a terminal, or clear the cached login with \`${logoutCommand(options)}\``,
  })
}

async function login(provider: Provider, client: ClientConfig, options: GetTokenOptions, deps: GetTokenDeps, cache: TokenCache, key: string): Promise<TokenResult> {
  const meta = await provider.metadata()
  if (options.grantType === 'client-credentials') {
    const tokens = await clientCredentialsGrant(deps.http, meta, client)
    const {claims, token} = await accept(tokens, provider, options, deps)
    await store(cache, key, meta, options, token, undefined, deps)
    return {claims, expiry: expiryOf(claims), key, source: 'login', token}
  }
  const grant = options.grantType === 'auto' ? (!deps.openBrowser && meta.device_authorization_endpoint ? 'device-code' : 'authcode') : options.grantType
  await cache.writeMarker(key, {clientId: options.clientId, issuer: options.issuerUrl, startedAt: deps.now().toISOString(), state: 'pending'})
  try {
    const {nonce, tokens} = grant === 'device-code' ? {nonce: undefined, tokens: await deviceLogin(meta, client, options, deps)} : await authcodeLogin(meta, client, options, deps)
    const {claims, token} = await accept(tokens, provider, options, deps, nonce)
    await store(cache, key, meta, options, token, tokens.refreshToken, deps)
    await cache.clearMarker(key)
    return {claims, expiry: expiryOf(claims), key, source: 'login', token}
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    await cache.writeMarker(key, {clientId: options.clientId, issuer: options.issuerUrl, reason, startedAt: deps.now().toISOString(), state: 'failed'})
    throw error
  }
}

function interrupted(signal: AbortSignal): AuthctlError {
  return signal.reason instanceof AuthctlError ? signal.reason : new AuthctlError('login interrupted', {code: 'OIDC_INTERRUPTED'})
}

/** Waits for `promise`, but at most `ms`, and not past an abort of `signal`. */
function bounded<T>(promise: Promise<T>, ms: number, what: string, signal?: AbortSignal): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  let onAbort: (() => void) | undefined
  const stop = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new AuthctlError(`${what} timed out after ${humanDuration(ms)}`, {code: 'OIDC_TIMEOUT', hint: 'raise --authentication-timeout or try again'})), ms)
    if (!signal) return
    onAbort = () => reject(interrupted(signal))
    if (signal.aborted) onAbort()
    else signal.addEventListener('abort', onAbort, {once: true})
  })
  return Promise.race([promise, stop]).finally(() => {
    clearTimeout(timer)
    if (onAbort) signal?.removeEventListener('abort', onAbort)
  })
}

async function authcodeLogin(meta: ProviderMetadata, client: ClientConfig, options: GetTokenOptions, deps: GetTokenDeps): Promise<{nonce: string; tokens: TokenSet}> {
  const pkce = createPkce()
  const state = randomToken()
  const nonce = randomToken()
  const {startLoopback} = await import('./loopback.js')
  const listener = await startLoopback(options.listenAddresses, state)
  try {
    const url = authorizationUrl(meta, client, {challenge: pkce.challenge, nonce, redirectUri: listener.redirectUri, state})
    const opened = deps.openBrowser ? await deps.openBrowser(url) : false
    deps.log(opened ? `Opened a browser to log in. If it did not open, visit:\n  ${url}\n` : `Open this URL in a browser to log in:\n  ${url}\n`)
    const code = await bounded(listener.code, options.authTimeoutMs, 'waiting for the browser login', deps.signal)
    const tokens = await codeGrant(deps.http, meta, client, {code, redirectUri: listener.redirectUri, verifier: pkce.verifier})
    return {nonce, tokens}
  } finally {
    await listener.close()
  }
}

async function deviceLogin(meta: ProviderMetadata, client: ClientConfig, options: GetTokenOptions, deps: GetTokenDeps): Promise<TokenSet> {
  const device = await startDeviceAuthorization(deps.http, meta, client)
  const opened = deps.openBrowser && device.verification_uri_complete ? await deps.openBrowser(device.verification_uri_complete) : false
  deps.log(
    `${opened ? 'Opened a browser to log in. Otherwise, to' : 'To'} log in, visit ${device.verification_uri} and enter the code ${device.user_code}\n` +
      (device.verification_uri_complete ? `  (or open ${device.verification_uri_complete})\n` : ''),
  )
  const sleep = async (ms: number) => {
    if (deps.sleep) return deps.sleep(ms)
    try {
      await delay(ms, undefined, {signal: deps.signal})
    } catch {
      throw interrupted(deps.signal!)
    }
  }
  return pollDeviceToken(deps.http, meta, client, device, {now: () => deps.now().getTime(), sleep, timeoutMs: options.authTimeoutMs})
}
