// The server's authorizer: the RBAC policy store and the authorizer chain (both reloaded when their files change), and
// the decisions asked of them.
import {readFile} from 'node:fs/promises'

import type {UserInfo} from '../api/user.js'
import {type AuthorizerChain, buildAuthorizerChain, type ChainDecision, legacyAuthorizationConfiguration, type LoadedAuthorization, reloadErrors} from '../authz/index.js'
import type {PolicyStore} from '../rbac/index.js'
import {loadPolicySources} from '../rbac/source.js'
import type {Attributes} from '../rbac/types.js'
import {fileError} from '../output/errors.js'
import type {ServerConfig} from './options.js'
import {reloadable, type Reloadable} from './reload.js'

export interface ServerAuthorizer {
  policy: Reloadable<PolicyStore>
  chain: Reloadable<AuthorizerChain>
  /**
   * The chain's decision on `store`. Synchronous unless a webhook is configured; for a synchronous chain, remembered
   * for users that are the same object on every request.
   */
  decide(store: PolicyStore, attributes: Attributes): ChainDecision | Promise<ChainDecision>
}

async function readConfigText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8')
  } catch (error) {
    throw fileError(error, path, 'authorization config')
  }
}

/** --authorization-config (validated; reloaded with kube-apiserver's extra rules) or the legacy flags' chain. */
async function authorizerChain(config: ServerConfig): Promise<Reloadable<AuthorizerChain>> {
  const {log, options} = config
  const now = () => config.now().getTime()
  const path = options.authorization?.configFile
  if (!path) {
    const chain = await buildAuthorizerChain({config: options.authorization?.config ?? legacyAuthorizationConfiguration({}), matchConditions: new Map()}, {now})
    return {check: async () => false, current: () => chain, stop: () => chain.close()}
  }
  const {loadAuthorizationText} = await import('../authz/load.js')
  let initial: LoadedAuthorization | undefined
  let text: string | undefined
  let current: AuthorizerChain | undefined
  const load = async (): Promise<AuthorizerChain> => {
    const next = await readConfigText(path)
    // An unchanged file is no reload: the chain, its webhook caches and connections stay.
    if (current && next === text) return current
    const loaded = await loadAuthorizationText(next, path)
    const refused = initial && reloadErrors(initial.config, loaded.config)
    if (refused) throw new Error(refused)
    const chain = await buildAuthorizerChain(loaded, {now})
    initial ??= loaded
    // The replaced chain's webhook connections close once calls in flight on it are over (a webhook timeout is ≤ 30s).
    const replaced = current
    if (replaced) setTimeout(() => replaced.close(), 31_000).unref()
    text = next
    return (current = chain)
  }
  const reloading = await reloadable([path], load, {
    intervalMs: config.reloading('authorization').intervalMs,
    // kube-apiserver's log words.
    onError: (error) => log(`error: reloading authorization config: ${error.message} (keeping the previous authorizers)`),
    onReload: () => log('reloaded authz config'),
  })
  // Stopping the server also closes the webhooks' connections.
  return {...reloading, stop: () => {
    reloading.stop()
    reloading.current().close()
  }}
}

export async function serverAuthorizer(config: ServerConfig): Promise<ServerAuthorizer> {
  const {options} = config
  const chain = await authorizerChain(config)
  const load = async () => (await loadPolicySources({
    bootstrap: options.bootstrapPolicy !== false,
    objects: options.policyObjects,
    onWarning: (warning) => config.log(`warning: ${warning}`),
    paths: options.policyPaths ?? [],
  })).store
  const policy = await reloadable(options.policyPaths ?? [], load, config.reloading('policy'))

  // A synchronous chain's decisions are pure functions of the chain, the (immutable) policy store, the user and the
  // attributes. Certificate and static-token users are the same object for every request (the authentication chain
  // keeps them), so their recent decisions are remembered until the policy or the chain is reloaded; users from
  // verified JWTs are new objects per request. A webhook's answers are cached by the webhook authorizer itself.
  const decisions = new WeakMap<UserInfo, {store: PolicyStore; chain: AuthorizerChain; results: Map<string, ChainDecision>}>()
  const decide = (store: PolicyStore, attributes: Attributes) => {
    const current = chain.current()
    if (current.asynchronous) return current.authorize(attributes, store)
    let entry = decisions.get(attributes.user)
    if (!entry || entry.store !== store || entry.chain !== current) decisions.set(attributes.user, (entry = {chain: current, results: new Map(), store}))
    const a = attributes
    const key = a.resourceRequest
      ? `r\u0000${a.verb}\u0000${a.apiGroup}\u0000${a.resource}\u0000${a.subresource}\u0000${a.name}\u0000${a.namespace}`
      : `n\u0000${a.verb}\u0000${a.path}`
    let result = entry.results.get(key)
    if (!result) {
      result = current.authorize(attributes, store) as ChainDecision
      if (entry.results.size >= 256) entry.results.clear()
      entry.results.set(key, result)
    }
    return result
  }
  return {chain, decide, policy}
}
