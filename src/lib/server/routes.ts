// The handlers behind the filter chain: discovery, /version and health, public documents, and the review APIs, whose
// body is read only here (after the request was authenticated and authorized) and decoded by decode.ts.
import type {ServerResponse} from 'node:http'

import type {UserInfo} from '../api/user.js'
import {type AuthorizerChain, type ChainDecision, withAnswers} from '../authz/chain.js'
import type {PolicyStore} from '../rbac/index.js'
import type {ServerAuthentication} from './authenticators.js'
import type {ServerAuthorizer} from './authorizer.js'
import {decodeReview} from './decode.js'
import {aggregatedDiscovery, aggregatedVersion, AGGREGATED_V2, AGGREGATED_V2BETA1, apiGroupList, apiResourceList, apiVersions} from './discovery.js'
import type {ServerConfig} from './options.js'
import type {RequestInfo} from './requestinfo.js'
import {type Authorizer, type Reply, selfSubjectAccessReview, selfSubjectReview, selfSubjectRulesReview, subjectAccessReview, tokenReview} from './reviews.js'
import {type Request, type Response, stopReading} from './serving.js'
import {methodNotSupported, pathNotFound, type Status, tooLarge, unsupportedMediaType} from './status.js'

/** An answer; `contentType` defaults to JSON. */
export type RouteReply = Reply & {contentType?: string}

/**
 * The answer for an authorized request, or undefined when it was already answered (body too large, timed out). Only
 * answers that need the body come as a promise.
 */
export type Route = (req: Request, res: Response, info: RequestInfo, user: UserInfo, store: PolicyStore, expectsContinue: boolean) => RouteReply | Promise<RouteReply | undefined>

/** The resources this server implements (all creates). */
const REVIEWS = new Set([
  'authentication.k8s.io/v1/selfsubjectreviews', 'authentication.k8s.io/v1/tokenreviews', 'authentication.k8s.io/v1beta1/selfsubjectreviews',
  'authorization.k8s.io/v1/localsubjectaccessreviews', 'authorization.k8s.io/v1/selfsubjectaccessreviews',
  'authorization.k8s.io/v1/selfsubjectrulesreviews', 'authorization.k8s.io/v1/subjectaccessreviews',
])

class BodyTooLarge extends Error {}
class RequestGone extends Error {}

/** The body, up to `limit` bytes; rejects when it is larger or the request goes away before its end. */
function readBody(req: Request, limit: number): Promise<Buffer> {
  // The listeners are inline (unnamed) closures: named ones cost a name definition each per request in the bundle.
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    let ended = false
    req.on('data', (chunk: Buffer) => {
      if (size > limit) return // already refused: the rest is dropped
      size += chunk.length
      if (size > limit) reject(new BodyTooLarge())
      else chunks.push(chunk)
    })
    req.once('end', () => {
      ended = true
      resolve(Buffer.concat(chunks))
    })
    // 'close' follows 'end' on every request: only a request gone before its end is an error (and is rare, so the
    // error object is made only then).
    req.once('close', () => ended || reject(new RequestGone()))
    req.once('error', () => ended || reject(new RequestGone()))
  })
}

/** An answer refused before the body is read. */
function refusal(req: Request, res: Response, status: Status): RouteReply {
  stopReading(req, res)
  return {body: status, code: status.code}
}

/** The media type of a request body: JSON (also when none is named), Kubernetes protobuf, or unsupported. */
function bodyMediaType(contentType: string | undefined): 'json' | 'protobuf' | undefined {
  if (contentType === undefined || contentType === 'application/json') return 'json' // the usual case, without parsing
  const type = contentType.split(';')[0].trim().toLowerCase()
  if (type === 'application/vnd.kubernetes.protobuf') return 'protobuf'
  return type === 'application/json' || type === '*/*' ? 'json' : undefined
}

/** GET (and HEAD) of the non-resource paths. */
function nonResource(req: Request, path: string, config: ServerConfig, documents: Record<string, () => unknown>): RouteReply {
  if (path === '/version') return {body: {...config.version, buildDate: '2025-01-01T00:00:00Z', compiler: 'gc', gitCommit: '0000000000000000000000000000000000000000', gitTreeState: 'clean', goVersion: 'go1.23.0', platform: 'linux/amd64'}, code: 200}
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
  const doc = documents[path]
  if (doc) return {body: doc(), code: 200}
  return {body: pathNotFound(), code: 404}
}

