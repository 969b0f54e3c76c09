// Test fixtures for the Kubernetes client: an openssl-made PKI and a small HTTPS API server on 127.0.0.1 that
// authenticates like kube-apiserver (client certificates, bearer tokens, basic auth, impersonation headers) and
// answers discovery and the review APIs from canned data, logging every request.
import {execFileSync} from 'node:child_process'
import {readFileSync, writeFileSync} from 'node:fs'
import https from 'node:https'
import type {AddressInfo} from 'node:net'
import {join} from 'node:path'
import type {TLSSocket} from 'node:tls'

export interface Pki {
  dir: string
  caPem: string
  caFile: string
  serverCert: string
  serverKey: string
  /** Client certificate CN=jane, O=dev, O=qa, signed by the CA. */
  clientCert: string
  clientKey: string
  clientCertFile: string
  clientKeyFile: string
  /** A second CA and a client certificate it signed (the server does not trust it). */
  otherCaPem: string
  otherClientCert: string
  otherClientKey: string
}

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, {cwd: dir, stdio: ['ignore', 'ignore', 'pipe']})
}

function issue(dir: string, name: string, subject: string, ca: string, ext: string): void {
  openssl(dir, ['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject])
  writeFileSync(join(dir, `${name}.ext`), ext)
  openssl(dir, ['x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.crt`, '-CAkey', `${ca}.key`, '-CAcreateserial', '-out', `${name}.crt`, '-days', '2', '-extfile', `${name}.ext`])
}

/** Makes the PKI in `dir` with the openssl CLI (EC P-256, valid 2 days). */
export function makePki(dir: string): Pki {
  for (const ca of ['ca', 'other-ca']) {
    openssl(dir, ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${ca}.key`, '-out', `${ca}.crt`, '-subj', `/CN=${ca}`, '-days', '2'])
  }
  issue(dir, 'server', '/CN=kube-apiserver', 'ca', 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n')
  issue(dir, 'client', '/O=dev/O=qa/CN=jane', 'ca', 'extendedKeyUsage=clientAuth\n')
  issue(dir, 'other-client', '/O=dev/CN=mallory', 'other-ca', 'extendedKeyUsage=clientAuth\n')
  const read = (f: string) => readFileSync(join(dir, f), 'utf8')
  return {
    caFile: join(dir, 'ca.crt'),
    caPem: read('ca.crt'),
    clientCert: read('client.crt'),
    clientCertFile: join(dir, 'client.crt'),
    clientKey: read('client.key'),
    clientKeyFile: join(dir, 'client.key'),
    dir,
    otherCaPem: read('other-ca.crt'),
    otherClientCert: read('other-client.crt'),
    otherClientKey: read('other-client.key'),
    serverCert: read('server.crt'),
    serverKey: read('server.key'),
  }
}

export interface User {
  username: string
  uid?: string
  groups: string[]
  extra?: Record<string, string[]>
}

export interface LoggedRequest {
  method: string
  path: string
  headers: Record<string, string | string[] | undefined>
  body: string
  user?: User
}

export interface FakeApiOptions {
  /** Bearer token → user. */
  tokens?: Record<string, User>
  /** "user:password" → user. */
  basic?: Record<string, User>
  /** Serve apidiscovery.k8s.io/v2 (default) or the legacy documents. */
  discovery?: 'aggregated' | 'legacy' | 'none'
  /** SelfSubjectReview versions served (default all three). */
  ssrVersions?: string[]
  /** SSAR decision for a spec and user. */
  decide?: (spec: any, user: User) => {allowed: boolean; reason?: string; evaluationError?: string}
  /** SSRR status for a namespace and user. */
  rules?: (namespace: string, user: User) => unknown
  /** Answer every request with this instead (status, body, content-type). */
  override?: (req: LoggedRequest) => {status: number; body: string; contentType?: string} | undefined
}

export interface FakeApi {
  url: string
  requests: LoggedRequest[]
  close(): Promise<void>
}

const resources = {
  '': [
    {kind: 'Pod', name: 'pods', namespaced: true, shortNames: ['po'], singularName: 'pod', verbs: ['get', 'list']},
    {kind: 'Pod', name: 'pods/log', namespaced: true, singularName: '', verbs: ['get']},
    {kind: 'Node', name: 'nodes', namespaced: false, shortNames: ['no'], singularName: 'node', verbs: ['get', 'list']},
    {kind: 'Secret', name: 'secrets', namespaced: true, singularName: 'secret', verbs: ['get', 'list']},
  ],
  apps: [{kind: 'Deployment', name: 'deployments', namespaced: true, shortNames: ['deploy'], singularName: 'deployment', verbs: ['get', 'list']}],
  'rbac.authorization.k8s.io': [{kind: 'ClusterRole', name: 'clusterroles', namespaced: false, singularName: 'clusterrole', verbs: ['get', 'list']}],
} as Record<string, Array<{kind: string; name: string; namespaced: boolean; shortNames?: string[]; singularName: string; verbs: string[]}>>

function aggregated(groups: string[]): unknown {
  return {
    apiVersion: 'apidiscovery.k8s.io/v2',
    items: groups.map((g) => ({
      metadata: g ? {name: g} : {},
      versions: [
        {
          freshness: 'Current',
          resources: resources[g]
            .filter((r) => !r.name.includes('/'))
            .map((r) => ({
              resource: r.name,
              responseKind: {group: g, kind: r.kind, version: 'v1'},
              scope: r.namespaced ? 'Namespaced' : 'Cluster',
              shortNames: r.shortNames,
              singularResource: r.singularName,
              verbs: r.verbs,
            })),
          version: 'v1',
        },
      ],
    })),
    kind: 'APIGroupDiscoveryList',
    metadata: {},
  }
}

function status(code: number, reason: string, message: string) {
  return {body: JSON.stringify({apiVersion: 'v1', code, kind: 'Status', message, metadata: {}, reason, status: 'Failure'}), status: code}
}

/** Starts the fake API server on 127.0.0.1:0. */
export async function startFakeApi(pki: Pki, options: FakeApiOptions = {}): Promise<FakeApi> {
  const requests: LoggedRequest[] = []
  const server = https.createServer({ca: [pki.caPem], cert: pki.serverCert, key: pki.serverKey, rejectUnauthorized: false, requestCert: true}, (req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const logged: LoggedRequest = {body: Buffer.concat(chunks).toString(), headers: req.headers, method: req.method ?? '', path: req.url ?? ''}
      requests.push(logged)
      const reply = (r: {status: number; body: string; contentType?: string}) => {
        res.writeHead(r.status, {'Content-Type': r.contentType ?? 'application/json'})
        res.end(r.body)
      }
      const forced = options.override?.(logged)
      if (forced) return reply(forced)
      const user = authenticate(req.socket as TLSSocket, req.headers, options)
      if (!user) return reply(status(401, 'Unauthorized', 'Unauthorized'))
      const effective = impersonate(user, req.headers)
      logged.user = effective
      reply(route(logged, effective, options))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const {port} = server.address() as AddressInfo
  return {
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
    requests,
    url: `https://127.0.0.1:${port}`,
  }
}

function authenticate(socket: TLSSocket, headers: LoggedRequest['headers'], options: FakeApiOptions): User | undefined {
  const auth = String(headers.authorization ?? '')
  if (auth.startsWith('Bearer ')) {
    const u = options.tokens?.[auth.slice(7)]
    return u ? {...u, groups: [...u.groups, 'system:authenticated']} : undefined
  }
  if (auth.startsWith('Basic ')) {
    const u = options.basic?.[Buffer.from(auth.slice(6), 'base64').toString()]
    return u ? {...u, groups: [...u.groups, 'system:authenticated']} : undefined
  }
  if (socket.authorized) {
    const cert = socket.getPeerX509Certificate()!
    const fields = cert.subject.split('\n')
    const cn = fields.find((f) => f.startsWith('CN='))!.slice(3)
    const orgs = fields.filter((f) => f.startsWith('O=')).map((f) => f.slice(2))
    return {groups: [...orgs, 'system:authenticated'], username: cn}
  }
  if (socket.getPeerX509Certificate()) return undefined
  return {groups: ['system:unauthenticated'], username: 'system:anonymous'}
}

function impersonate(user: User, headers: LoggedRequest['headers']): User {
  const as = headers['impersonate-user']
  if (!as) return user
  const groups = headers['impersonate-group']
  const list = groups === undefined ? [] : String(groups).split(', ')
  const extra: Record<string, string[]> = {}
  for (const [k, v] of Object.entries(headers)) {
    if (k.startsWith('impersonate-extra-')) extra[decodeURIComponent(k.slice(18))] = String(v).split(', ')
  }
  return {extra: Object.keys(extra).length ? extra : undefined, groups: [...list, 'system:authenticated'], uid: headers['impersonate-uid'] as string | undefined, username: String(as)}
}

function route(req: LoggedRequest, user: User, options: FakeApiOptions): {status: number; body: string; contentType?: string} {
  const path = req.path.split('?')[0]
  const discovery = options.discovery ?? 'aggregated'
  const json = (body: unknown, code = 200) => ({body: JSON.stringify(body), status: code})
  if (req.method === 'GET' && discovery !== 'none') {
    const agg = String(req.headers.accept ?? '').includes('as=APIGroupDiscoveryList') && discovery === 'aggregated'
    const aggType = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList'
    if (path === '/api') return agg ? {...json(aggregated([''])), contentType: aggType} : json({kind: 'APIVersions', versions: ['v1']})
    if (path === '/apis') {
      const groups = Object.keys(resources).filter(Boolean)
      return agg
        ? {...json(aggregated(groups)), contentType: aggType}
        : json({apiVersion: 'v1', groups: groups.map((g) => ({name: g, preferredVersion: {groupVersion: `${g}/v1`, version: 'v1'}, versions: [{groupVersion: `${g}/v1`, version: 'v1'}]})), kind: 'APIGroupList'})
    }
    const m = /^\/(?:api\/v1|apis\/([^/]+)\/v1)$/.exec(path)
    if (m && resources[m[1] ?? ''] !== undefined) {
      return json({apiVersion: 'v1', groupVersion: m[1] ? `${m[1]}/v1` : 'v1', kind: 'APIResourceList', resources: resources[m[1] ?? '']})
    }
  }
  const ssr = /^\/apis\/authentication\.k8s\.io\/(v1|v1beta1|v1alpha1)\/selfsubjectreviews$/.exec(path)
  if (req.method === 'POST' && ssr && (options.ssrVersions ?? ['v1', 'v1beta1', 'v1alpha1']).includes(ssr[1])) {
    const userInfo = Object.fromEntries(Object.entries(user).filter(([, v]) => v !== undefined))
    return json({apiVersion: `authentication.k8s.io/${ssr[1]}`, kind: 'SelfSubjectReview', metadata: {creationTimestamp: '2026-01-01T00:00:00Z'}, status: {userInfo}}, 201)
  }
  if (req.method === 'POST' && path === '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews') {
    const body = JSON.parse(req.body)
    const decision = (options.decide ?? (() => ({allowed: false})))(body.spec, user)
    return json({apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', metadata: {}, spec: body.spec, status: decision}, 201)
  }
  if (req.method === 'POST' && path === '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews') {
    const body = JSON.parse(req.body)
    const st = options.rules?.(body.spec.namespace, user) ?? {incomplete: false, nonResourceRules: [], resourceRules: []}
    return json({apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectRulesReview', metadata: {}, spec: body.spec, status: st}, 201)
  }
  return {body: '404 page not found', contentType: 'text/plain; charset=utf-8', status: 404}
}
