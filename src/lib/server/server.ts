// The reference API server: HTTP/2 and HTTP/1.1 over TLS with optional client certificates, kube-apiserver's filter
// order (authentication → impersonation → max-in-flight → authorization → handler), all judged from the request line
// and headers before any body is read, and an audit line per request.
import {randomUUID} from 'node:crypto'
import {createWriteStream, type WriteStream} from 'node:fs'
import {readFile} from 'node:fs/promises'
import type {ServerResponse} from 'node:http'

import {authenticateRequest, authenticateToken, type ChainResult} from '../authn/chain.js'
import {withAuthenticatedGroup} from '../api/user.js'
import {parseTokenFile, type TokenFile, tokenFileAuthenticator} from '../authn/tokenfile.js'
import type {TokenAuthenticator} from '../authn/types.js'
import {parseCertificates, x509Authenticator} from '../authn/x509.js'
import type {UserInfo} from '../api/user.js'
import {AuthctlError, fileError} from '../output/errors.js'
import {tlsKeyPem} from '../pki/keys.js'
import {authorize, type PolicyStore} from '../rbac/index.js'
import {loadPolicySources} from '../rbac/source.js'
import type {Attributes} from '../rbac/types.js'
import type {RbacObject} from '../api/rbac.js'
import {auditEvent} from './audit.js'
import {aggregatedDiscovery, aggregatedVersion, AGGREGATED_V2, AGGREGATED_V2BETA1, apiGroupList, apiResourceList, apiVersions} from './discovery.js'
import {impersonate} from './impersonation.js'
import {decodeReview} from './decode.js'
import {inflightLimiter, TOO_MANY_REQUESTS} from './inflight.js'
import {peerChains} from './peers.js'
import {reloadable, type Reloadable} from './reload.js'
import {requestInfo, type RequestInfo} from './requestinfo.js'
import {type Reply, selfSubjectAccessReview, selfSubjectReview, selfSubjectRulesReview, subjectAccessReview, tokenReview} from './reviews.js'
import {createServing, connectionOf, DEFAULT_LIMITS, type Request, type Response, stopReading} from './serving.js'
import {forbidden, internalError, methodNotSupported, pathNotFound, type Status, timeout, tooLarge, unauthorized, unsupportedMediaType} from './status.js'

export interface ServerOptions {
  /** --bind-address (default 127.0.0.1) and --secure-port (default 6443; 0 picks a free port). */
  host?: string
  port?: number
  /** Serving certificate and key (PEM); a self-signed pair for localhost/127.0.0.1 is generated when absent. */
  tlsCertFile?: string
  tlsKeyFile?: string
  /** --client-ca-file: enables x509 client certificate authentication. */
  clientCAFile?: string
  /** Client CA bundles trusted besides --client-ca-file (the admin client CA of --write-kubeconfig). */
  additionalClientCAFiles?: string[]
  /** --cert-dir: the generated serving certificate is written here and reused; without it, one is made per start. */
  certDir?: string
  /** --token-auth-file */
  tokenAuthFile?: string
  /** --policy files or directories of RBAC YAML. */
  policyPaths?: string[]
  /** RBAC objects given in-process (added after the bootstrap policy and before the files). */
  policyObjects?: RbacObject[]
  /** Seed kube-apiserver's bootstrap ClusterRoles and bindings (default true). */
  bootstrapPolicy?: boolean
  /** --anonymous-auth (default true). */
  anonymousAuth?: boolean
  /** --api-audiences */
  apiAudiences?: string[]
  /** ServiceAccount tokens: --service-account-key-file (PEM public keys, certificates or private keys) and
   * --service-account-issuer (the first is published by issuer discovery). */
  serviceAccount?: {keyFiles: string[]; issuers: string[]}
  /** --oidc-* flags. */
  oidc?: {issuerUrl: string; clientId: string; usernameClaim?: string; usernamePrefix?: string; groupsClaim?: string; groupsPrefix?: string;
    caFile?: string; requiredClaims?: Record<string, string>; signingAlgs?: string[]}
  /** --authentication-token-webhook-config-file, -version (default v1beta1), -cache-ttl in ms (default 2m). */
  webhook?: {configFile: string; version?: 'v1' | 'v1beta1'; cacheTtlMs?: number}
  /** Further bearer token authenticators tried last, in order. */
  tokenAuthenticators?: TokenAuthenticator[]
  /** Extra GET handlers for non-resource paths (e.g. ServiceAccount issuer discovery). */
  publicDocuments?: Record<string, () => unknown>
  /** --audit-log-path ('-' = stdout). */
  auditLogPath?: string
  /** Called with each audit event (tests, embedding). */
  onAudit?: (event: ReturnType<typeof auditEvent>) => void
  /** Request body limit in bytes (default 3 MiB, kube-apiserver's). */
  maxRequestBodyBytes?: number
  /** Time to finish the TLS handshake and send a request's headers (default 32 s, kube-apiserver's ReadHeaderTimeout). */
  headerTimeoutMs?: number
  /** Keep-alive connections and h2 sessions without traffic are closed after this (default 90 s). */
  idleTimeoutMs?: number
  /** Request header block limit (default 1 MiB, kube-apiserver's MaxHeaderBytes). */
  maxHeaderBytes?: number
  /** --request-timeout: a request not answered within it gets 504 (default 60 s). */
  requestTimeoutMs?: number
  /** --max-requests-inflight (default 400) and --max-mutating-requests-inflight (default 200); 0 = no limit. */
  maxRequestsInflight?: number
  maxMutatingRequestsInflight?: number
  /** How often watched files are checked for changes (default 1000 ms; 0 disables). */
  reloadIntervalMs?: number
  /** The version reported by /version (default 1.32). */
  version?: {major: string; minor: string; gitVersion: string}
  log?: (line: string) => void
  now?: () => Date
}

