// The reference API server: HTTP/2 and HTTP/1.1 over TLS with optional client certificates, kube-apiserver's
// authentication chain, filter order and RBAC, and an audit line per request. startServer composes the parts.
import {auditLog} from './audit.js'
import {serverAuthentication} from './authenticators.js'
import {serverAuthorizer} from './authorizer.js'
import {filterChain} from './filters.js'
import {serve} from './lifecycle.js'
import {type RunningServer, serverConfig, type ServerOptions} from './options.js'
import {routes} from './routes.js'

export type {RunningServer, ServerOptions} from './options.js'

export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const config = serverConfig(options)
  const authz = await serverAuthorizer(config)
  const authn = await serverAuthentication(config)
  const audit = auditLog(options)
  const route = routes(config, authn, authz)
  return serve(config, {
    audit,
    handler: (closing) => filterChain({audit, authn, authz, closing, config, route}),
    reloadables: [authz.policy, authz.chain, ...authn.reloadables],
  })
}
