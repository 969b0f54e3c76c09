// `authctl serve` flags (kube-apiserver's names) and --config YAML into ServerOptions. Command-line values win over
// the config file; every path is checked at start so a typo fails fast with the flag's name.
import {readFile} from 'node:fs/promises'

import {AuthctlError, usageError} from '../output/errors.js'
import {loadYaml} from '../output/yaml.js'
import {keyValueRecord} from '../go/key-value.js'
import {parseDuration} from '../go/time.js'
import {CONFIG_EXCLUSIVE, legacyAuthorizationConfiguration} from '../authz/config.js'
import type {ServerOptions} from './options.js'

export type FlagValues = Record<string, string | string[] | boolean | undefined>

const list = (v: unknown): string[] | undefined =>
  v === undefined ? undefined : (Array.isArray(v) ? v.map(String) : String(v).split(',')).map((s) => s.trim()).filter(Boolean)
const one = (v: unknown): string | undefined => (v === undefined || v === null ? undefined : String(v))

/** Reads --config: a YAML mapping whose keys are flag names. */
export async function readServeConfig(path: string): Promise<FlagValues> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    throw new AuthctlError(`cannot read config ${JSON.stringify(path)}: ${(error as Error).message}`, {code: 'FILE'})
  }
  const {parse} = await loadYaml()
  let doc: unknown
  try {
    doc = parse(text)
  } catch (error) {
    throw new AuthctlError(`config ${JSON.stringify(path)}: ${(error as Error).message.split('\n')[0]}`, {code: 'INVALID_CONFIG'})
  }
  if (doc === null || doc === undefined) return {}
  if (typeof doc !== 'object' || Array.isArray(doc)) throw new AuthctlError(`config ${JSON.stringify(path)}: expected a mapping of flag names to values`, {code: 'INVALID_CONFIG'})
  return doc as FlagValues
}

/** A non-negative integer flag. */
function count(flags: FlagValues, name: string): number | undefined {
  const value = one(flags[name])
  if (value !== undefined && !/^\d+$/.test(value)) throw usageError(`invalid --${name} ${JSON.stringify(value)}`, 'a whole number')
  return value === undefined ? undefined : Number(value)
}

/** A duration flag (Go syntax: 1m0s, 30s, 500ms) in milliseconds. */
function duration(flags: FlagValues, name: string): number | undefined {
  const value = one(flags[name])
  if (value === undefined) return undefined
  try {
    return parseDuration(value)
  } catch {
    throw usageError(`invalid --${name} ${JSON.stringify(value)}`, 'a duration such as 1m0s or 30s')
  }
}

/** The legacy --authorization-* flags that --authorization-config excludes, as kube-apiserver checks them. */
const LEGACY_AUTHORIZATION = ['authorization-mode', 'authorization-webhook-config-file', 'authorization-webhook-version', 'authorization-webhook-cache-authorized-ttl', 'authorization-webhook-cache-unauthorized-ttl']

/** --authorization-config, or the legacy flags translated into the same configuration (one chain either way). */
function authorizationFromFlags(flags: FlagValues): ServerOptions['authorization'] {
  const configFile = one(flags['authorization-config'])
  if (configFile !== undefined) {
    if (LEGACY_AUTHORIZATION.some((name) => flags[name] !== undefined)) throw usageError(CONFIG_EXCLUSIVE)
    return {configFile}
  }
  return {config: legacyAuthorizationConfiguration({
    modes: list(flags['authorization-mode']),
    webhookCacheAuthorizedTtlMs: duration(flags, 'authorization-webhook-cache-authorized-ttl'),
    webhookCacheUnauthorizedTtlMs: duration(flags, 'authorization-webhook-cache-unauthorized-ttl'),
    webhookConfigFile: one(flags['authorization-webhook-config-file']),
    webhookVersion: one(flags['authorization-webhook-version']),
  })}
}

