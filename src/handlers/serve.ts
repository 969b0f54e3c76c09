// authctl serve: start the reference API server and run until SIGINT/SIGTERM, then shut down gracefully.
import type {Handler} from '../cli/handler.js'
import {readServeConfig, serverOptionsFromFlags} from '../lib/server/config.js'
import {startServer} from '../lib/server/index.js'

const SETTINGS = [
  'bind-address', 'secure-port', 'tls-cert-file', 'tls-private-key-file', 'client-ca-file', 'token-auth-file', 'anonymous-auth', 'policy',
  'audit-log-path', 'max-request-bytes', 'max-requests-inflight', 'max-mutating-requests-inflight', 'request-timeout', 'header-timeout', 'api-audiences', 'service-account-key-file', 'service-account-issuer', 'oidc-issuer-url', 'oidc-client-id',
  'oidc-username-claim', 'oidc-username-prefix', 'oidc-groups-claim', 'oidc-groups-prefix', 'oidc-ca-file', 'oidc-required-claim', 'oidc-signing-algs',
  'authentication-token-webhook-config-file', 'authentication-token-webhook-version', 'authentication-token-webhook-cache-ttl',
]

const handler: Handler = async ({flags}, io) => {
  const fromFile = flags.config ? await readServeConfig(flags.config) : {}
  const given = Object.fromEntries(Object.entries(flags).filter(([k, v]) => SETTINGS.includes(k) && v !== undefined))
  const options = serverOptionsFromFlags({...fromFile, ...given}, SETTINGS)
  const server = await startServer({...options, log: (line) => io.err(line + '\n')})
  io.err(`serving on ${server.url}\n`)
  const document = {url: server.url, port: server.port}
  if (io.json) process.stdout.write(JSON.stringify(document) + '\n')
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      io.err(`received ${signal}, shutting down\n`)
      process.off('SIGINT', onInt)
      process.off('SIGTERM', onTerm)
      server.close().then(resolve, resolve)
    }
    const onInt = () => stop('SIGINT')
    const onTerm = () => stop('SIGTERM')
    process.on('SIGINT', onInt)
    process.on('SIGTERM', onTerm)
  })
  return {exitCode: 0}
}

export default handler
