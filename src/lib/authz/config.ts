// An AuthorizationConfiguration into an authorizer chain, from a loaded file (load.ts) or from kube-apiserver's legacy
// --authorization-* flags translated into the same configuration; and kube's extra rules for a reloaded file.
import {resolve} from 'node:path'

import {loadWebhookConfig} from '../authn/webhook.js'
import type {AuthorizationConfiguration, AuthorizerConfiguration} from '../authconfig/types.js'
import type {CompiledExpression} from '../cel/index.js'
import {aggregateErrors} from '../rbac/authorize.js'
import {AuthctlError, usageError} from '../output/errors.js'
import {alwaysAllowAuthorizer, alwaysDenyAuthorizer, type Authorizer, authorizerChain, type AuthorizerChain, nodeAuthorizer, rbacAuthorizer} from './chain.js'
import {webhookAuthorizer} from './webhook.js'

/** A configuration ready to run: validated, its matchConditions compiled (by authorizer index). */
export interface LoadedAuthorization {
  config: AuthorizationConfiguration
  matchConditions: ReadonlyMap<number, CompiledExpression[]>
}

/** kube-apiserver's legacy flags. */
export interface LegacyAuthorizationFlags {
  /** --authorization-mode (serve's default: RBAC). */
  modes?: string[]
  /** --authorization-webhook-config-file */
  webhookConfigFile?: string
  /** --authorization-webhook-version (default v1beta1) */
  webhookVersion?: string
  /** --authorization-webhook-cache-authorized-ttl / -unauthorized-ttl in ms (default 5m / 30s; 0 = do not cache). */
  webhookCacheAuthorizedTtlMs?: number
  webhookCacheUnauthorizedTtlMs?: number
}

/** serve's default chain. kube-apiserver's own default, without any authorization flag, is AlwaysAllow. */
export const DEFAULT_MODES = ['RBAC']
const MODES = ['AlwaysAllow', 'AlwaysDeny', 'ABAC', 'Webhook', 'RBAC', 'Node']

export const CONFIG_EXCLUSIVE = '--authorization-config can not be specified when --authorization-mode or --authorization-webhook-* flags are defined'

/** The legacy flags as kube-apiserver validates and translates them (options/authorization.go). */
export function legacyAuthorizationConfiguration(flags: LegacyAuthorizationFlags, cwd = process.cwd()): AuthorizationConfiguration {
  const modes = flags.modes ?? DEFAULT_MODES
  const errors: string[] = []
  if (modes.length === 0) errors.push('at least one authorization-mode must be passed')
  for (const mode of modes) {
    if (!MODES.includes(mode)) errors.push(`authorization-mode ${JSON.stringify(mode)} is not a valid mode`)
    if (mode === 'ABAC') errors.push("authorization-mode ABAC's authorization policy file not passed")
    if (mode === 'Webhook' && !flags.webhookConfigFile) errors.push("authorization-mode Webhook's authorization config file not passed")
  }
  if (flags.webhookConfigFile && !modes.includes('Webhook')) errors.push('cannot specify --authorization-webhook-config-file without mode Webhook')
  if (new Set(modes).size !== modes.length) errors.push(`authorization-mode [${modes.map((m) => JSON.stringify(m)).join(' ')}] has mode specified more than once`)
  if (flags.webhookVersion !== undefined && !['v1', 'v1beta1'].includes(flags.webhookVersion)) {
    errors.push(`unsupported webhook authorizer version ${JSON.stringify(flags.webhookVersion)}, supported versions are "v1", "v1beta1"`)
  }
  if (errors.length) throw usageError(aggregateErrors(errors))
  const authorizedTTL = flags.webhookCacheAuthorizedTtlMs ?? 5 * 60_000
  const unauthorizedTTL = flags.webhookCacheUnauthorizedTtlMs ?? 30_000
  const authorizers: AuthorizerConfiguration[] = modes.map((mode) => mode !== 'Webhook'
    ? {name: mode.toLowerCase(), type: mode}
    : {
        name: 'default',
        type: 'Webhook',
        webhook: {
          authorizedTTL, cacheAuthorizedRequests: authorizedTTL > 0, cacheUnauthorizedRequests: unauthorizedTTL > 0,
          connectionInfo: {kubeConfigFile: resolve(cwd, flags.webhookConfigFile!), type: 'KubeConfigFile'}, failurePolicy: 'NoOpinion',
          matchConditionSubjectAccessReviewVersion: '', matchConditions: [], subjectAccessReviewVersion: flags.webhookVersion ?? 'v1beta1', timeout: 30_000, unauthorizedTTL,
        },
      })
  return {apiVersion: 'apiserver.config.k8s.io/v1', authorizers, kind: 'AuthorizationConfiguration'}
}

/** kube-apiserver's extra rules for a reloaded file: the start-up types stay, Node/RBAC/ABAC cannot be added. */
export function reloadErrors(initial: AuthorizationConfiguration, next: AuthorizationConfiguration): string | undefined {
  const before = new Set(initial.authorizers.map((a) => a.type))
  const after = new Set(next.authorizers.map((a) => a.type))
  const missing = [...before].filter((t) => t !== 'Webhook' && !after.has(t)).sort()
  if (missing.length) return `missing required types: [${missing.join(' ')}]`
  const added = ['Node', 'RBAC', 'ABAC'].find((t) => after.has(t) && !before.has(t))
  return added ? `authorizer type ${added} is not allowed if it was not enabled at initial server startup` : undefined
}

export interface ChainOptions {
  /** Milliseconds since the epoch, for webhook cache expiry. */
  now?: () => number
  /** Builds the webhook authorizers instead of connecting to them (offline analysis). */
  webhook?: (authorizer: AuthorizerConfiguration, matchConditions: CompiledExpression[]) => Authorizer
}

/** The chain a loaded configuration describes; webhook kubeconfigs are read here. */
export async function buildAuthorizerChain({config, matchConditions}: LoadedAuthorization, options: ChainOptions = {}): Promise<AuthorizerChain> {
  const authorizers: Authorizer[] = []
  for (const [i, a] of config.authorizers.entries()) {
    switch (a.type) {
      case 'RBAC':
        authorizers.push(rbacAuthorizer)
        break
      case 'Node':
        authorizers.push(nodeAuthorizer)
        break
      case 'AlwaysAllow':
        authorizers.push(alwaysAllowAuthorizer)
        break
      case 'AlwaysDeny':
        authorizers.push(alwaysDenyAuthorizer)
        break
      case 'Webhook': {
        if (options.webhook) {
          authorizers.push(options.webhook(a, matchConditions.get(i) ?? []))
          break
        }
        const file = a.webhook!.connectionInfo.kubeConfigFile!
        let target
        try {
          target = await loadWebhookConfig(file)
        } catch (error) {
          throw new AuthctlError(`authorizer ${JSON.stringify(a.name)}: cannot read the webhook kubeconfig ${JSON.stringify(file)}: ${(error as Error).message}`, {code: 'CONFIG_INVALID'})
        }
        authorizers.push(webhookAuthorizer({config: a.webhook!, matchConditions: matchConditions.get(i) ?? [], name: a.name, now: options.now, target}))
        break
      }
      default:
        throw new AuthctlError(`authorizers[${i}]: type ${a.type} is not supported by authctl (use RBAC)`, {code: 'CONFIG_INVALID'})
    }
  }
  return authorizerChain(authorizers)
}