export function serverOptionsFromFlags(flags: FlagValues, known: string[]): ServerOptions {
  for (const key of Object.keys(flags)) {
    if (!known.includes(key)) throw usageError(`unknown setting ${JSON.stringify(key)} in --config`, `known: ${known.join(', ')}`)
  }
  const port = one(flags['secure-port'])
  if (port !== undefined && !/^\d+$/.test(port)) throw usageError(`invalid --secure-port ${JSON.stringify(port)}`, 'a port number, 0 for any free port')
  const maxBytes = count(flags, 'max-request-bytes')
  const maxInflight = count(flags, 'max-requests-inflight')
  const maxMutatingInflight = count(flags, 'max-mutating-requests-inflight')
  const requestTimeout = duration(flags, 'request-timeout')
  const headerTimeout = duration(flags, 'header-timeout')
  if (requestTimeout === 0) throw usageError('--request-timeout must be greater than 0')
  if (headerTimeout === 0) throw usageError('--header-timeout must be greater than 0')
  const anonymous = one(flags['anonymous-auth'])
  if (anonymous !== undefined && anonymous !== 'true' && anonymous !== 'false') throw usageError(`invalid --anonymous-auth ${JSON.stringify(anonymous)}`, 'true or false')
  const keyFiles = list(flags['service-account-key-file'])
  const issuers = list(flags['service-account-issuer']) ?? []
  if (issuers.length && !keyFiles?.length) throw usageError('--service-account-issuer needs --service-account-key-file')
  const objectPaths = list(flags.objects) ?? []
  const lookup = one(flags['service-account-lookup'])
  if (lookup !== undefined && lookup !== 'true' && lookup !== 'false') throw usageError(`invalid --service-account-lookup ${JSON.stringify(lookup)}`, 'true or false')
  const authenticationConfig = one(flags['authentication-config'])
  if (authenticationConfig && Object.keys(flags).some((k) => k.startsWith('oidc-') && flags[k] !== undefined)) {
    throw usageError('authentication-config file and oidc-* flags are mutually exclusive')
  }
  const oidcIssuer = one(flags['oidc-issuer-url'])
  const clientId = one(flags['oidc-client-id'])
  if (oidcIssuer && !clientId) throw usageError('--oidc-client-id is required with --oidc-issuer-url')
  if (oidcIssuer && !oidcIssuer.startsWith('https://')) throw usageError(`--oidc-issuer-url must be an https URL: ${JSON.stringify(oidcIssuer)}`)
  const requiredClaims = keyValueRecord(list(flags['oidc-required-claim']), (pair) => usageError(`invalid --oidc-required-claim ${JSON.stringify(pair)}`, 'claim=value'))
  const webhookFile = one(flags['authentication-token-webhook-config-file'])
  const webhookVersion = one(flags['authentication-token-webhook-version'])
  if (webhookVersion && webhookVersion !== 'v1' && webhookVersion !== 'v1beta1') throw usageError(`invalid --authentication-token-webhook-version ${JSON.stringify(webhookVersion)}`, 'v1 or v1beta1')
  const ttl = one(flags['authentication-token-webhook-cache-ttl'])
  let cacheTtlMs: number | undefined
  if (ttl !== undefined) {
    try {
      cacheTtlMs = parseDuration(ttl)
    } catch {
      throw usageError(`invalid --authentication-token-webhook-cache-ttl ${JSON.stringify(ttl)}`, 'a duration such as 2m or 30s')
    }
  }
  return {
    authorization: authorizationFromFlags(flags),
    ...(keyFiles?.length ? {serviceAccount: {issuers, keyFiles}} : {}),
    ...(objectPaths.length ? {objects: {lookup: lookup !== 'false', paths: objectPaths}} : {}),
    ...(oidcIssuer
      ? {oidc: {
          caFile: one(flags['oidc-ca-file']), clientId: clientId!, groupsClaim: one(flags['oidc-groups-claim']), groupsPrefix: one(flags['oidc-groups-prefix']),
          issuerUrl: oidcIssuer, requiredClaims, signingAlgs: list(flags['oidc-signing-algs']), usernameClaim: one(flags['oidc-username-claim']),
          usernamePrefix: one(flags['oidc-username-prefix']),
        }}
      : {}),
    ...(webhookFile ? {webhook: {cacheTtlMs, configFile: webhookFile, version: webhookVersion as 'v1' | 'v1beta1' | undefined}} : {}),
    anonymousAuth: anonymous === undefined ? undefined : anonymous !== 'false',
    authenticationConfigFile: authenticationConfig,
    apiAudiences: list(flags['api-audiences']),
    auditLogPath: one(flags['audit-log-path']),
    certDir: one(flags['cert-dir']),
    clientCAFile: one(flags['client-ca-file']),
    host: one(flags['bind-address']) ?? '127.0.0.1',
    headerTimeoutMs: headerTimeout,
    maxMutatingRequestsInflight: maxMutatingInflight,
    maxRequestBodyBytes: maxBytes,
    maxRequestsInflight: maxInflight,
    requestTimeoutMs: requestTimeout,
    policyPaths: list(flags.policy),
    port: port === undefined ? 6443 : Number(port),
    tlsCertFile: one(flags['tls-cert-file']),
    tlsKeyFile: one(flags['tls-private-key-file']),
    tokenAuthFile: one(flags['token-auth-file']),
  }
}
