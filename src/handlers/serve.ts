// authctl serve: start the reference API server and run until SIGINT/SIGTERM, then shut down gracefully.
import {declaredNames} from '../cli/flag-names.js'
import type {Handler} from '../cli/handler.js'
import type Serve from '../commands/serve.js'
import {resolve} from 'node:path'

import {writeFileAtomic} from '../lib/files/write.js'
import {adminKubeconfig, clientCaFromCertDir, defaultCertDir} from '../lib/server/cert-dir.js'
import {readServeConfig, serverOptionsFromFlags} from '../lib/server/config.js'
import {startServer} from '../lib/server/index.js'
import {ageOptions} from './age-options.js'

const SETTINGS = [
  'bind-address', 'secure-port', 'tls-cert-file', 'tls-private-key-file', 'client-ca-file', 'token-auth-file', 'anonymous-auth', 'authentication-config', 'policy',
  'audit-log-path', 'max-request-bytes', 'max-requests-inflight', 'max-mutating-requests-inflight', 'request-timeout', 'header-timeout', 'api-audiences', 'service-account-key-file', 'service-account-issuer', 'objects', 'service-account-lookup', 'oidc-issuer-url', 'oidc-client-id',
  'oidc-username-claim', 'oidc-username-prefix', 'oidc-groups-claim', 'oidc-groups-prefix', 'oidc-ca-file', 'oidc-required-claim', 'oidc-signing-algs',
  'authentication-token-webhook-config-file', 'authentication-token-webhook-version', 'authentication-token-webhook-cache-ttl',
  'cert-dir',
  'authorization-config', 'authorization-mode', 'authorization-webhook-config-file', 'authorization-webhook-version',
  'authorization-webhook-cache-authorized-ttl', 'authorization-webhook-cache-unauthorized-ttl',
]

const handler: Handler<typeof Serve> = async ({flags}, io) => {
  const fromFile = flags.config ? await readServeConfig(flags.config) : {}
  const given = Object.fromEntries(Object.entries(declaredNames(flags)).filter(([k, v]) => SETTINGS.includes(k) && v !== undefined))
  const options = serverOptionsFromFlags({...fromFile, ...given}, SETTINGS)
  const certDir = options.certDir ?? defaultCertDir(io.env)
  const kubeconfigPath = flags.writeKubeconfig
  // The admin client CA is trusted from the start; its certificate goes into the kubeconfig once the URL is known.
  const clientCa = kubeconfigPath ? await clientCaFromCertDir(certDir, io.now()) : undefined
  const server = await startServer({...options, age: ageOptions(flags, io), additionalClientCAFiles: clientCa && [clientCa.path], certDir, log: (line) => io.err(line + '\n'), stdout: (text) => io.outDocument(text)})
  io.err(`serving on ${server.url}\n`)
  if (clientCa && kubeconfigPath) {
    try {
      await writeFileAtomic(resolve(io.cwd, kubeconfigPath), await adminKubeconfig(clientCa.pair, server.url, server.caCertificate, io.now()), {force: true, mode: 0o600})
    } catch (error) {
      await server.close()
      throw error
    }
    io.err(`wrote admin kubeconfig ${kubeconfigPath} (user "admin" in system:masters, which bypasses RBAC): KUBECONFIG=${kubeconfigPath} kubectl auth whoami\n`)
  }
  const document = {url: server.url, port: server.port}
  if (io.json) io.outDocument(JSON.stringify(document) + '\n')
  await new Promise<void>((resolve) => {
    io.onInterrupt((signal) => {
      io.err(`received ${signal}, shutting down\n`)
      server.close().then(resolve, resolve)
    })
  })
  return {exitCode: 0}
}

export default handler
