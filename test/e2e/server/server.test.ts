import assert from 'node:assert/strict'
import {execFileSync} from 'node:child_process'
import {createHash} from 'node:crypto'
import {writeFileSync} from 'node:fs'
import {readFile} from 'node:fs/promises'
import {Agent, request} from 'node:https'
import {join} from 'node:path'

import {startServer, type RunningServer} from '../../../src/lib/server/index.js'
import {makeTempDir} from '../../helpers/cli.js'
import {waitUntil} from '../../helpers/files.js'
import {call, type Call} from './client.js'
import {makePki, type Pki} from './fixtures.js'

const policy = `
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: dev-view, namespace: team-a}
subjects: [{kind: Group, name: dev}]
roleRef: {kind: ClusterRole, name: view}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: impersonator}
rules:
- {apiGroups: [""], resources: [users], verbs: [impersonate], resourceNames: [bob]}
- {apiGroups: [""], resources: [groups], verbs: [impersonate]}
- {apiGroups: [""], resources: [serviceaccounts], verbs: [impersonate]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: jane-impersonates}
subjects: [{kind: User, name: jane}]
roleRef: {kind: ClusterRole, name: impersonator}
`

const ssar = (ra: Record<string, string>) => JSON.stringify({apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: {resourceAttributes: ra}})
const SSAR = '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews'
const SSR = '/apis/authentication.k8s.io/v1/selfsubjectreviews'

