// kube-apiserver's filter chain for one request: request timeout → authentication → impersonation → max-in-flight →
// authorization → the route, all judged from the request line and headers before any body is read; every answer
// carries the request's Audit-Id and is audited. A fault answers 500 with the audit ID; its cause goes to the log.
import {randomUUID} from 'node:crypto'
import type {ServerResponse} from 'node:http'

import type {ChainResult} from '../authn/chain.js'
import type {UserInfo} from '../api/user.js'
import {type ChainDecision, withAnswers} from '../authz/chain.js'
import type {PolicyStore} from '../rbac/index.js'
import type {Attributes} from '../rbac/types.js'
import {auditEvent, AUTHENTICATION_ERROR, type AuditLog} from './audit.js'
import type {ServerAuthentication} from './authenticators.js'
import type {ServerAuthorizer} from './authorizer.js'
import {distinctHeaders, impersonating} from './headers.js'
import {impersonate, type ImpersonationOutcome} from './impersonation.js'
import {inflightLimiter, TOO_MANY_REQUESTS} from './inflight.js'
import type {ServerConfig} from './options.js'
import {requestInfo, type RequestInfo} from './requestinfo.js'
import type {Route, RouteReply} from './routes.js'
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

/** One request on its way through the chain: what the audit event and the answer need. */
class Exchange {
  /** The audit event's annotations, kept only when there is an audit log. */
  readonly annotations?: Record<string, string>
  user?: UserInfo
  impersonatedUser?: UserInfo
  release?: () => void
  timer?: NodeJS.Timeout

  constructor(readonly req: Request, readonly res: Response, readonly auditId: string, readonly requestURI: string, readonly info: RequestInfo, readonly received?: Date) {
    if (received) this.annotations = {}
  }

  annotate(key: string, value: string): void {
    if (this.annotations) this.annotations[key] = value
  }

  /** Called once when the response is done or the request gone: the timeout and the in-flight seat end with it. */
  closed(): void {
    clearTimeout(this.timer)
    this.release?.()
  }
}