export interface RunningServer {
  url: string
  port: number
  host: string
  /** The certificate clients should trust (PEM): the generated CA, or the given serving certificate. */
  caCertificate: string
  /** Requests served so far per protocol (HTTP/1.1, HTTP/2). */
  requestsByProtocol(): {h1: number; h2: number}
  /** Re-reads changed policy, token and CA files now; true when something was reloaded. */
  reload(): Promise<boolean>
  /** Stops accepting connections, lets in-flight requests finish, closes idle keep-alive connections. */
  close(): Promise<void>
}

const DEFAULT_BODY_LIMIT = 3 * 1024 * 1024

/** The resources this server implements (all creates). */
const REVIEWS = new Set([
  'authentication.k8s.io/v1/selfsubjectreviews', 'authentication.k8s.io/v1/tokenreviews', 'authentication.k8s.io/v1beta1/selfsubjectreviews',
  'authorization.k8s.io/v1/localsubjectaccessreviews', 'authorization.k8s.io/v1/selfsubjectaccessreviews',
  'authorization.k8s.io/v1/selfsubjectrulesreviews', 'authorization.k8s.io/v1/subjectaccessreviews',
])

async function readText(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8')
  } catch (error) {
    throw fileError(error, path, what)
  }
}

interface State {
  policy: Reloadable<PolicyStore>
  tokens?: Reloadable<TokenFile>
  clientCA?: Reloadable<ReturnType<typeof parseCertificates>>
}

class BodyTooLarge extends Error {}
class RequestGone extends Error {}

/** The body, up to `limit` bytes; rejects when it is larger or the request goes away before its end. */
function readBody(req: Request, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    const onData = (chunk: Buffer) => {
      size += chunk.length
      if (size > limit) {
        req.off('data', onData)
        reject(new BodyTooLarge())
      } else chunks.push(chunk)
    }
    let ended = false
    req.on('data', onData)
    req.once('end', () => {
      ended = true
      resolve(Buffer.concat(chunks))
    })
    // 'close' follows 'end' on every request: only a request gone before its end is an error (and is rare, so the
    // error object is made only then).
    const gone = () => ended || reject(new RequestGone())
    req.once('close', gone)
    req.once('error', gone)
  })
}

/** The media type of a request body: JSON (also when none is named), Kubernetes protobuf, or unsupported. */
function bodyMediaType(contentType: string | undefined): 'json' | 'protobuf' | undefined {
  const type = (contentType ?? 'application/json').split(';')[0].trim().toLowerCase()
  if (type === 'application/vnd.kubernetes.protobuf') return 'protobuf'
  return type === 'application/json' || type === '*/*' ? 'json' : undefined
}

/** Request headers by lower-cased name, repeated ones in order (HTTP/2 pseudo-headers included). */
function distinctHeaders(req: Request): Record<string, string[]> {
  const headers: Record<string, string[]> = Object.create(null)
  const raw = req.rawHeaders
  for (let i = 0; i + 1 < raw.length; i += 2) (headers[raw[i].toLowerCase()] ??= []).push(raw[i + 1])
  return headers
}

