// Flag values (strings, as every handler receives them) → validated get-token options. Shared by get-token,
// setup and logout so the three agree on the cache key for the same command line.
import {readInputText} from '../files/index.js'
import {usageError} from '../output/errors.js'
import {parseDuration} from '../go/time.js'
import {defaultCacheDir} from './cache.js'
import {GRANT_TYPES, type GetTokenOptions, type GrantType} from './get-token.js'

export const DEFAULT_LISTEN_ADDRESSES = ['127.0.0.1:8000', '127.0.0.1:18000']

export function parseExtraParams(values: string[] = []): Record<string, string> {
  const out: Record<string, string> = {}
  for (const value of values) {
    const eq = value.indexOf('=')
    if (eq <= 0) throw usageError(`--oidc-auth-request-extra-params ${JSON.stringify(value)} is not KEY=VALUE`)
    out[value.slice(0, eq)] = value.slice(eq + 1)
  }
  return out
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

export async function tokenOptions(flags: Record<string, any>, env: NodeJS.ProcessEnv): Promise<GetTokenOptions> {
  const grantType = (flags['grant-type'] ?? 'auto') as GrantType
  if (!GRANT_TYPES.includes(grantType)) throw usageError(`--grant-type must be one of ${GRANT_TYPES.join(', ')}`)
  if (grantType === 'client-credentials' && !flags['oidc-client-secret']) {
    throw usageError('--grant-type client-credentials needs --oidc-client-secret')
  }
  return {
    authTimeoutMs: parseDuration(flags['authentication-timeout'] ?? '3m', '--authentication-timeout'),
    ca: await readCa(flags['certificate-authority']),
    cacheDir: flags['token-cache-dir'] ?? defaultCacheDir(env),
    clientId: flags['oidc-client-id'],
    clientSecret: flags['oidc-client-secret'],
    extraParams: parseExtraParams(flags['oidc-auth-request-extra-params']),
    extraScopes: flags['oidc-extra-scope'] ?? [],
    forceRefresh: Boolean(flags['force-refresh']),
    grantType,
    issuerUrl: normaliseIssuer(flags['oidc-issuer-url']),
    listenAddresses: flags['listen-address']?.length ? flags['listen-address'] : DEFAULT_LISTEN_ADDRESSES,
  }
}
