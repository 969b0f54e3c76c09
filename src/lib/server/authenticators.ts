// The server's authentication chain wired from its options: client certificates (reloaded CA bundles), the static
// token file (reloaded), ServiceAccount tokens, the JWT authenticators (--authentication-config, reloaded, or the
// --oidc-* flags), the token webhook and in-process authenticators, in kube-apiserver's order; anonymous as the file
// or --anonymous-auth says; plus the ServiceAccount issuer discovery documents and the TokenReview check.
import type {KeyObject} from 'node:crypto'

import type {ObjectStore} from '../api/objects.js'
import {authenticateRequest, authenticateToken, type ChainOptions, type ChainResult} from '../authn/chain.js'
import {withAuthenticatedGroup} from '../api/user.js'
import {parseTokenFile, tokenFileAuthenticator} from '../authn/tokenfile.js'
import type {TokenAuthenticator} from '../authn/types.js'
import {parseCertificates, x509Authenticator} from '../authn/x509.js'
import {AuthctlError} from '../output/errors.js'
import {readText, type ServerConfig} from './options.js'
import {jwtAuthentication, type JwtAuthentication} from './authentication-config.js'
import {peerChains} from './peers.js'
import {reloadable, type Reloadable} from './reload.js'
import type {TokenCheck} from './reviews.js'
import {connectionOf, type Request} from './serving.js'

export interface ServerAuthentication {
  /** The request's user, judged from its TLS connection and headers only. */
  authenticate(req: Request): ChainResult | Promise<ChainResult>
  /** TokenReview: the bearer token authenticators alone. */
  checkToken: TokenCheck
  /** --api-audiences, defaulting to the ServiceAccount issuers as kube-apiserver does. */
  apiAudiences: string[]
  /** GET documents served to anyone allowed (issuer discovery), by path. */
  publicDocuments: Record<string, () => unknown>
  reloadables: Reloadable<unknown>[]
}

async function clientCertificates(config: ServerConfig) {
  const files = [config.options.clientCAFile, ...(config.options.additionalClientCAFiles ?? [])].filter((f): f is string => Boolean(f))
  if (!files.length) return undefined
  return reloadable(files, async () => {
    const all = []
    for (const path of files) {
      const certs = parseCertificates(await readText(path, 'client CA file'))
      if (!certs.length) throw new AuthctlError(`no certificates found in client CA file ${JSON.stringify(path)}`)
      all.push(...certs)
    }
    return all
  }, config.reloading('client CA'))
}

async function tokenFile(config: ServerConfig) {
  const path = config.options.tokenAuthFile
  if (!path) return undefined
  return reloadable([path], async () => {
    const file = parseTokenFile(await readText(path, 'token file'), path)
    for (const w of file.warnings) config.log(`warning: ${w}`)
    return file
  }, config.reloading('token file'))
}

/** --objects: the ServiceAccounts, Pods, Secrets and Nodes ServiceAccount tokens are looked up in (reloaded). */
async function clusterObjects(config: ServerConfig) {
  const paths = config.options.objects?.paths ?? []
  if (!paths.length) return undefined
  const {loadObjects} = await import('../api/objects.js')
  return reloadable(paths, () => loadObjects(paths), config.reloading('objects'))
}

/** The JWT and webhook authenticators, in order, and the documents issuer discovery publishes. */
async function jwtAuthenticators(config: ServerConfig, apiAudiences: string[], publicDocuments: Record<string, () => unknown>, jwt: JwtAuthentication, objects?: Reloadable<ObjectStore>): Promise<TokenAuthenticator[]> {
  const {now, options} = config
  const authenticators: TokenAuthenticator[] = []
  if (options.serviceAccount?.keyFiles.length) {
    const {issuerDiscovery, serviceAccountAuthenticator} = await import('../authn/serviceaccount.js')
    const {parsePemKeys} = await import('../token/keys.js')
    const keys: KeyObject[] = []
    for (const file of options.serviceAccount.keyFiles) keys.push(...parsePemKeys(await readText(file, 'service account key file', options.age), file))
    authenticators.push(serviceAccountAuthenticator({
      apiAudiences, issuers: options.serviceAccount.issuers, keys: () => keys, legacyLookup: options.objects?.lookup, now, objects: objects && (() => objects.current()),
    }))
    const issuer = options.serviceAccount.issuers[0]
    if (issuer) {
      const {jwks, openid} = await issuerDiscovery(issuer, keys)
      publicDocuments['/.well-known/openid-configuration'] = () => openid
      publicDocuments['/openid/v1/jwks'] = () => jwks
    }
  }
  if (jwt.token) authenticators.push(jwt.token)
  if (options.webhook) {
    const {loadWebhookConfig, webhookAuthenticator} = await import('../authn/webhook.js')
    let target
    try {
      target = await loadWebhookConfig(options.webhook.configFile)
    } catch (error) {
      throw new AuthctlError(`cannot load webhook config ${JSON.stringify(options.webhook.configFile)}: ${(error as Error).message}`, {code: 'INVALID_CONFIG'})
    }
    authenticators.push(webhookAuthenticator({apiAudiences, cacheTtlMs: options.webhook.cacheTtlMs, target, version: options.webhook.version}))
  }
  return authenticators
}

/** Go's URL.Path of a request URI: the path without the query, percent-decoded (undefined when it does not decode). */
function requestPath(uri: string): string | undefined {
  const q = uri.indexOf('?')
  try {
    return decodeURIComponent(q < 0 ? uri : uri.slice(0, q))
  } catch {
    return undefined
  }
}

export async function serverAuthentication(config: ServerConfig): Promise<ServerAuthentication> {
  const {options} = config
  const tokens = await tokenFile(config)
  const clientCA = await clientCertificates(config)
  const objects = await clusterObjects(config)
  const apiAudiences = options.apiAudiences?.length ? options.apiAudiences : (options.serviceAccount?.issuers ?? [])
  const publicDocuments: Record<string, () => unknown> = {...options.publicDocuments}
  const jwt = await jwtAuthentication(config, apiAudiences)
  const tokenAuthenticators = [
    ...(tokens ? [tokenFileAuthenticator(() => tokens.current())] : []),
    ...(await jwtAuthenticators(config, apiAudiences, publicDocuments, jwt, objects)),
    ...(options.tokenAuthenticators ?? []),
  ]
  const chain: ChainOptions = {
    anonymous: jwt.anonymous.enabled, anonymousPaths: jwt.anonymous.paths, audiences: apiAudiences, tokens: tokenAuthenticators,
    x509: clientCA ? x509Authenticator(() => clientCA.current()) : undefined,
  }
  const peers = peerChains(config.limits.sessionTimeoutMs)
  return {
    apiAudiences,
    authenticate: (req) => authenticateRequest(chain, {
      authorization: req.headers.authorization,
      path: jwt.anonymous.paths && requestPath(req.url ?? '/'),
      peerCertificates: clientCA ? peers.chainFor(connectionOf(req)) : [],
    }, config.now()),
    async checkToken(token, audiences) {
      const {errors, result} = await authenticateToken(tokenAuthenticators, token, audiences)
      if (result && 'user' in result) return {audiences: result.audiences, user: withAuthenticatedGroup(result.user)}
      return {error: errors.length ? errors.join(', ') : 'invalid bearer token'}
    },
    publicDocuments,
    reloadables: [tokens, clientCA, objects, jwt.reloadable].filter((r): r is Reloadable<any> => Boolean(r)),
  }
}