/**
 * SelfSubjectRulesReview from the chain's rule resolvers: RBAC's rules alone for the RBAC-only chain; otherwise their
 * union, which a webhook makes incomplete (it cannot list rules) with its evaluation error.
 */
function rulesReview(chain: AuthorizerChain, store: PolicyStore, object: Record<string, any>, user: UserInfo): Reply {
  const reply = selfSubjectRulesReview(store, object, user)
  if (reply.code !== 201 || (chain.authorizers.length === 1 && chain.authorizers[0].type === 'RBAC')) return reply
  const rules = chain.rules(store, user, object.spec.namespace)
  ;(reply.body as {status: unknown}).status = {
    resourceRules: rules.resourceRules,
    nonResourceRules: rules.nonResourceRules,
    incomplete: rules.incomplete,
    ...(rules.evaluationError ? {evaluationError: rules.evaluationError} : {}),
  }
  return reply
}

export function routes(config: ServerConfig, authn: ServerAuthentication, authz: ServerAuthorizer): Route {
  const limit = config.bodyLimit
  return (req, res, info, user, store, expectsContinue) => {
    const method = req.method ?? 'GET'
    if (!info.isResourceRequest) {
      if (method !== 'GET' && method !== 'HEAD') return refusal(req, res, pathNotFound())
      req.resume()
      return nonResource(req, info.path.replace(/\/$/, '') || '/', config, authn.publicDocuments)
    }
    if (!REVIEWS.has(`${info.apiGroup}/${info.apiVersion}/${info.resource}`) || info.name || info.subresource) return refusal(req, res, pathNotFound())
    if (info.verb !== 'create') return refusal(req, res, methodNotSupported(info.resource, info.apiGroup, info.verb))
    if (info.resource === 'localsubjectaccessreviews' && !info.namespace) return refusal(req, res, pathNotFound())
    const mediaType = bodyMediaType(req.headers['content-type'])
    if (!mediaType) return refusal(req, res, unsupportedMediaType())
    if (Number(req.headers['content-length'] ?? 0) > limit) {
      if (req.httpVersionMajor !== 2) (res as ServerResponse).shouldKeepAlive = false
      return refusal(req, res, tooLarge(limit))
    }
    if (expectsContinue) res.writeContinue()
    return readBody(req, limit).then((body) => review(res, info, user, store, mediaType, body), (error) => {
      if (error instanceof BodyTooLarge) return refusal(req, res, tooLarge(limit))
      if (error instanceof RequestGone) return undefined
      throw error
    })
  }

  function review(res: Response, info: RequestInfo, user: UserInfo, store: PolicyStore, mediaType: 'json' | 'protobuf', body: Buffer): RouteReply | Promise<RouteReply> | undefined {
    if (res.headersSent) return undefined
    const decoded = decodeReview(info.resource, info.apiGroup, mediaType, body)
    if ('status' in decoded) return {body: decoded.status, code: decoded.status.code}
    const object = decoded.object
    const chain = authz.chain.current()
    // An access review asks the chain once; with a webhook in it, the answer comes later and the review is built then.
    const access = (build: (authorize: Authorizer) => Reply): Reply | Promise<Reply> => chain.asynchronous
      ? withAnswers(build, (a) => chain.authorize(a, store))
      : build((a) => authz.decide(store, a) as ChainDecision)
    switch (info.resource) {
      case 'selfsubjectreviews':
        return selfSubjectReview(info.apiVersion, user, config.now())
      case 'selfsubjectaccessreviews':
        return access((authorize) => selfSubjectAccessReview(authorize, object, user))
      case 'selfsubjectrulesreviews':
        return rulesReview(chain, store, object, user)
      case 'subjectaccessreviews':
        return access((authorize) => subjectAccessReview(authorize, object))
      case 'localsubjectaccessreviews':
        return access((authorize) => subjectAccessReview(authorize, object, info.namespace))
      default:
        return tokenReview(object, authn.checkToken, authn.apiAudiences)
    }
  }
}