async function loadPolicyStore(options: ServerOptions): Promise<PolicyStore> {
  const {store} = await loadPolicySources({
    bootstrap: options.bootstrapPolicy !== false,
    objects: options.policyObjects,
    onWarning: (warning) => options.log?.(`warning: ${warning}`),
    paths: options.policyPaths ?? [],
  })
  return store
}

/** The serving certificate and key, and the certificate clients should trust (the chain's CA when generated). */
async function servingPair(options: ServerOptions): Promise<{ca: string; cert: string; key: string}> {
  if (options.tlsCertFile && options.tlsKeyFile) {
    const cert = await readText(options.tlsCertFile, 'serving certificate')
    return {ca: cert, cert, key: tlsKeyPem(await readText(options.tlsKeyFile, 'serving key'), {source: options.tlsKeyFile, what: 'serving key (--tls-private-key-file)'})}
  }
  if (options.tlsCertFile || options.tlsKeyFile) throw new AuthctlError('--tls-cert-file and --tls-private-key-file must be given together', {code: 'USAGE', exitCode: 2})
  const host = options.host ?? '127.0.0.1'
  const now = (options.now ?? (() => new Date()))()
  if (options.certDir) {
    const {servingFromCertDir} = await import('./cert-dir.js')
    const pair = await servingFromCertDir(options.certDir, host, now)
    options.log?.(`${pair.reused ? 'using the serving certificate in' : 'wrote a generated CA and serving certificate to'} ${options.certDir}`)
    return pair
  }
  const {generatedServingCert} = await import('./selfsigned.js')
  return generatedServingCert(host, now)
}

