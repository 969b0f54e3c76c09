// setup: check an issuer end to end (discovery, JWKS, a real login) and show what kube-apiserver would make of the
// id_token with the given --oidc-* claim flags, using the API server's own mapping rules (src/lib/token/identity.ts).
// kubelogin#1136, #1054, #64: users could not see which username and groups the API server derived.
import type {UserInfo} from '../api/user.js'
import {AuthctlError} from '../output/errors.js'
import {oidcUser, type OidcClaimMapping} from '../token/identity.js'
import {Provider} from './discovery.js'
import {getToken, type GetTokenDeps, type GetTokenOptions} from './get-token.js'
import {verifyToken, type Claims} from './jwt.js'
import type {LoginSettings} from './options.js'

export type ClaimFlags = Omit<OidcClaimMapping, 'issuerUrl'>

export interface SetupReport {
  issuer: string
  discovery: {
    authorizationEndpoint: string
    tokenEndpoint: string
    jwksUri: string
    jwksKeys: number
    deviceAuthorizationEndpoint?: string
    revocationEndpoint?: string
  }
  claims: Claims
  /** The user kube-apiserver would derive; absent when it would reject the token (see `rejected`). */
  user?: UserInfo
  rejected?: string
  /** The kube-apiserver flags that match this client and mapping. */
  apiserverFlags: string[]
}

export function apiserverFlags(options: Pick<GetTokenOptions, 'clientId' | 'issuerUrl'>, mapping: ClaimFlags, caFile?: string): string[] {
  const flags = [`--oidc-issuer-url=${options.issuerUrl}`, `--oidc-client-id=${options.clientId}`]
  if (caFile) flags.push(`--oidc-ca-file=${caFile}`)
  if (mapping.usernameClaim) flags.push(`--oidc-username-claim=${mapping.usernameClaim}`)
  if (mapping.usernamePrefix !== undefined) flags.push(`--oidc-username-prefix=${mapping.usernamePrefix}`)
  if (mapping.groupsClaim) flags.push(`--oidc-groups-claim=${mapping.groupsClaim}`)
  if (mapping.groupsPrefix !== undefined) flags.push(`--oidc-groups-prefix=${mapping.groupsPrefix}`)
  for (const [k, v] of Object.entries(mapping.requiredClaims ?? {})) flags.push(`--oidc-required-claim=${k}=${v}`)
  return flags
}

export async function setup(options: GetTokenOptions, mapping: ClaimFlags, deps: GetTokenDeps, caFile?: string): Promise<SetupReport> {
  // One provider for the whole run: discovery and JWKS are fetched once, for the report, the login and the check.
  const provider = deps.provider ?? new Provider(deps.http, options.issuerUrl)
  const meta = await provider.metadata()
  const keys = (await provider.keys()).keys.length
  if (keys === 0) throw new AuthctlError(`bad JWKS at ${meta.jwks_uri}: no signing keys`, {code: 'OIDC_BAD_JWKS'})
  // A person runs setup: it may log in even when stdin is not a terminal.
  const result = await getToken(options, {...deps, interactive: true, provider})
  // Cached tokens were verified when received; check again against today's JWKS, as the API server would.
  const claims = await verifyToken(provider, result.token, {audience: options.clientId, now: deps.now(), what: 'id_token'})
  let user: UserInfo | undefined
  let rejected: string | undefined
  try {
    user = oidcUser(claims, {...mapping, issuerUrl: options.issuerUrl})
  } catch (error) {
    if (!(error instanceof AuthctlError)) throw error
    rejected = error.message
  }
  return {
    apiserverFlags: apiserverFlags(options, mapping, caFile),
    claims,
    discovery: {
      authorizationEndpoint: meta.authorization_endpoint,
      deviceAuthorizationEndpoint: meta.device_authorization_endpoint,
      jwksKeys: keys,
      jwksUri: meta.jwks_uri,
      revocationEndpoint: meta.revocation_endpoint,
      tokenEndpoint: meta.token_endpoint,
    },
    issuer: meta.issuer,
    rejected,
    user,
  }
}

/** The get-token arguments that reproduce this login from a kubeconfig exec block. */
export function execArgs(settings: LoginSettings, caFile?: string): string[] {
  const args = ['oidc', 'get-token', `--oidc-issuer-url=${settings.oidcIssuerUrl}`, `--oidc-client-id=${settings.oidcClientId}`]
  if (settings.oidcClientSecret) args.push(`--oidc-client-secret=${settings.oidcClientSecret}`)
  for (const scope of settings.oidcExtraScope ?? []) args.push(`--oidc-extra-scope=${scope}`)
  for (const param of settings.oidcAuthRequestExtraParams ?? []) args.push(`--oidc-auth-request-extra-params=${param}`)
  if (settings.grantType && settings.grantType !== 'auto') args.push(`--grant-type=${settings.grantType}`)
  if (caFile) args.push(`--certificate-authority=${caFile}`)
  for (const address of settings.listenAddress ?? []) args.push(`--listen-address=${address}`)
  if (settings.tokenCacheDir) args.push(`--token-cache-dir=${settings.tokenCacheDir}`)
  return args
}
