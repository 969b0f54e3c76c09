// The server's JWT authenticators and anonymous settings as kube-apiserver derives them: from
// --authentication-config (decoded, validated and CEL-compiled once per load; re-read on change) or from the legacy
// --oidc-* flags translated into the same configuration, so one JWT authenticator serves both. Start-up and reload
// errors are kube-apiserver's words.
import {convertLegacyOidcFlags, decodeConfiguration, validateConfigurationText} from '../authconfig/index.js'
import type {AnonymousAuthConfig, AuthenticationConfiguration} from '../authconfig/types.js'
import {issuerKeys} from '../authn/issuer-keys.js'
import {type JwtAuthenticators, jwtTokenAuthenticator} from '../authn/jwt-authenticators.js'
import type {TokenAuthenticator} from '../authn/types.js'
import {AuthctlError} from '../output/errors.js'
import {readText, type ServerConfig} from './options.js'
import {reloadable, ReloadLater, type Reloadable} from './reload.js'

export interface JwtAuthentication {
  /** Absent when neither the file nor the flags configure a JWT issuer. */
  token?: TokenAuthenticator
  anonymous: {enabled: boolean; paths?: ReadonlySet<string>}
  reloadable?: Reloadable<unknown>
}

interface Loaded extends JwtAuthenticators {
  config: AuthenticationConfiguration
}

/** field.ErrorList.ToAggregate().Error(): one error as is, several as [e1, e2]. */
function aggregate(messages: string[]): string {
  return messages.length === 1 ? messages[0] : `[${messages.join(', ')}]`
}

/** Validates and compiles a configuration's text; an invalid one is an error starting with `prefix`. */
async function compile(text: string, path: string, disallowedIssuers: string[], prefix: string, check?: (config: AuthenticationConfiguration) => string[]): Promise<Omit<Loaded, 'keys'>> {
  const validated = await validateConfigurationText(text, {disallowedIssuers, expected: 'AuthenticationConfiguration', path})
  const config = validated.config as AuthenticationConfiguration
  const messages = [...validated.issues.map((i) => i.message), ...(check?.(config) ?? [])]
  if (messages.length) throw new AuthctlError(`${prefix}: ${aggregate(messages)}`, {code: 'CONFIG_INVALID'})
  return {authenticators: validated.authentication!.authenticators, config}
}

/** The keys, fetched now in the background: an issuer that does not answer at start is not fatal (kube-apiserver
 * starts too); its tokens are refused until it answers. */
function withWarmUp(config: ServerConfig, compiled: Omit<Loaded, 'keys'>): Loaded {
  const keys = issuerKeys(compiled.config.jwt, config.now)
  keys.ready().catch((error: Error) => config.log(`warning: ${error.message}; its tokens are refused ("oidc: authenticator not initialized") until it answers`))
  return {...compiled, keys: keys.source}
}

export async function jwtAuthentication(config: ServerConfig, apiAudiences: string[]): Promise<JwtAuthentication> {
  const {options} = config
  const disallowed = options.serviceAccount?.issuers ?? []
  const file = options.authenticationConfigFile
  const invalid = 'invalid authentication configuration'
  if (!file) {
    const anonymous = {enabled: options.anonymousAuth ?? true}
    if (!options.oidc) return {anonymous}
    const {caFile, clientId, groupsClaim, groupsPrefix, issuerUrl, requiredClaims, signingAlgs, usernameClaim, usernamePrefix} = options.oidc
    const certificateAuthority = caFile ? await readText(caFile, 'OIDC CA file') : undefined
    const object = convertLegacyOidcFlags({
      certificateAuthority, clientId, groupsClaim, groupsPrefix, issuerUrl, requiredClaims: Object.entries(requiredClaims ?? {}), usernameClaim, usernamePrefix,
    })
    const compiled = await compile(JSON.stringify(object), '--oidc-* flags', disallowed, invalid)
    // kube-apiserver keeps --oidc-signing-algs (default RS256) for the flags; the file allows every asymmetric one.
    compiled.authenticators[0].signingAlgorithms = signingAlgs?.length ? signingAlgs : ['RS256']
    const loaded = withWarmUp(config, compiled)
    return {anonymous, token: jwtTokenAuthenticator(() => loaded, apiAudiences, config.now)}
  }

  let fileAnonymous: AnonymousAuthConfig | undefined
  const anonymousUnchanged = (next: AuthenticationConfiguration) =>
    JSON.stringify(next.anonymous ?? null) === JSON.stringify(fileAnonymous ?? null) ? [] : ['anonymous: Forbidden: changed from initial configuration file']
  let text = ''
  let first = true
  const load = async (): Promise<Loaded> => {
    if (first) {
      first = false
      text = await readText(file, 'authentication configuration file')
      const compiled = await compile(text, file, disallowed, invalid, (c) =>
        c.anonymous && options.anonymousAuth !== undefined ? ['anonymous: Forbidden: --anonymous-auth flag cannot be set when anonymous field is configured in authentication configuration file'] : [])
      fileAnonymous = compiled.config.anonymous
      return withWarmUp(config, compiled)
    }
    let next: string
    try {
      next = await readText(file, 'authentication configuration file')
    } catch (error) {
      // Perhaps mid-replacement by an editor: tried again on the next tick.
      throw new ReloadLater(`failed to read authentication config file: ${(error as Error).message}`)
    }
    if (next === text) return reloading.current()
    text = next
    try {
      decodeConfiguration(next, 'AuthenticationConfiguration')
    } catch (error) {
      throw new Error(`failed to load authentication config: ${(error as Error).message}`)
    }
    const compiled = await compile(next, file, disallowed, 'failed to validate authentication config', anonymousUnchanged)
    // The new issuers must answer before the swap, or the previous configuration stays (and this is tried again).
    const keys = issuerKeys(compiled.config.jwt, config.now)
    try {
      await keys.ready()
    } catch (error) {
      text = ''
      throw new ReloadLater(`failed to update authentication config: ${(error as Error).message}`)
    }
    return {...compiled, keys: keys.source}
  }
  const reloading: Reloadable<Loaded> = await reloadable([file], load, {
    intervalMs: config.reloading('authentication config').intervalMs,
    onError: (error) => config.log(error.message),
    onReload: () => config.log('reloaded authentication config'),
  })
  const anonymous = fileAnonymous
    ? {enabled: fileAnonymous.enabled, ...(fileAnonymous.conditions.length ? {paths: new Set(fileAnonymous.conditions.map((c) => c.path))} : {})}
    : {enabled: options.anonymousAuth ?? true}
  return {anonymous, reloadable: reloading, token: jwtTokenAuthenticator(() => reloading.current(), apiAudiences, config.now)}
}
