// The server's authorizer: the RBAC policy store (reloaded when its files change) and the decisions asked of it.
import type {UserInfo} from '../api/user.js'
import {authorize, type PolicyStore} from '../rbac/index.js'
import {loadPolicySources} from '../rbac/source.js'
import type {Attributes, AuthorizationResult} from '../rbac/types.js'
import type {ServerConfig} from './options.js'
import {reloadable, type Reloadable} from './reload.js'

export interface ServerAuthorizer {
  policy: Reloadable<PolicyStore>
  /** A decision on `store`, remembered for users that are the same object on every request. */
  decide(store: PolicyStore, attributes: Attributes): AuthorizationResult
}

export async function serverAuthorizer(config: ServerConfig): Promise<ServerAuthorizer> {
  const {options} = config
  const load = async () => (await loadPolicySources({
    bootstrap: options.bootstrapPolicy !== false,
    objects: options.policyObjects,
    onWarning: (warning) => config.log(`warning: ${warning}`),
    paths: options.policyPaths ?? [],
  })).store
  const policy = await reloadable(options.policyPaths ?? [], load, config.reloading('policy'))

  // Decisions are pure functions of the (immutable) policy store, the user and the attributes. Certificate and
  // static-token users are the same object for every request (the authentication chain keeps them), so their recent
  // decisions are remembered until the policy is reloaded; users from verified JWTs are new objects per request.
  const decisions = new WeakMap<UserInfo, {store: PolicyStore; results: Map<string, AuthorizationResult>}>()
  const decide = (store: PolicyStore, attributes: Attributes) => {
    let entry = decisions.get(attributes.user)
    if (!entry || entry.store !== store) decisions.set(attributes.user, (entry = {results: new Map(), store}))
    const a = attributes
    const key = a.resourceRequest
      ? `r\u0000${a.verb}\u0000${a.apiGroup}\u0000${a.resource}\u0000${a.subresource}\u0000${a.name}\u0000${a.namespace}`
      : `n\u0000${a.verb}\u0000${a.path}`
    let result = entry.results.get(key)
    if (!result) {
      result = authorize(store, attributes)
      if (entry.results.size >= 256) entry.results.clear()
      entry.results.set(key, result)
    }
    return result
  }
  return {decide, policy}
}