export function filterChain({audit, authn, authz, closing, config, route}: FilterChainParts): RequestHandler {
  const {log, now} = config
  const inflight = inflightLimiter(config.maxRequestsInflight, config.maxMutatingRequestsInflight)

  function send(x: Exchange, code: number, text: string, contentType: string, status?: Status, extraHeader?: string, extraValue?: string): void {
    const {req, res} = x
    if (res.headersSent) return
    // While shutting down, answer and close so the connection does not linger as keep-alive.
    if (closing() && req.httpVersionMajor !== 2) (res as ServerResponse).shouldKeepAlive = false
    const headers: Record<string, string | number> = {'Audit-Id': x.auditId, 'Content-Length': Buffer.byteLength(text), 'Content-Type': contentType}
    if (extraHeader) headers[extraHeader] = extraValue!
    if (code === 429 || (code === 500 && !status)) headers['X-Content-Type-Options'] = 'nosniff'
    res.writeHead(code, headers)
    res.end(text)
    if (audit.enabled) audit.write(auditEvent({
      annotations: x.annotations!, auditId: x.auditId, code, completed: now(), impersonatedUser: x.impersonatedUser, info: x.info, received: x.received!,
      requestURI: x.requestURI, sourceIP: req.socket?.remoteAddress ?? '', status, user: x.user, userAgent: req.headers['user-agent'],
    }))
  }
  const sendStatus = (x: Exchange, status: Status) =>
    send(x, status.code, JSON.stringify(status), 'application/json', status, status.code === 403 ? 'X-Content-Type-Options' : undefined, 'nosniff')
  /** An answer given before the body was read: the body is not read at all. */
  const refuse = (x: Exchange, status: Status) => {
    stopReading(x.req, x.res)
    sendStatus(x, status)
  }
  const timedOut = (x: Exchange) => refuse(x, timeout())

  /** A fault: 500 with the audit ID (or the stream cut when the answer had begun); the cause goes to the log only. */
  function fault(x: Exchange, error: unknown): void {
    const {auditId, req, res} = x
    log(`error: request ${auditId} ${req.method} ${req.url}: ${(error as Error).stack ?? error}`)
    if (!res.headersSent) {
      stopReading(req, res)
      const text = JSON.stringify(internalError(auditId))
      res.writeHead(500, {'Audit-Id': auditId, 'Content-Length': Buffer.byteLength(text), 'Content-Type': 'application/json'})
      res.end(text)
    } else res.destroy()
  }

  function authenticated(x: Exchange, result: ChainResult, expectsContinue: boolean): void {
    const {req} = x
    if ('errors' in result) {
      log(`authentication failed for ${req.method} ${x.requestURI}: ${result.errors.join(', ')}`)
      // kube-apiserver keeps the reason to its log; the audit event carries it too so a 401 can be explained from it.
      x.annotate(AUTHENTICATION_ERROR, result.errors.join(', '))
      return refuse(x, unauthorized())
    }
    const user = (x.user = result.user)
    if (result.annotations && x.annotations) Object.assign(x.annotations, result.annotations)
    const store = authz.policy.current()

    // Most requests carry no Impersonate-* header; only then is the header map built. The impersonation checks ask
    // the chain like any request; with a webhook in it, they are answered in turn before the request goes on.
    if (!impersonating(req)) return impersonated(x, undefined, store, expectsContinue)
    const headers = distinctHeaders(req)
    const chain = authz.chain.current()
    if (!chain.asynchronous) return impersonated(x, impersonate(headers, user, (a) => chain.authorize(a, store) as ChainDecision), store, expectsContinue)
    withAnswers((ask) => impersonate(headers, user, ask), (a) => chain.authorize(a, store))
      .then((imp) => impersonated(x, imp, store, expectsContinue)).catch((error) => fault(x, error))
  }

  /** kube-apiserver's responsewriters.InternalError: text/plain naming the request URI. */
  const internalErrorText = (x: Exchange, message: string) =>
    send(x, 500, `Internal Server Error: ${JSON.stringify(x.requestURI)}: ${message}\n`, 'text/plain; charset=utf-8')

  function impersonated(x: Exchange, imp: ImpersonationOutcome | undefined, store: PolicyStore, expectsContinue: boolean): void {
    const {req, res, info} = x
    if (imp?.kind === 'error') {
      // kube-apiserver answers impersonation headers without a user with responsewriters.InternalError.
      stopReading(req, res)
      return internalErrorText(x, imp.message)
    }
    if (imp?.kind === 'forbidden') {
      x.annotate('authorization.k8s.io/decision', 'forbid')
      x.annotate('authorization.k8s.io/reason', imp.reason)
      return refuse(x, forbidden(imp.attributes, imp.reason))
    }
    if (imp?.kind === 'ok') x.impersonatedUser = imp.user
    const subject = x.impersonatedUser ?? x.user!

    x.release = inflight.acquire(info.verb, subject.groups)
    if (!x.release) {
      stopReading(req, res)
      return send(x, 429, TOO_MANY_REQUESTS, 'text/plain; charset=utf-8', undefined, 'Retry-After', '1')
    }

    const attributes: Attributes = info.isResourceRequest
      ? {apiGroup: info.apiGroup, apiVersion: info.apiVersion, name: info.name, namespace: info.namespace, resource: info.resource, resourceRequest: true, subresource: info.subresource, user: subject, verb: info.verb}
      : {path: info.path, resourceRequest: false, user: subject, verb: info.verb}
    const decision = authz.decide(store, attributes)
    if (decision instanceof Promise) decision.then((d) => authorized(x, attributes, d, store, expectsContinue)).catch((error) => fault(x, error))
    else authorized(x, attributes, decision, store, expectsContinue)
  }

  // kube-apiserver's authorization filter: Allow serves (errors ignored); otherwise an authorizer error is a 500 and
  // anything else a 403 with the deciding authorizer's reason.
  function authorized(x: Exchange, attributes: Attributes, decision: ChainDecision, store: PolicyStore, expectsContinue: boolean): void {
    const {req, res, info} = x
    if (decision.decision === 'Allow') {
      x.annotate('authorization.k8s.io/decision', 'allow')
      x.annotate('authorization.k8s.io/reason', decision.reason)
    } else if (decision.authorizerError) {
      x.annotate('authorization.k8s.io/reason', 'internal error')
      stopReading(req, res)
      return internalErrorText(x, decision.authorizerError)
    } else {
      x.annotate('authorization.k8s.io/decision', 'forbid')
      x.annotate('authorization.k8s.io/reason', decision.reason)
      return refuse(x, forbidden(attributes, decision.reason))
    }

    const reply = route(req, res, info, attributes.user, store, expectsContinue)
    if (reply instanceof Promise) reply.then((r) => answer(x, r)).catch((error) => fault(x, error))
    else answer(x, reply)
  }

  function answer(x: Exchange, reply: RouteReply | undefined): void {
    if (!reply) return
    if (reply.code >= 400) return sendStatus(x, reply.body as Status)
    if (typeof reply.body === 'string') return send(x, reply.code, reply.body, 'text/plain; charset=utf-8')
    send(x, reply.code, JSON.stringify(reply.body), reply.contentType ?? 'application/json')
  }

  return (req, res, expectsContinue) => {
    const requestURI = req.url ?? '/'
    const x = new Exchange(req, res, randomUUID(), requestURI, requestInfo(req.method ?? 'GET', requestURI), audit.enabled ? now() : undefined)
    try {
      x.timer = setTimeout(timedOut, config.requestTimeoutMs, x)
      res.once('close', () => x.closed())
      const result = authn.authenticate(req)
      if (result instanceof Promise) {
        result.then((r) => authenticated(x, r, expectsContinue)).catch((error) => fault(x, error))
      } else authenticated(x, result, expectsContinue)
    } catch (error) {
      fault(x, error)
    }
  }
}
