import assert from 'node:assert/strict'
import {writeFileSync} from 'node:fs'
import http from 'node:http'
import net, {type AddressInfo} from 'node:net'
import {join} from 'node:path'

import {batchTable, runBatch} from '../../../src/lib/kube/batch.js'
import {canI, rulesReview} from '../../../src/lib/kube/can-i.js'
import {type ClientDeps, KubeClient} from '../../../src/lib/kube/client.js'
import type {Connection} from '../../../src/lib/kube/connection.js'
import {explainUnauthorized} from '../../../src/lib/kube/diagnose.js'
import {discover} from '../../../src/lib/kube/discovery.js'
import {listRules, rulesTable} from '../../../src/lib/kube/rules.js'
import {SSR_FORBIDDEN, SSR_NOT_ENABLED, whoami} from '../../../src/lib/kube/whoami.js'
import {makeTempDir} from '../../helpers/cli.js'
import {type FakeApi, makePki, type Pki, startFakeApi} from './fixtures.js'

function deps(log: string[] = []): ClientDeps {
  return {env: {}, now: () => new Date(), stderr: (t) => log.push(t), stdinIsTty: false, onWarning: (m) => log.push(`Warning: ${m}`)}
}

describe('kube client over real TLS (fake API on 127.0.0.1)', function () {
  this.timeout(60_000)
  let tmp: Awaited<ReturnType<typeof makeTempDir>>
  let pki: Pki
  let api: FakeApi
  const clients: KubeClient[] = []
  const client = (conn: Partial<Connection>, log?: string[], env: NodeJS.ProcessEnv = {}) => {
    const c = new KubeClient({caPem: pki.caPem, caSource: pki.caFile, server: api.url, ...conn}, {...deps(log), env})
    clients.push(c)
    return c
  }

  before(async () => {
    tmp = await makeTempDir('authctl-kube-')
    pki = makePki(tmp.dir)
    api = await startFakeApi(pki, {
      basic: {'admin:s3cret': {groups: ['admins'], username: 'admin'}},
      decide: (spec, user) =>
        spec.resourceAttributes?.resource === 'pods' && user.groups.includes('dev')
          ? {allowed: true, reason: 'RBAC: allowed by RoleBinding "dev/default" of Role "pod-reader" to Group "dev"'}
          : {allowed: false, evaluationError: 'eval boom', reason: 'RBAC: some reason'},
      rules: () => ({incomplete: false, nonResourceRules: [{nonResourceURLs: ['/api'], verbs: ['get']}], resourceRules: [{apiGroups: [''], resources: ['pods'], verbs: ['get', 'list']}]}),
      tokens: {'tok-1': {groups: ['ci'], username: 'robot-1'}, 'tok-2': {groups: ['ci'], username: 'robot-2'}},
    })
  })
  afterEach(() => {
    for (const c of clients.splice(0)) c.close()
    api.requests.length = 0
  })
  after(async () => {
    await api?.close()
    await tmp?.cleanup()
  })

  it('authenticates with a client certificate and reads SelfSubjectReview v1', async () => {
    const result = await whoami(client({clientCertPem: pki.clientCert, clientKeyPem: pki.clientKey}))
    assert.ok(result.confirmed)
    assert.deepEqual(result.review.status.userInfo, {groups: ['dev', 'qa', 'system:authenticated'], username: 'jane'})
    assert.equal(api.requests[0].path, '/apis/authentication.k8s.io/v1/selfsubjectreviews')
  })

  it('sends a bearer token, and re-reads tokenFile on every request', async () => {
    const file = join(tmp.dir, 'token')
    writeFileSync(file, 'tok-1\n')
    const c = client({tokenFile: file})
    const first = await whoami(c)
    writeFileSync(file, 'tok-2')
    const second = await whoami(c)
    assert.ok(first.confirmed && second.confirmed)
    assert.equal(first.review.status.userInfo.username, 'robot-1')
    assert.equal(second.review.status.userInfo.username, 'robot-2')
    assert.equal(api.requests[0].headers.authorization, 'Bearer tok-1')
  })

  it('sends basic auth', async () => {
    const r = await whoami(client({password: 's3cret', username: 'admin'}))
    assert.ok(r.confirmed)
    assert.equal(r.review.status.userInfo.username, 'admin')
  })

  it('sends Impersonate-* headers on every request, extra keys escaped', async () => {
    const c = client({clientCertPem: pki.clientCert, clientKeyPem: pki.clientKey, impersonate: {extra: {'example.com/k': ['v']}, groups: ['g1', 'g2'], uid: 'u9', user: 'bob'}})
    const r = await whoami(c)
    assert.ok(r.confirmed)
    assert.deepEqual(r.review.status.userInfo, {extra: {'example.com/k': ['v']}, groups: ['g1', 'g2', 'system:authenticated'], uid: 'u9', username: 'bob'})
    const h = api.requests[0].headers
    assert.equal(h['impersonate-group'], 'g1, g2')
    assert.equal(h['impersonate-extra-example.com%2fk'], 'v')
  })

  it('refuses --as-group without --as before sending anything', async () => {
    await assert.rejects(whoami(client({authInfoName: 'jane', impersonate: {groups: ['g']}})), {
      message: 'requesting uid, groups or user-extra for jane without impersonating a user',
    })
    assert.equal(api.requests.length, 0)
  })

  it('falls back to v1beta1 then v1alpha1 only on NotFound', async () => {
    const beta = await startFakeApi(pki, {ssrVersions: ['v1alpha1']})
    try {
      const r = await whoami(new KubeClient({caPem: pki.caPem, clientCertPem: pki.clientCert, clientKeyPem: pki.clientKey, server: beta.url}, deps()))
      assert.ok(r.confirmed)
      assert.equal(r.review.apiVersion, 'authentication.k8s.io/v1alpha1')
      assert.deepEqual(beta.requests.map((q) => q.path.split('/')[3]), ['v1', 'v1beta1', 'v1alpha1'])
    } finally {
      await beta.close()
    }
  })

  it('without SelfSubjectReview reports kubectl text plus the unconfirmed local certificate claims', async () => {
    const none = await startFakeApi(pki, {ssrVersions: []})
    try {
      const c = new KubeClient({caPem: pki.caPem, clientCertPem: pki.clientCert, clientKeyPem: pki.clientKey, server: none.url}, deps())
      const r = await whoami(c)
      c.close()
      assert.equal(r.confirmed, false)
      assert.ok(!r.confirmed)
      assert.equal(r.error.message, SSR_NOT_ENABLED)
      assert.equal(r.local?.username, 'jane')
      assert.deepEqual(r.local?.groups, ['dev', 'qa'])
      assert.equal(r.local?.source, 'client certificate')
    } finally {
      await none.close()
    }
  })

  it("maps 403 on the review to kubectl's whoami error, and stops the fallback", async () => {
    const forbidding = await startFakeApi(pki, {
      override: () => ({body: JSON.stringify({code: 403, kind: 'Status', message: 'nope', reason: 'Forbidden'}), status: 403}),
    })
    try {
      const c = new KubeClient({caPem: pki.caPem, server: forbidding.url}, deps())
      await assert.rejects(whoami(c), {message: SSR_FORBIDDEN})
      c.close()
      assert.equal(forbidding.requests.length, 1)
    } finally {
      await forbidding.close()
    }
  })

  it('401 with a certificate from another CA: kubectl message, hint names the issuing CA', async () => {
    await assert.rejects(whoami(client({clientCertPem: pki.otherClientCert, clientKeyPem: pki.otherClientKey})), (error: any) => {
      assert.equal(error.message, 'You must be logged in to the server (Unauthorized)')
      assert.match(error.hint, /issued by "CN=other-ca", not by the cluster CA "CN=ca"/)
      return true
    })
  })

  it('401 diagnosis: an expired client certificate is named with its expiry', () => {
    const later = new Date(Date.now() + 10 * 86_400_000)
    const hint = explainUnauthorized({clientCertPem: pki.clientCert, kind: 'clientCertificate'}, {caPem: pki.caPem, server: api.url}, later)
    assert.match(hint!, /^likely cause: the client certificate expired \d+d(\d+h)? ago \(\d{4}-\d\d-\d\dT/)
    assert.equal(explainUnauthorized({clientCertPem: pki.clientCert, kind: 'clientCertificate'}, {caPem: pki.caPem, server: api.url}, new Date()), "the server rejected the client certificate (its issuer is probably not in the API server's --client-ca-file)")
  })

  it('TLS verify failure names the CA and the server name', async () => {
    await assert.rejects(whoami(client({caPem: pki.otherCaPem, caSource: '/x/other-ca.crt'})), (error: any) => {
      assert.equal(error.code, 'TLS_VERIFY')
      assert.match(error.message, /^Unable to connect to the server: tls: failed to verify certificate: x509: certificate signed by unknown authority$/)
      assert.match(error.hint, /name "127\.0\.0\.1"\) is not signed by the CA from \/x\/other-ca\.crt \(CN=other-ca\)/)
      return true
    })
  })

  it('tls-server-name is used for verification', async () => {
    await assert.rejects(whoami(client({tlsServerName: 'wrong.example'})), (error: any) => {
      assert.match(error.message, /certificate is not valid for the requested name/)
      assert.match(error.hint, /"wrong\.example"/)
      return true
    })
    const ok = await whoami(client({clientCertPem: pki.clientCert, clientKeyPem: pki.clientKey, tlsServerName: 'localhost'}))
    assert.ok(ok.confirmed)
  })

  it('insecure-skip-tls-verify connects without the CA', async () => {
    const r = await whoami(client({caPem: undefined, insecureSkipTlsVerify: true, token: 'tok-1'}))
    assert.ok(r.confirmed)
  })

  it('refused connection and timeouts are named', async () => {
    // A TCP server that accepts and never answers the TLS handshake.
    const sockets: net.Socket[] = []
    const srv = net.createServer((s) => sockets.push(s))
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r))
    const port = (srv.address() as AddressInfo).port
    try {
      await assert.rejects(whoami(client({server: `https://127.0.0.1:${port}`, timeoutMs: 300})), (error: any) => {
        assert.equal(error.code, 'UNREACHABLE')
        assert.match(error.hint, /timed out/)
        return true
      })
    } finally {
      for (const s of sockets) s.destroy()
      await new Promise((r) => srv.close(r))
    }
    await assert.rejects(whoami(client({server: `https://127.0.0.1:${port}`})), {
      message: `The connection to the server 127.0.0.1:${port} was refused - did you specify the right host or port?`,
    })
  })

  it('never sends credentials over plain http, and says so', async () => {
    const seen: http.IncomingHttpHeaders[] = []
    const srv = http.createServer((req, res) => {
      seen.push(req.headers)
      res.writeHead(201, {'Content-Type': 'application/json'})
      res.end(JSON.stringify({apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview', metadata: {}, status: {userInfo: {username: 'system:anonymous'}}}))
    })
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r))
    const log: string[] = []
    try {
      const c = client({server: `http://127.0.0.1:${(srv.address() as AddressInfo).port}`, token: 'tok-1'}, log)
      await whoami(c)
      assert.equal(seen[0].authorization, undefined)
      assert.match(log.join(''), /credentials are only sent over https/)
    } finally {
      srv.closeAllConnections()
      await new Promise((r) => srv.close(r))
    }
  })

  it('can-i: aggregated discovery, short names, the scope check and the SSAR body', async () => {
    const c = client({clientCertPem: pki.clientCert, clientKeyPem: pki.clientKey})
    const result = await canI(c, {namespace: 'team-a', resource: 'po', verb: 'get'})
    assert.equal(result.allowed, true)
    assert.deepEqual(result.warnings, [])
    const paths = api.requests.map((r) => `${r.method} ${r.path}`)
    assert.deepEqual(paths, ['GET /api', 'GET /apis', 'GET /api/v1', 'POST /apis/authorization.k8s.io/v1/selfsubjectaccessreviews'])
    assert.match(String(api.requests[0].headers.accept), /^application\/json;g=apidiscovery\.k8s\.io;v=v2;as=APIGroupDiscoveryList,/)
    const body = JSON.parse(api.requests[3].body)
    assert.deepEqual(body.spec.resourceAttributes, {group: '', name: '', namespace: 'team-a', resource: 'pods', subresource: '', verb: 'get'})
  })

  it('can-i: cluster-scoped and unknown resources warn like kubectl; the answer carries reason and evaluationError', async () => {
    const c = client({clientCertPem: pki.clientCert, clientKeyPem: pki.clientKey})
    const nodes = await canI(c, {namespace: 'team-a', resource: 'nodes', verb: 'frob'})
    assert.deepEqual(nodes.warnings, ["resource 'nodes' is not namespace scoped\n", "verb 'frob' is not a known verb\n"])
    assert.equal(nodes.resourceAttributes?.namespace, 'team-a')
    // A near miss of a known verb gets authctl's suggestion after kubectl's warning, word for word.
    const typo = await canI(c, {namespace: 'team-a', resource: 'pods', verb: 'gett'})
    assert.deepEqual(typo.warnings, ["verb 'gett' is not a known verb\n", 'did you mean "get"?'])
    assert.equal(nodes.reason, 'RBAC: some reason')
    assert.equal(nodes.evaluationError, 'eval boom')
    const widgets = await canI(c, {namespace: 'x', resource: 'widgets.example.com', verb: 'get'})
    assert.deepEqual(widgets.warnings, ["the server doesn't have a resource type 'widgets' in group 'example.com'\n"])
    assert.equal(widgets.resourceAttributes?.resource, 'widgets.example.com')
    assert.equal(widgets.resourceAttributes?.group, '')
  })

  it('can-i: legacy discovery fetches every group version', async () => {
    const legacy = await startFakeApi(pki, {discovery: 'legacy'})
    try {
      const c = new KubeClient({caPem: pki.caPem, server: legacy.url, token: 'x'}, deps())
      const d = await discover(new KubeClient({caPem: pki.caPem, clientCertPem: pki.clientCert, clientKeyPem: pki.clientKey, server: legacy.url}, deps()))
      c.close()
      assert.deepEqual(d.resources.map((r) => `${r.group}/${r.resource}`).sort(), ['/nodes', '/pods', '/secrets', 'apps/deployments', 'rbac.authorization.k8s.io/clusterroles'])
      assert.ok(legacy.requests.some((r) => r.path === '/apis/apps/v1'))
    } finally {
      await legacy.close()
    }
  })

  it('can-i --list: SSRR for the namespace, printed as kubectl prints it', async () => {
    const status = await rulesReview(client({clientCertPem: pki.clientCert, clientKeyPem: pki.clientKey}), 'team-a')
    assert.equal(JSON.parse(api.requests[0].body).spec.namespace, 'team-a')
    assert.equal(
      rulesTable(listRules(status)),
      'Resources   Non-Resource URLs   Resource Names   Verbs\npods        []                  []               [get list]\n            [/api]              []               [get]\n',
    )
  })

  it('--batch: one discovery, per-check impersonation, expectations decide the result', async () => {
    const base = client({clientCertPem: pki.clientCert, clientKeyPem: pki.clientKey})
    const discovery = await discover(base)
    const outcomes = await runBatch(
      [
        {expect: true, namespace: 'dev', resource: 'pods', verb: 'get'},
        {as: 'bob', asGroups: ['ops'], expect: true, resource: 'po', verb: 'list'},
        {expect: false, resource: 'secrets', verb: 'get'},
        {resource: '/healthz', verb: 'get'},
      ],
      {clientFor: (imp) => (imp ? client({...base.connection, impersonate: imp}) : base), defaultNamespace: 'default', discovery},
    )
    assert.deepEqual(outcomes.map((o) => [o.ok, o.allowed]), [[true, true], [false, false], [true, false], [true, false]])
    assert.equal(api.requests.filter((r) => r.path === '/apis').length, 1)
    const bob = api.requests.filter((r) => r.headers['impersonate-user'] === 'bob')
    assert.equal(bob.length, 2, 'scope check and SSAR carry the impersonation')
    const table = batchTable(outcomes)
    assert.match(table, /^RESULT +CHECK +ANSWER +EXPECTED +DETAIL\nPASS +get pods -n dev +yes +yes +RBAC: allowed by RoleBinding/)
    assert.match(table, /\nFAIL +list po --as bob --as-group ops +no +yes +RBAC: some reason - eval boom\n/)
  })

  /** An HTTP CONNECT proxy on 127.0.0.1 that sends every tunnel to `upstreamHost` (or the host asked for). */
  async function withConnectProxy(use: (proxyUrl: string, connects: string[]) => Promise<void>, upstreamHost?: string): Promise<void> {
    const connects: string[] = []
    const tunnels: net.Socket[] = []
    const proxy = http.createServer()
    proxy.on('connect', (req, socket: net.Socket, head) => {
      connects.push(String(req.url))
      tunnels.push(socket)
      const [host, port] = String(req.url).split(':')
      const upstream = net.connect(Number(port), upstreamHost ?? host, () => {
        socket.write('HTTP/1.1 200 Connection Established\r\n\r\n')
        upstream.write(head)
        upstream.pipe(socket)
        socket.pipe(upstream)
      })
      upstream.on('error', () => socket.destroy())
      socket.on('error', () => upstream.destroy())
    })
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r))
    try {
      await use(`http://127.0.0.1:${(proxy.address() as AddressInfo).port}`, connects)
    } finally {
      // Tunnelled sockets are not tracked by the HTTP server; end them so close() returns.
      for (const t of tunnels) t.destroy()
      await new Promise((r) => proxy.close(r))
    }
  }

  it('proxy-url: tunnels TLS through an HTTP CONNECT proxy', async () => {
    await withConnectProxy(async (proxyUrl, connects) => {
      const r = await whoami(client({clientCertPem: pki.clientCert, clientKeyPem: pki.clientKey, proxyUrl}))
      assert.ok(r.confirmed)
      assert.equal(r.review.status.userInfo.username, 'jane')
      assert.deepEqual(connects, [new URL(api.url).host])
    })
  })

  it('HTTPS_PROXY tunnels like client-go; NO_PROXY names and loopback addresses go direct', async () => {
    // kube.test resolves nowhere: only the proxy (which sends it to 127.0.0.1) can reach it.
    const server = `https://kube.test:${new URL(api.url).port}`
    const conn = {clientCertPem: pki.clientCert, clientKeyPem: pki.clientKey, server, tlsServerName: 'localhost'}
    const withEnv = (env: Record<string, string>, c: Partial<Connection> = conn) => client(c, undefined, env)
    await withConnectProxy(async (proxyUrl, connects) => {
      const r = await whoami(withEnv({HTTPS_PROXY: proxyUrl}))
      assert.ok(r.confirmed)
      assert.equal(r.review.status.userInfo.username, 'jane')
      assert.deepEqual(connects, [`kube.test:${new URL(api.url).port}`])
      await assert.rejects(whoami(withEnv({NO_PROXY: 'example.com, .test', https_proxy: proxyUrl})), /no such host/)
      const direct = await whoami(withEnv({HTTPS_PROXY: proxyUrl}, {...conn, server: api.url, tlsServerName: undefined}))
      assert.ok(direct.confirmed)
      assert.equal(direct.review.status.userInfo.username, 'jane')
      assert.equal(connects.length, 1, 'neither the NO_PROXY host nor 127.0.0.1 went through the proxy')
    }, '127.0.0.1')
  })
})