export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const now = options.now ?? (() => new Date())
  const log = options.log ?? (() => {})
  const limit = options.maxRequestBodyBytes ?? DEFAULT_BODY_LIMIT
  const reloadOpts = (what: string) => ({
    intervalMs: options.reloadIntervalMs ?? 1000,
    onError: (error: Error) => log(`error: reloading ${what} failed, keeping the previous one: ${error.message}`),
    onReload: () => log(`reloaded ${what}`),
  })
  const state: State = {
    policy: await reloadable(options.policyPaths ?? [], () => loadPolicyStore(options), reloadOpts('policy')),
  }
  if (options.tokenAuthFile) {
    const path = options.tokenAuthFile
    state.tokens = await reloadable([path], async () => {
      const file = parseTokenFile(await readText(path, 'token file'), path)
      for (const w of file.warnings) log(`warning: ${w}`)
      return file
    }, reloadOpts('token file'))
  }
  const clientCAFiles = [options.clientCAFile, ...(options.additionalClientCAFiles ?? [])].filter((f): f is string => Boolean(f))
  if (clientCAFiles.length > 0) {
    state.clientCA = await reloadable(clientCAFiles, async () => {
      const all = []
      for (const path of clientCAFiles) {
        const certs = parseCertificates(await readText(path, 'client CA file'))
        if (!certs.length) throw new AuthctlError(`no certificates found in client CA file ${JSON.stringify(path)}`)
        all.push(...certs)
      }
      return all
    }, reloadOpts('client CA'))
  }
  const tokenAuthenticators: TokenAuthenticator[] = state.tokens ? [tokenFileAuthenticator(() => state.tokens!.current())] : []
  const publicDocuments: Record<string, () => unknown> = {...options.publicDocuments}
  // kube-apiserver defaults --api-audiences to the service account issuers.
  const apiAudiences = options.apiAudiences?.length ? options.apiAudiences : (options.serviceAccount?.issuers ?? [])
  if (options.serviceAccount?.keyFiles.length) {
    const {issuerDiscovery, serviceAccountAuthenticator} = await import('../authn/serviceaccount.js')
    const {parsePemKeys} = await import('../token/keys.js')
    const keys: import('node:crypto').KeyObject[] = []
    for (const file of options.serviceAccount.keyFiles) keys.push(...parsePemKeys(await readText(file, 'service account key file'), file))
    tokenAuthenticators.push(serviceAccountAuthenticator({apiAudiences, issuers: options.serviceAccount.issuers, keys: () => keys, now}))
    const issuer = options.serviceAccount.issuers[0]
    if (issuer) {
      const {jwks, openid} = await issuerDiscovery(issuer, keys)
      publicDocuments['/.well-known/openid-configuration'] = () => openid
      publicDocuments['/openid/v1/jwks'] = () => jwks
    }
  }
  if (options.oidc) {
    const {oidcAuthenticator} = await import('../authn/oidc.js')
    const caPem = options.oidc.caFile ? await readText(options.oidc.caFile, 'OIDC CA file') : undefined
    tokenAuthenticators.push(oidcAuthenticator({...options.oidc, caPem, now}))
  }
  if (options.webhook) {
    const {loadWebhookConfig, webhookAuthenticator} = await import('../authn/webhook.js')
    let target
    try {
      target = await loadWebhookConfig(options.webhook.configFile)
    } catch (error) {
      throw new AuthctlError(`cannot load webhook config ${JSON.stringify(options.webhook.configFile)}: ${(error as Error).message}`, {code: 'INVALID_CONFIG'})
    }
    tokenAuthenticators.push(webhookAuthenticator({apiAudiences, cacheTtlMs: options.webhook.cacheTtlMs, target, version: options.webhook.version}))
  }
  tokenAuthenticators.push(...(options.tokenAuthenticators ?? []))
  const x509 = state.clientCA ? x509Authenticator(() => state.clientCA!.current()) : undefined
  const chainOptions = {anonymous: options.anonymousAuth ?? true, audiences: apiAudiences, tokens: tokenAuthenticators, x509}

  let audit: WriteStream | undefined
  if (options.auditLogPath && options.auditLogPath !== '-') audit = createWriteStream(options.auditLogPath, {flags: 'a', mode: 0o600})
  const auditing = Boolean(audit || options.onAudit || options.auditLogPath === '-')
  const writeAudit = (event: ReturnType<typeof auditEvent>) => {
    options.onAudit?.(event)
    const line = JSON.stringify(event) + '\n'
    if (audit) audit.write(line)
    else if (options.auditLogPath === '-') process.stdout.write(line)
  }

  const limits = {
    headerTimeoutMs: options.headerTimeoutMs ?? DEFAULT_LIMITS.headerTimeoutMs,
    idleTimeoutMs: options.idleTimeoutMs ?? DEFAULT_LIMITS.idleTimeoutMs,
    maxHeaderBytes: options.maxHeaderBytes ?? DEFAULT_LIMITS.maxHeaderBytes,
    sessionTimeoutMs: DEFAULT_LIMITS.sessionTimeoutMs,
  }
  const requestTimeoutMs = options.requestTimeoutMs ?? 60_000
  const inflight = inflightLimiter(options.maxRequestsInflight ?? 400, options.maxMutatingRequestsInflight ?? 200)
  const peers = peerChains(limits.sessionTimeoutMs)
  const served = {h1: 0, h2: 0}

  // Decisions are pure functions of the (immutable) policy store, the user and the attributes. Certificate and
  // static-token users are the same object for every request (the authentication chain keeps them), so their recent
  // decisions are remembered until the policy is reloaded; users from verified JWTs are new objects per request.
  const decisions = new WeakMap<UserInfo, {store: PolicyStore; results: Map<string, ReturnType<typeof authorize>>}>()
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

  const version = options.version ?? {gitVersion: 'v1.32.0', major: '1', minor: '32'}
  const {ca, cert, key} = await servingPair(options)

  async function handle(req: Request, res: Response, auditId: string, expectsContinue: boolean): Promise<void> {
    const received = now()
    const requestURI = req.url ?? '/'
    const info = requestInfo(req.method ?? 'GET', requestURI)
    const annotations: Record<string, string> = {}
    let user: UserInfo | undefined
    let impersonatedUser: UserInfo | undefined
    const send = (code: number, body: unknown, contentType = 'application/json', extraHeaders: Record<string, string> = {}) => {
      if (res.headersSent) return
      // While shutting down, answer and close so the connection does not linger as keep-alive.
      if (serving.closing() && req.httpVersionMajor !== 2) (res as ServerResponse).shouldKeepAlive = false
      const text = typeof body === 'string' ? body : JSON.stringify(body)
      res.writeHead(code, {'Audit-Id': auditId, 'Content-Length': Buffer.byteLength(text), 'Content-Type': contentType, ...extraHeaders})
      res.end(text)
      if (auditing) writeAudit(auditEvent({
        annotations, auditId, code, completed: now(), impersonatedUser, info, received, requestURI, sourceIP: req.socket?.remoteAddress ?? '',
        status: code >= 400 && typeof body === 'object' ? (body as Status) : undefined, user, userAgent: req.headers['user-agent'],
      }))
    }
    const sendStatus = (status: Status) =>
      send(status.code, status, 'application/json', status.code === 403 ? {'X-Content-Type-Options': 'nosniff'} : {})
    /** An answer given before the body was read: the body is not read at all. */
    const refuse = (status: Status) => {
      stopReading(req, res)
      sendStatus(status)
    }

    const timer = setTimeout(() => refuse(timeout()), requestTimeoutMs)
    res.once('close', () => clearTimeout(timer))

    const authn: ChainResult = await authenticateRequest(chainOptions, {
      authorization: req.headers.authorization,
      peerCertificates: state.clientCA ? peers.chainFor(connectionOf(req)) : [],
    }, now())
    if ('errors' in authn) {
      log(`authentication failed for ${req.method} ${requestURI}: ${authn.errors.join(', ')}`)
      return refuse(unauthorized())
    }
    user = authn.user
    Object.assign(annotations, authn.annotations)
    const store = state.policy.current()

    // Most requests carry no Impersonate-* header; only then is the header map built.
    const impersonating = req.rawHeaders.some((h, i) => i % 2 === 0 && h.length > 12 && h.slice(0, 12).toLowerCase() === 'impersonate-')
    const imp = impersonating ? impersonate(distinctHeaders(req), user, (a) => authorize(store, a)) : {kind: 'none' as const}
    if (imp.kind === 'error') {
      // kube-apiserver answers impersonation headers without a user with responsewriters.InternalError.
      stopReading(req, res)
      const text = `Internal Server Error: ${JSON.stringify(requestURI)}: ${imp.message}\n`
      return send(500, text, 'text/plain; charset=utf-8', {'X-Content-Type-Options': 'nosniff'})
    }
    if (imp.kind === 'forbidden') {
      annotations['authorization.k8s.io/decision'] = 'forbid'
      annotations['authorization.k8s.io/reason'] = imp.reason
      return refuse(forbidden(imp.attributes, imp.reason))
    }
    if (imp.kind === 'ok') {
      impersonatedUser = imp.user
    }
    const subject = impersonatedUser ?? user

    const release = inflight.acquire(info.verb, subject.groups)
    if (!release) {
      stopReading(req, res)
      return send(429, TOO_MANY_REQUESTS, 'text/plain; charset=utf-8', {'Retry-After': '1', 'X-Content-Type-Options': 'nosniff'})
    }
    res.once('close', release)

    const attributes: Attributes = info.isResourceRequest
      ? {apiGroup: info.apiGroup, apiVersion: info.apiVersion, name: info.name, namespace: info.namespace, resource: info.resource, resourceRequest: true, subresource: info.subresource, user: subject, verb: info.verb}
      : {path: info.path, resourceRequest: false, user: subject, verb: info.verb}
    const decision = decide(store, attributes)
    annotations['authorization.k8s.io/decision'] = decision.decision === 'Allow' ? 'allow' : 'forbid'
    annotations['authorization.k8s.io/reason'] = decision.reason
    if (decision.decision !== 'Allow') return refuse(forbidden(attributes, decision.reason))

    const reply = await route(req, res, info, subject, store, expectsContinue)
    if (!reply) return
    if (reply.code >= 400) return sendStatus(reply.body as Status)
    if (typeof reply.body === 'string') return send(reply.code, reply.body, 'text/plain; charset=utf-8')
    send(reply.code, reply.body, (reply as Reply & {contentType?: string}).contentType)
  }

  async function checkToken(token: string, audiences: string[]) {
    const {errors, result} = await authenticateToken(tokenAuthenticators, token, audiences)
    if (result && 'user' in result) return {audiences: result.audiences, user: withAuthenticatedGroup(result.user)}
    return {error: errors.length ? errors.join(', ') : 'invalid bearer token'}
  }

  /** The answer for an authorized request, or undefined when it was already answered (body too large, timed out). */
  async function route(req: Request, res: Response, info: RequestInfo, user: UserInfo, store: PolicyStore, expectsContinue: boolean): Promise<(Reply & {contentType?: string}) | undefined> {
    const method = req.method ?? 'GET'
    const fail = (status: Status) => {
      stopReading(req, res)
      return {body: status, code: status.code}
    }
    if (!info.isResourceRequest) {
      if (method !== 'GET' && method !== 'HEAD') return fail(pathNotFound())
      req.resume()
      const path = info.path.replace(/\/$/, '') || '/'
      if (path === '/version') return {body: {...version, buildDate: '2025-01-01T00:00:00Z', compiler: 'gc', gitCommit: '0000000000000000000000000000000000000000', gitTreeState: 'clean', goVersion: 'go1.23.0', platform: 'linux/amd64'}, code: 200}
      if (path === '/healthz' || path === '/livez' || path === '/readyz') return {body: 'ok', code: 200}
      if (path === '/api' || path === '/apis') {
        const aggregated = aggregatedVersion(req.headers.accept)
        if (aggregated) return {body: aggregatedDiscovery(path === '/api', aggregated), code: 200, contentType: aggregated === 'v2' ? AGGREGATED_V2 : AGGREGATED_V2BETA1}
        return {body: path === '/api' ? apiVersions(`${req.socket.localAddress}:${req.socket.localPort}`) : apiGroupList(), code: 200}
      }
      const gv = path.match(/^\/api\/(v1)$/) ?? path.match(/^\/apis\/([^/]+)\/([^/]+)$/)
      if (gv) {
        const list = path.startsWith('/api/') ? apiResourceList('', gv[1]) : apiResourceList(gv[1], gv[2])
        if (list) return {body: list, code: 200}
      }
      const doc = publicDocuments[path]
      if (doc) return {body: doc(), code: 200}
      return {body: pathNotFound(), code: 404}
    }
    if (!REVIEWS.has(`${info.apiGroup}/${info.apiVersion}/${info.resource}`) || info.name || info.subresource) return fail(pathNotFound())
    if (info.verb !== 'create') return fail(methodNotSupported(info.resource, info.apiGroup, info.verb))
    if (info.resource === 'localsubjectaccessreviews' && !info.namespace) return fail(pathNotFound())
    const mediaType = bodyMediaType(req.headers['content-type'])
    if (!mediaType) return fail(unsupportedMediaType())
    if (Number(req.headers['content-length'] ?? 0) > limit) {
      if (req.httpVersionMajor !== 2) (res as ServerResponse).shouldKeepAlive = false
      return fail(tooLarge(limit))
    }
    if (expectsContinue) res.writeContinue()
    let body: Buffer
    try {
      body = await readBody(req, limit)
    } catch (error) {
      if (error instanceof BodyTooLarge) return fail(tooLarge(limit))
      if (error instanceof RequestGone) return undefined
      throw error
    }
    if (res.headersSent) return undefined
    const decoded = decodeReview(info.resource, info.apiGroup, mediaType, body)
    if ('status' in decoded) return {body: decoded.status, code: decoded.status.code}
    const object = decoded.object
    switch (info.resource) {
      case 'selfsubjectreviews':
        return selfSubjectReview(info.apiVersion, user, now())
      case 'selfsubjectaccessreviews':
        return selfSubjectAccessReview((a) => decide(store, a), object, user)
      case 'selfsubjectrulesreviews':
        return selfSubjectRulesReview(store, object, user)
      case 'subjectaccessreviews':
        return subjectAccessReview((a) => authorize(store, a), object)
      case 'localsubjectaccessreviews':
        return subjectAccessReview((a) => authorize(store, a), object, info.namespace)
      default:
        return tokenReview(object, checkToken, apiAudiences)
    }
  }

  const serving = createServing({cert, key}, limits, (req, res, expectsContinue) => {
    served[req.httpVersionMajor === 2 ? 'h2' : 'h1']++
    const auditId = randomUUID()
    handle(req, res, auditId, expectsContinue).catch((error) => {
      log(`error: request ${auditId} ${req.method} ${req.url}: ${(error as Error).stack ?? error}`)
      if (!res.headersSent) {
        stopReading(req, res)
        const status = internalError(auditId)
        const text = JSON.stringify(status)
        res.writeHead(500, {'Audit-Id': auditId, 'Content-Length': Buffer.byteLength(text), 'Content-Type': 'application/json'})
        res.end(text)
      } else res.destroy()
    })
  }, log)

  const host = options.host ?? '127.0.0.1'
  const port = await serving.listen(options.port ?? 6443, host)
  const urlHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host
  const reloadables = [state.policy, state.tokens, state.clientCA].filter((r): r is Reloadable<any> => Boolean(r))
  let closed: Promise<void> | undefined
  return {
    caCertificate: ca,
    close: () =>
      (closed ??= (async () => {
        for (const r of reloadables) r.stop()
        await serving.close(5000)
        if (audit) await new Promise<void>((resolve) => audit!.end(() => resolve()))
      })()),
    host,
    port,
    reload: async () => (await Promise.all(reloadables.map((r) => r.check()))).some(Boolean),
    requestsByProtocol: () => ({...served}),
    url: `https://${urlHost}:${port}`,
  }
}
