// Login settings (strings, as the command line gives them) → validated get-token options. Shared by get-token,
// setup and logout so the three agree on the cache key for the same command line.
import {readInputText} from '../files/index.js'
import {usageError} from '../output/errors.js'
import {keyValueRecord} from '../go/key-value.js'
import {parseDuration} from '../go/time.js'
import {defaultCacheDir} from './cache.js'
import {GRANT_TYPES, type GetTokenOptions, type GrantType} from './get-token.js'

export const DEFAULT_LISTEN_ADDRESSES = ['127.0.0.1:8000', '127.0.0.1:18000']

export function parseExtraParams(values: string[] = []): Record<string, string> {
  return keyValueRecord(values, (value) => usageError(`--oidc-auth-request-extra-params ${JSON.stringify(value)} is not KEY=VALUE`))
}

export function normaliseIssuer(url: string): string {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw usageError(`--oidc-issuer-url ${JSON.stringify(url)} is not a URL`)
  }
  if (parsed.protocol !== 'https:') throw usageError(`--oidc-issuer-url ${url} must use https`, 'kube-apiserver accepts only https issuers')
  return url
}

export async function readCa(path: string | undefined): Promise<string | undefined> {
  return path === undefined ? undefined : readInputText(path, {what: 'certificate authority'})
}

/** The login settings as given on the command line (kubelogin's flag names, camelCased), before validation. */
export interface LoginSettings {
  authenticationTimeout?: string
  certificateAuthority?: string
  forceRefresh?: boolean
  grantType?: string
  listenAddress?: string[]
  oidcAuthRequestExtraParams?: string[]
  oidcClientId: string
  oidcClientSecret?: string
  oidcExtraScope?: string[]
  oidcIssuerUrl: string
  tokenCacheDir?: string
}

export async function tokenOptions(settings: LoginSettings, env: NodeJS.ProcessEnv): Promise<GetTokenOptions> {
  const grantType = (settings.grantType ?? 'auto') as GrantType
  if (!GRANT_TYPES.includes(grantType)) throw usageError(`--grant-type must be one of ${GRANT_TYPES.join(', ')}`)
  if (grantType === 'client-credentials' && !settings.oidcClientSecret) {
    throw usageError('--grant-type client-credentials needs --oidc-client-secret')
  }
  return {
    authTimeoutMs: parseDuration(settings.authenticationTimeout ?? '3m', '--authentication-timeout'),
    ca: await readCa(settings.certificateAuthority),
    cacheDir: settings.tokenCacheDir ?? defaultCacheDir(env),
    clientId: settings.oidcClientId,
    clientSecret: settings.oidcClientSecret,
    extraParams: parseExtraParams(settings.oidcAuthRequestExtraParams),
    extraScopes: settings.oidcExtraScope ?? [],
    forceRefresh: Boolean(settings.forceRefresh),
    grantType,
    issuerUrl: normaliseIssuer(settings.oidcIssuerUrl),
    listenAddresses: settings.listenAddress?.length ? settings.listenAddress : DEFAULT_LISTEN_ADDRESSES,
  }
}