describe('serve: reference API server over real TLS', function () {
  this.timeout(60_000)
  let tmp: Awaited<ReturnType<typeof makeTempDir>>
  let pki: Pki
  let server: RunningServer
  let ca: string
  const events: any[] = []
  const as = (name: string, c: Call): Call => ({...c, cert: pki.read(pki.clients[name].cert), key: pki.read(pki.clients[name].key)})
  const go = (c: Call) => call(server.url, ca, c)

  before(async () => {
    tmp = await makeTempDir('authctl-serve-')
    pki = makePki(tmp.dir)
    ca = pki.read(pki.caCert)
    writeFileSync(join(tmp.dir, 'tokens.csv'), 'secret-token,tina,uid-7,"ops,dev"\n')
    writeFileSync(join(tmp.dir, 'policy.yaml'), policy)
    server = await startServer({
      auditLogPath: join(tmp.dir, 'audit.log'), clientCAFile: pki.caCert, maxRequestBodyBytes: 64 * 1024, onAudit: (e) => events.push(e),
      policyPaths: [join(tmp.dir, 'policy.yaml')], port: 0, reloadIntervalMs: 0, tlsCertFile: pki.serverCert, tlsKeyFile: pki.serverKey,
      tokenAuthFile: join(tmp.dir, 'tokens.csv'),
    })
  })
  after(async () => {
    await server?.close()
    await tmp?.cleanup()
  })

  it('whoami for an x509 user: CN, O groups, credential-id of the DER, system:authenticated', async () => {
    const a = await go(as('jane', {body: '{}', path: SSR}))
    assert.equal(a.code, 201)
    const der = execFileSync('openssl', ['x509', '-in', pki.clients.jane.cert, '-outform', 'DER'])
    assert.deepEqual(a.json.status.userInfo, {
      extra: {'authentication.kubernetes.io/credential-id': [`X509SHA256=${createHash('sha256').update(der).digest('hex')}`]},
      groups: ['dev', 'qa', 'system:authenticated'], username: 'jane',
    })
    assert.equal(a.json.apiVersion, 'authentication.k8s.io/v1')
    assert.match(a.json.metadata.creationTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
  })

  it('whoami for a static token user', async () => {
    const a = await go({body: '{}', path: SSR, token: 'secret-token'})
    assert.equal(a.code, 201)
    assert.deepEqual(a.json.status.userInfo, {groups: ['ops', 'dev', 'system:authenticated'], uid: 'uid-7', username: 'tina'})
  })

  it('a certificate without any EKU is accepted (Go semantics)', async () => {
    const a = await go(as('noeku', {body: '{}', path: SSR}))
    assert.equal(a.json.status.userInfo.username, 'noeku')
  })

  const unauthorizedBody = {apiVersion: 'v1', code: 401, kind: 'Status', message: 'Unauthorized', metadata: {}, reason: 'Unauthorized', status: 'Failure'}
  for (const bad of ['expired', 'foreign', 'servereku']) {
    it(`rejects a ${bad} client certificate with 401 even though anonymous is enabled`, async () => {
      const a = await go(as(bad, {body: '{}', path: SSR}))
      assert.equal(a.code, 401)
      assert.deepEqual(a.json, unauthorizedBody)
    })
  }

  it('a bad certificate does not stop a valid bearer token (union continues)', async () => {
    const a = await go(as('foreign', {body: '{}', path: SSR, token: 'secret-token'}))
    assert.equal(a.json.status.userInfo.username, 'tina')
  })

  it('tampered or unknown tokens get 401, never anonymous', async () => {
    for (const token of ['secret-tokeX', 'nope']) {
      const a = await go({body: '{}', path: SSR, token})
      assert.equal(a.code, 401)
      assert.deepEqual(a.json, unauthorizedBody)
    }
  })

  it('anonymous requests are system:anonymous and cannot create reviews (403 in kube-apiserver wording)', async () => {
    const a = await go({body: '{}', path: SSR})
    assert.equal(a.code, 403)
    assert.equal(a.headers['x-content-type-options'], 'nosniff')
    assert.deepEqual(a.json, {
      apiVersion: 'v1', code: 403, details: {group: 'authentication.k8s.io', kind: 'selfsubjectreviews'}, kind: 'Status',
      message: 'selfsubjectreviews.authentication.k8s.io is forbidden: User "system:anonymous" cannot create resource "selfsubjectreviews" in API group "authentication.k8s.io" at the cluster scope',
      metadata: {}, reason: 'Forbidden', status: 'Failure',
    })
    assert.equal((await go({path: '/version'})).json.minor, '32')
    assert.equal((await go({path: '/healthz'})).text, 'ok')
    const api = await go({path: '/api'})
    assert.equal(api.code, 403)
    assert.equal(api.json.message, 'forbidden: User "system:anonymous" cannot get path "/api"')
    assert.deepEqual(api.json.details, {})
  })

  it('SSAR (JSON): RoleBinding to a ClusterRole, allowed with the reason, denied elsewhere', async () => {
    const yes = await go(as('jane', {body: ssar({namespace: 'team-a', resource: 'pods', verb: 'list'}), path: SSAR}))
    assert.equal(yes.code, 201)
    assert.deepEqual(yes.json.status, {allowed: true, reason: 'RBAC: allowed by RoleBinding "dev-view/team-a" of ClusterRole "view" to Group "dev"'})
    assert.deepEqual(yes.json.spec, {resourceAttributes: {namespace: 'team-a', resource: 'pods', verb: 'list'}})
    const no = await go(as('jane', {body: ssar({namespace: 'team-b', resource: 'pods', verb: 'list'}), path: SSAR}))
    assert.deepEqual(no.json.status, {allowed: false})
    const admin = await go(as('admin', {body: ssar({namespace: 'x', resource: 'secrets', verb: 'delete'}), path: SSAR}))
    assert.deepEqual(admin.json.status, {allowed: true})
  })

  it('SSAR (protobuf, the bytes kubectl 1.32 sends for `can-i get /logs`)', async () => {
    const hex = '6b387300' + '0a32' + '0a17' + Buffer.from('authorization.k8s.io/v1').toString('hex') + '1217' + Buffer.from('SelfSubjectAccessReview').toString('hex') +
      '122c' + '0a10' + '0a00120' + '01a0022002a0032003800420' + '0' + '120e120c0a05' + Buffer.from('/logs').toString('hex') + '1203' + Buffer.from('get').toString('hex') +
      '1a080800120' + '01a002000' + '1a002200'
    const a = await go(as('jane', {body: Buffer.from(hex, 'hex'), contentType: 'application/vnd.kubernetes.protobuf', path: SSAR}))
    assert.equal(a.code, 201)
    assert.deepEqual(a.json.spec, {nonResourceAttributes: {path: '/logs', verb: 'get'}})
    assert.equal(a.json.status.allowed, false)
  })

  it('SSAR validation: neither attribute set → 422 Invalid', async () => {
    const a = await go(as('jane', {body: '{"spec":{}}', path: SSAR}))
    assert.equal(a.code, 422)
    assert.equal(a.json.reason, 'Invalid')
    assert.equal(a.json.message,
      'SelfSubjectAccessReview.authorization.k8s.io "" is invalid: spec.resourceAttributes: Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified')
  })

  it('SSRR lists cluster and namespace rules; empty namespace → 400', async () => {
    const a = await go(as('jane', {body: '{"spec":{"namespace":"team-a"}}', path: '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews'}))
    assert.equal(a.code, 201)
    assert.equal(a.json.status.incomplete, false)
    assert.ok(a.json.status.resourceRules.some((r: any) => r.resources.includes('pods/log')))
    assert.ok(a.json.status.nonResourceRules.some((r: any) => r.nonResourceURLs.includes('/api/*')))
    const b = await go(as('jane', {body: '{"spec":{}}', path: '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews'}))
    assert.equal(b.code, 400)
    assert.equal(b.json.message, 'no namespace on request')
  })

  it('SAR and LSAR need permission; admin may ask about others', async () => {
    const body = JSON.stringify({spec: {groups: ['dev'], resourceAttributes: {namespace: 'team-a', resource: 'pods', verb: 'get'}, user: 'zed'}})
    const denied = await go(as('jane', {body, path: '/apis/authorization.k8s.io/v1/subjectaccessreviews'}))
    assert.equal(denied.code, 403)
    const a = await go(as('admin', {body, path: '/apis/authorization.k8s.io/v1/subjectaccessreviews'}))
    assert.deepEqual(a.json.status, {allowed: true, reason: 'RBAC: allowed by RoleBinding "dev-view/team-a" of ClusterRole "view" to Group "dev"'})
    const l = await go(as('admin', {body, path: '/apis/authorization.k8s.io/v1/namespaces/team-a/localsubjectaccessreviews'}))
    assert.equal(l.json.kind, 'LocalSubjectAccessReview')
    assert.equal(l.json.status.allowed, true)
    const mismatch = await go(as('admin', {body, path: '/apis/authorization.k8s.io/v1/namespaces/other/localsubjectaccessreviews'}))
    assert.equal(mismatch.code, 400)
    const noUser = await go(as('admin', {body: '{"spec":{"nonResourceAttributes":{"path":"/x","verb":"get"}}}', path: '/apis/authorization.k8s.io/v1/subjectaccessreviews'}))
    assert.equal(noUser.code, 422)
  })

  it('TokenReview authenticates a token for a permitted caller', async () => {
    const a = await go(as('admin', {body: '{"spec":{"token":"secret-token"}}', path: '/apis/authentication.k8s.io/v1/tokenreviews'}))
    assert.equal(a.code, 201)
    assert.equal(a.json.status.authenticated, true)
    assert.deepEqual(a.json.status.user, {groups: ['ops', 'dev', 'system:authenticated'], uid: 'uid-7', username: 'tina'})
    const b = await go(as('admin', {body: '{"spec":{"token":"bad"}}', path: '/apis/authentication.k8s.io/v1/tokenreviews'}))
    assert.deepEqual(b.json.status, {error: 'invalid bearer token', user: {}})
  })

  describe('impersonation', () => {
    it('allowed user impersonation runs the check for the impersonated user', async () => {
      const a = await go(as('jane', {body: '{}', headers: {'Impersonate-User': 'bob'}, path: SSR}))
      assert.equal(a.code, 201)
      assert.deepEqual(a.json.status.userInfo, {groups: ['system:authenticated'], username: 'bob'})
    })
    it('service account impersonation gets the SA groups', async () => {
      const a = await go(as('jane', {body: '{}', headers: {'Impersonate-User': 'system:serviceaccount:dev:ci'}, path: SSR}))
      assert.deepEqual(a.json.status.userInfo, {groups: ['system:serviceaccounts', 'system:serviceaccounts:dev', 'system:authenticated'], username: 'system:serviceaccount:dev:ci'})
    })
    it('groups are replaced, extra dropped', async () => {
      const a = await go(as('jane', {body: '{}', headers: {'Impersonate-Group': ['g1', 'g2'], 'Impersonate-User': 'bob'}, path: SSR}))
      assert.deepEqual(a.json.status.userInfo, {groups: ['g1', 'g2', 'system:authenticated'], username: 'bob'})
    })
    it('impersonating a user without permission → 403 naming the user', async () => {
      const a = await go(as('jane', {body: '{}', headers: {'Impersonate-User': 'carol'}, path: SSR}))
      assert.equal(a.code, 403)
      assert.equal(a.json.message, 'users "carol" is forbidden: User "jane" cannot impersonate resource "users" in API group "" at the cluster scope')
      assert.deepEqual(a.json.details, {kind: 'users', name: 'carol'})
    })
    it('impersonating an extra or uid without permission → 403', async () => {
      const a = await go(as('jane', {body: '{}', headers: {'Impersonate-Extra-Scopes': 'x', 'Impersonate-User': 'bob'}, path: SSR}))
      assert.equal(a.code, 403)
      assert.equal(a.json.message, 'userextras.authentication.k8s.io "x" is forbidden: User "jane" cannot impersonate resource "userextras/scopes" in API group "authentication.k8s.io" at the cluster scope')
      const b = await go(as('jane', {body: '{}', headers: {'Impersonate-Uid': 'u1', 'Impersonate-User': 'bob'}, path: SSR}))
      assert.equal(b.code, 403)
    })
    it('a token user without any impersonate rights → 403', async () => {
      const a = await go({body: '{}', headers: {'Impersonate-User': 'bob'}, path: SSR, token: 'secret-token'})
      assert.equal(a.code, 403)
    })
    it('groups without a user → 500 plain text, never an identity', async () => {
      const a = await go(as('jane', {body: '{}', headers: {'Impersonate-Group': 'system:masters'}, path: SSR}))
      assert.equal(a.code, 500)
      assert.equal(a.text, `Internal Server Error: "${SSR}": requested [{Group  system:masters    }] without impersonating a user\n`)
    })
    it('system:masters may impersonate anyone, including anonymous', async () => {
      const a = await go(as('admin', {body: ssar({resource: 'nodes', verb: 'get'}), headers: {'Impersonate-User': 'system:anonymous'}, path: SSAR}))
      assert.equal(a.code, 403)
      assert.match(a.json.message, /User "system:anonymous" cannot create resource "selfsubjectaccessreviews"/)
    })
  })

  it('discovery: aggregated with the v2 media type, legacy otherwise', async () => {
    const accept = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json'
    const a = await go(as('jane', {accept, path: '/apis'}))
    assert.equal(a.headers['content-type'], 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList')
    const apps = a.json.items.find((i: any) => i.metadata.name === 'apps')
    assert.deepEqual(apps.versions[0].resources.find((r: any) => r.resource === 'deployments').shortNames, ['deploy'])
    const legacy = await go(as('jane', {path: '/apis'}))
    assert.equal(legacy.json.kind, 'APIGroupList')
    const v1 = await go(as('jane', {path: '/api/v1'}))
    assert.equal(v1.json.resources.find((r: any) => r.name === 'nodes').namespaced, false)
  })

  it('unknown paths → 404 Status; wrong method → 405; oversized body → 413', async () => {
    const a = await go(as('admin', {path: '/api/v1/namespaces/default/pods'}))
    assert.equal(a.code, 404)
    assert.equal(a.json.message, 'the server could not find the requested resource')
    assert.equal((await go(as('admin', {method: 'GET', path: SSR}))).code, 405)
    const big = await go(as('admin', {body: 'x'.repeat(70 * 1024), path: SSAR}))
    assert.equal(big.code, 413)
    assert.equal(big.json.reason, 'RequestEntityTooLarge')
  })

  it('refuses TLS below 1.2', async () => {
    const {connect} = await import('node:tls')
    const error = await new Promise<Error | undefined>((resolve) => {
      // SECLEVEL=0 lets this client offer TLS 1.1 at all, so only the server's floor can refuse it.
      const socket = connect({ca, ciphers: 'DEFAULT:@SECLEVEL=0', host: '127.0.0.1', maxVersion: 'TLSv1.1', minVersion: 'TLSv1', port: server.port, servername: 'localhost'})
      socket.on('secureConnect', () => {
        socket.destroy()
        resolve(undefined)
      })
      socket.on('error', resolve)
    })
    assert.match(String(error), /protocol version|unsupported protocol/i)
  })

  it('audits the impersonated user next to the authenticated one', async () => {
    events.length = 0
    await go(as('jane', {body: '{}', headers: {'Impersonate-User': 'bob'}, path: SSR}))
    assert.equal(events.at(-1).user.username, 'jane')
    assert.deepEqual(events.at(-1).impersonatedUser, {groups: ['system:authenticated'], username: 'bob'})
    await go({body: '{}', path: SSR, token: 'bogus'})
    assert.equal(events.at(-1).responseStatus.code, 401)
    assert.equal(events.at(-1).responseStatus.reason, 'Unauthorized')
  })

  it('writes an audit.k8s.io/v1 Event line per request', async () => {
    events.length = 0
    await go(as('jane', {body: ssar({namespace: 'team-a', resource: 'pods', verb: 'list'}), path: SSAR, headers: {'User-Agent': 'test/1'}}))
    const e = events.at(-1)
    assert.equal(e.kind, 'Event')
    assert.equal(e.apiVersion, 'audit.k8s.io/v1')
    assert.equal(e.level, 'Metadata')
    assert.equal(e.stage, 'ResponseComplete')
    assert.equal(e.verb, 'create')
    assert.equal(e.user.username, 'jane')
    assert.deepEqual(e.objectRef, {apiGroup: 'authorization.k8s.io', apiVersion: 'v1', resource: 'selfsubjectaccessreviews'})
    assert.deepEqual(e.responseStatus, {code: 201, metadata: {}})
    assert.equal(e.annotations['authorization.k8s.io/decision'], 'allow')
    assert.match(e.requestReceivedTimestamp, /\.\d{6}Z$/)
    assert.equal(e.userAgent, 'test/1')
    // The file is written through a stream: wait for this event's line, then compare it whole.
    const logged = async () => (await readFile(join(tmp.dir, 'audit.log'), 'utf8')).split('\n').filter((l) => l.includes(e.auditID))
    await waitUntil(async () => (await logged()).length > 0, 'the audit line')
    const lines = await logged()
    assert.equal(lines.length, 1)
    assert.deepEqual(JSON.parse(lines[0]), JSON.parse(JSON.stringify(e)))
  })

  describe('reload', () => it('reloads the policy and token files when they change, also for open connections', async () => {
    // One keep-alive connection throughout: remembered certificate verdicts and decisions must follow reloads.
    const agent = new Agent({ca, cert: pki.read(pki.clients.jane.cert), keepAlive: true, key: pki.read(pki.clients.jane.key), maxSockets: 1})
    const viaAgent = (path: string, body: string) => new Promise<{code: number; json: any}>((resolve, reject) => {
      const req = request(`${server.url}${path}`, {agent, headers: {'Content-Type': 'application/json'}, method: 'POST'}, (res) => {
        let text = ''
        res.on('data', (d) => (text += d))
        res.on('end', () => resolve({code: res.statusCode!, json: JSON.parse(text)}))
      })
      req.on('error', reject)
      req.end(body)
    })
    const canList = async (namespace: string) => (await viaAgent(SSAR, ssar({namespace, resource: 'pods', verb: 'list'}))).json.status.allowed
    try {
      assert.equal(await canList('team-a'), true)
      assert.equal(await canList('team-b'), false)
      writeFileSync(join(tmp.dir, 'tokens.csv'), 'newer,nora,uid-9\n')
      writeFileSync(join(tmp.dir, 'policy.yaml'), policy.replace('namespace: team-a', 'namespace: team-b'))
      assert.equal(await server.reload(), true)
      assert.equal((await go({body: '{}', path: SSR, token: 'secret-token'})).code, 401)
      assert.equal((await go({body: '{}', path: SSR, token: 'newer'})).json.status.userInfo.username, 'nora')
      assert.equal(await canList('team-a'), false, 'same connection, policy moved')
      assert.equal(await canList('team-b'), true)
      writeFileSync(join(tmp.dir, 'policy.yaml'), 'kind: Role\nmetadata: {name: x}\nrules: [{}]\n')
      assert.equal(await server.reload(), false, 'a broken policy is not loaded')
      assert.equal(await canList('team-b'), true)
      // A new client CA: the remembered verdict for jane's connection no longer holds.
      writeFileSync(pki.caCert, pki.read(join(tmp.dir, 'other-ca.crt')))
      assert.equal(await server.reload(), true)
      assert.equal((await viaAgent(SSR, '{}')).code, 401, 'same keep-alive connection, CA rotated away')
    } finally {
      agent.destroy()
    }
  }))
})
