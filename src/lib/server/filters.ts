// kube-apiserver's filter chain for one request: request timeout → authentication → impersonation → max-in-flight →
// authorization → the route, all judged from the request line and headers before any body is read; every answer
// carries the request's Audit-Id and is audited. A fault answers 500 with the audit ID; its cause goes to the log.
import {randomUUID} from 'node:crypto'
import type {ServerResponse} from 'node:http'

import type {UserInfo} from '../identity.js'
import {authorize} from '../rbac/index.js'
import type {Attributes} from '../rbac/types.js'
import {auditEvent, type AuditLog} from './audit.js'
import type {ServerAuthentication} from './authenticators.js'
import type {ServerAuthorizer} from './authorizer.js'
import {impersonate} from './impersonation.js'
import {inflightLimiter, TOO_MANY_REQUESTS} from './inflight.js'
import type {ServerConfig} from './options.js'
import {requestInfo} from './requestinfo.js'
import type {Route} from './routes.js'
import {type Request, type Response, stopReading} from './serving.js'
import {forbidden, internalError, type Status, timeout, unauthorized} from './status.js'

export interface FilterChainParts {
  config: ServerConfig
  authn: ServerAuthentication
  authz: ServerAuthorizer
  audit: AuditLog
  route: Route
  /** True once the server is shutting down: HTTP/1.1 answers then close their connection. */
  closing: () => boolean
}

export type RequestHandler = (req: Request, res: Response, expectsContinue: boolean) => void

/** Request headers by lower-cased name, repeated ones in order (HTTP/2 pseudo-headers included). */
function distinctHeaders(req: Request): Record<string, string[]> {
  const headers: Record<string, string[]> = Object.create(null)
  const raw = req.rawHeaders
  for (let i = 0; i + 1 < raw.length; i += 2) (headers[raw[i].toLowerCase()] ??= []).push(raw[i + 1])
  return headers
}

export function filterChain({audit, authn, authz, closing, config, route}: FilterChainParts): RequestHandler {
  const {log, now} = config
  const inflight = inflightLimiter(config.maxRequestsInflight, config.maxMutatingRequestsInflight)

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
      if (closing() && req.httpVersionMajor !== 2) (res as ServerResponse).shouldKeepAlive = false
      const text = typeof body === 'string' ? body : JSON.stringify(body)
      res.writeHead(code, {'Audit-Id': auditId, 'Content-Length': Buffer.byteLength(text), 'Content-Type': contentType, ...extraHeaders})
      res.end(text)
      if (audit.enabled) audit.write(auditEvent({
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

    const timer = setTimeout(() => refuse(timeout()), config.requestTimeoutMs)
    res.once('close', () => clearTimeout(timer))

    const authenticated = await authn.authenticate(req)
    if ('errors' in authenticated) {
      log(`authentication failed for ${req.method} ${requestURI}: ${authenticated.errors.join(', ')}`)
      return refuse(unauthorized())
    }
    user = authenticated.user
    Object.assign(annotations, authenticated.annotations)
    const store = authz.policy.current()

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
    if (imp.kind === 'ok') impersonatedUser = imp.user
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
    const decision = authz.decide(store, attributes)
    annotations['authorization.k8s.io/decision'] = decision.decision === 'Allow' ? 'allow' : 'forbid'
    annotations['authorization.k8s.io/reason'] = decision.reason
    if (decision.decision !== 'Allow') return refuse(forbidden(attributes, decision.reason))

    const reply = await route(req, res, info, subject, store, expectsContinue)
    if (!reply) return
    if (reply.code >= 400) return sendStatus(reply.body as Status)
    if (typeof reply.body === 'string') return send(reply.code, reply.body, 'text/plain; charset=utf-8')
    send(reply.code, reply.body, reply.contentType)
  }

  return (req, res, expectsContinue) => {
    const auditId = randomUUID()
    handle(req, res, auditId, expectsContinue).catch((error) => {
      log(`error: request ${auditId} ${req.method} ${req.url}: ${(error as Error).stack ?? error}`)
      if (!res.headersSent) {
        stopReading(req, res)
        const text = JSON.stringify(internalError(auditId))
        res.writeHead(500, {'Audit-Id': auditId, 'Content-Length': Buffer.byteLength(text), 'Content-Type': 'application/json'})
        res.end(text)
      } else res.destroy()
    })
  }
}
