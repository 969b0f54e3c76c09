// The authorizer chain of --authorization-config against real peers: a SubjectAccessReview webhook (a TLS server on
// 127.0.0.1) with CEL matchConditions in front of RBAC, its failure policies when it is down or slow, its caches,
// both wire versions, start-up validation and reloads, and real kubectl auth can-i following the chain.
import assert from 'node:assert/strict'
import {writeFileSync} from 'node:fs'
import {createServer, type Server} from 'node:https'
import type {AddressInfo} from 'node:net'
import {join} from 'node:path'

import {legacyAuthorizationConfiguration} from '../../../src/lib/authz/index.js'
import {startServer, type RunningServer} from '../../../src/lib/server/index.js'
import {makeTempDir, runCli, runProgram} from '../../helpers/cli.js'
import {startServe} from '../../helpers/serve-process.js'
import {call} from './client.js'
import {KUBECTL_DIR, KUBECTL_VERSIONS, makePki, type Pki} from './fixtures.js'

const policy = `
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: jane-edit, namespace: team-a}
subjects: [{kind: User, name: jane}]
roleRef: {kind: ClusterRole, name: edit}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: jane-edit, namespace: team-b}
subjects: [{kind: User, name: jane}]
roleRef: {kind: ClusterRole, name: edit}
`

interface Review {apiVersion: string; kind: string; spec: any}

/** A SubjectAccessReview webhook: records every review; `answer` decides (undefined = never answer, a slow webhook). */
class Webhook {
  reviews: Review[] = []
  answer: (review: Review) => object | undefined = ({spec}) => {
    const ra = spec.resourceAttributes ?? {}
    if (ra.resource === 'secrets') return {allowed: false, denied: true, reason: 'secrets are off limits in team-a'}
    if (ra.resource === 'resourcequotas' && ra.verb === 'delete') return {allowed: true, reason: 'quota admins may'}
    return {allowed: false}
  }

  private server?: Server

  async start(pki: Pki): Promise<number> {
    this.server = createServer({cert: pki.read(pki.serverCert), key: pki.read(pki.serverKey)}, (req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (c) => chunks.push(c))
      req.on('end', () => {
        const review = JSON.parse(Buffer.concat(chunks).toString())
        this.reviews.push(review)
        const status = this.answer(review)
        if (status === undefined) return
        res.writeHead(200, {'Content-Type': 'application/json'})
        res.end(JSON.stringify({...review, status}))
      })
    })
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve))
    return (this.server.address() as AddressInfo).port
  }

  async stop(): Promise<void> {
    const server = this.server
    this.server = undefined
    if (!server) return
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  }
}

describe('serve --authorization-config: a webhook with matchConditions in front of RBAC', function () {
  this.timeout(120_000)
  let tmp: Awaited<ReturnType<typeof makeTempDir>>
  let pki: Pki
  const webhook = new Webhook()
  let port: number
  const servers: RunningServer[] = []

  const authorizationConfig = (w: {failurePolicy?: string; timeout?: string; version?: string; extra?: string; rbac?: boolean; conditions?: string[]} = {}) => `
apiVersion: apiserver.config.k8s.io/v1
kind: AuthorizationConfiguration
authorizers:
- type: Webhook
  name: policy-webhook
  webhook:
    timeout: ${w.timeout ?? '3s'}
    subjectAccessReviewVersion: ${w.version ?? 'v1'}
    matchConditionSubjectAccessReviewVersion: v1
    failurePolicy: ${w.failurePolicy ?? 'Deny'}
    authorizedTTL: 5m
    unauthorizedTTL: 30s
    connectionInfo: {type: KubeConfigFile, kubeConfigFile: ${join(tmp.dir, 'webhook.kubeconfig')}}
    matchConditions:
${(w.conditions ?? ['has(request.resourceAttributes)', "request.resourceAttributes.namespace == 'team-a'"]).map((e) => `    - expression: ${JSON.stringify(e)}`).join('\n')}
${w.extra ?? ''}${w.rbac === false ? '' : '- {type: RBAC, name: rbac}\n'}`

  const writeWebhookKubeconfig = (p: number) => writeFileSync(join(tmp.dir, 'webhook.kubeconfig'), `apiVersion: v1
kind: Config
clusters: [{name: w, cluster: {server: "https://127.0.0.1:${p}/authorize", certificate-authority: ${pki.caCert}}}]
users: [{name: apiserver, user: {token: webhook-secret}}]
contexts: [{name: w, context: {cluster: w, user: apiserver}}]
current-context: w
`)

  async function serve(config: string, extra: Record<string, unknown> = {}): Promise<RunningServer> {
    const file = join(tmp.dir, `authz-${servers.length}.yaml`)
    writeFileSync(file, config)
    const server = await startServer({
      authorization: {configFile: file}, clientCAFile: pki.caCert, policyPaths: [join(tmp.dir, 'policy.yaml')], port: 0, reloadIntervalMs: 0,
      tlsCertFile: pki.serverCert, tlsKeyFile: pki.serverKey, ...extra,
    })
    servers.push(server)
    return server
  }

  const jane = () => ({cert: pki.read(pki.clients.jane.cert), key: pki.read(pki.clients.jane.key)})
  const ssar = (server: RunningServer, resourceAttributes: object) =>
    call(server.url, pki.read(pki.caCert), {...jane(), body: JSON.stringify({apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: {resourceAttributes}}), path: '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews'})

  before(async () => {
    tmp = await makeTempDir('authctl-serve-authz-')
    pki = makePki(tmp.dir)
    writeFileSync(join(tmp.dir, 'policy.yaml'), policy)
    port = await webhook.start(pki)
    writeWebhookKubeconfig(port)
  })
  beforeEach(() => {
    webhook.reviews = []
  })
  after(async () => {
    for (const s of servers) await s.close()
    await webhook.stop()
    await tmp?.cleanup()
  })

  it('kubectl auth can-i follows the chain: webhook Deny beats RBAC, a false matchCondition skips the webhook, its NoOpinion falls through to RBAC, its Allow wins', async function () {
    const version = KUBECTL_VERSIONS.at(-1)
    if (!version) this.skip()
    const server = await serve(authorizationConfig())
    const b64 = (p: string) => Buffer.from(pki.read(p)).toString('base64')
    writeFileSync(join(tmp.dir, 'kubeconfig'), `apiVersion: v1
kind: Config
clusters: [{name: ref, cluster: {server: "${server.url}", certificate-authority-data: ${b64(pki.caCert)}}}]
users: [{name: jane, user: {client-certificate-data: ${b64(pki.clients.jane.cert)}, client-key-data: ${b64(pki.clients.jane.key)}}}]
contexts: [{name: jane, context: {cluster: ref, user: jane}}]
current-context: jane
`)
    const env = {KUBECACHEDIR: join(tmp.dir, 'cache'), KUBECONFIG: join(tmp.dir, 'kubeconfig')}
    const canI = async (...args: string[]) => {
      const r = await runProgram(join(KUBECTL_DIR, `kubectl.${version}`), ['auth', 'can-i', ...args], {env})
      return `${r.stdout.trim()} (${r.exitCode})`
    }
    assert.equal(await canI('get', 'secrets', '-n', 'team-a'), 'no - secrets are off limits in team-a (1)') // RBAC (edit) would allow; the webhook denies first
    assert.equal(await canI('get', 'secrets', '-n', 'team-b'), 'yes (0)') // matchCondition false: RBAC decides
    assert.equal(await canI('get', 'pods', '-n', 'team-a'), 'yes (0)') // webhook NoOpinion → RBAC
    assert.equal(await canI('delete', 'resourcequotas', '-n', 'team-a'), 'yes (0)') // webhook Allow; RBAC's edit would not
    assert.equal(await canI('delete', 'resourcequotas', '-n', 'team-b'), 'no (1)')
    // Only team-a resource requests reached the webhook (the reviews themselves are cluster-scoped).
    assert.deepEqual(webhook.reviews.map((r) => `${r.spec.resourceAttributes.verb} ${r.spec.resourceAttributes.resource} ${r.spec.resourceAttributes.namespace}`),
      ['get secrets team-a', 'get pods team-a', 'delete resourcequotas team-a'])
  })

  it('sends a v1 SubjectAccessReview with the user and the spec kube-apiserver builds; the deciding reason reaches the SSAR', async () => {
    const server = await serve(authorizationConfig())
    const r = await ssar(server, {namespace: 'team-a', resource: 'secrets', verb: 'get'})
    assert.equal(r.code, 201)
    assert.deepEqual(r.json.status, {allowed: false, denied: true, reason: 'secrets are off limits in team-a'})
    assert.equal(webhook.reviews.length, 1)
    const [review] = webhook.reviews
    assert.equal(review.apiVersion, 'authorization.k8s.io/v1')
    assert.equal(review.kind, 'SubjectAccessReview')
    const {extra, ...spec} = review.spec
    assert.deepEqual(spec, {groups: ['dev', 'qa', 'system:authenticated'], resourceAttributes: {namespace: 'team-a', resource: 'secrets', verb: 'get', version: '*'}, user: 'jane'})
    assert.match(extra['authentication.kubernetes.io/credential-id'][0], /^X509SHA256=[0-9a-f]{64}$/)
    assert.deepEqual(Object.keys(review.spec), ['resourceAttributes', 'user', 'groups', 'extra'], 'Go\'s field order')
  })

  it('SubjectAccessReview and LocalSubjectAccessReview answer from the chain too', async () => {
    const server = await serve(authorizationConfig())
    const admin = {cert: pki.read(pki.clients.admin.cert), key: pki.read(pki.clients.admin.key)}
    const review = (path: string, kind: string, spec: object) => call(server.url, pki.read(pki.caCert), {...admin, body: JSON.stringify({apiVersion: 'authorization.k8s.io/v1', kind, spec}), path})
    const sar = await review('/apis/authorization.k8s.io/v1/subjectaccessreviews', 'SubjectAccessReview', {resourceAttributes: {namespace: 'team-a', resource: 'secrets', verb: 'get'}, user: 'jane'})
    assert.deepEqual(sar.json.status, {allowed: false, denied: true, reason: 'secrets are off limits in team-a'})
    const lsar = await review('/apis/authorization.k8s.io/v1/namespaces/team-a/localsubjectaccessreviews', 'LocalSubjectAccessReview', {resourceAttributes: {namespace: 'team-a', resource: 'resourcequotas', verb: 'delete'}, user: 'bob'})
    assert.deepEqual(lsar.json.status, {allowed: true, reason: 'quota admins may'})
    assert.deepEqual(webhook.reviews.map((r) => r.spec.user), ['jane', 'bob'])
  })

  it('v1beta1: the SubjectAccessReview names the groups `group`', async () => {
    const server = await serve(authorizationConfig({version: 'v1beta1'}))
    const r = await ssar(server, {namespace: 'team-a', resource: 'resourcequotas', verb: 'delete'})
    assert.deepEqual(r.json.status, {allowed: true, reason: 'quota admins may'})
    const [review] = webhook.reviews
    assert.equal(review.apiVersion, 'authorization.k8s.io/v1beta1')
    const {extra: _extra, ...spec} = review.spec
    assert.deepEqual(spec, {group: ['dev', 'qa', 'system:authenticated'], resourceAttributes: {namespace: 'team-a', resource: 'resourcequotas', verb: 'delete', version: '*'}, user: 'jane'})
    assert.deepEqual(Object.keys(review.spec), ['resourceAttributes', 'user', 'group', 'extra'])
  })

  it('SelfSubjectRulesReview lists the RBAC rules and is incomplete, with the webhook\'s evaluation error', async () => {
    const server = await serve(authorizationConfig())
    const r = await call(server.url, pki.read(pki.caCert), {...jane(), body: JSON.stringify({apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectRulesReview', spec: {namespace: 'team-a'}}), path: '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews'})
    assert.equal(r.code, 201)
    assert.equal(r.json.status.incomplete, true)
    assert.equal(r.json.status.evaluationError, 'webhook authorizer does not support user rule resolution')
    assert.ok(r.json.status.resourceRules.some((rule: any) => rule.resources.includes('secrets')), 'the edit role\'s rules are listed')
  })

  it('caches answers by spec: allowed for authorizedTTL, others for unauthorizedTTL (injected clock)', async () => {
    let clock = Date.now()
    const server = await serve(authorizationConfig(), {now: () => new Date(clock)})
    const allowed = {namespace: 'team-a', resource: 'resourcequotas', verb: 'delete'}
    const denied = {namespace: 'team-a', resource: 'secrets', verb: 'get'}
    for (let i = 0; i < 3; i++) {
      assert.equal((await ssar(server, allowed)).json.status.allowed, true)
      assert.equal((await ssar(server, denied)).json.status.denied, true)
    }
    assert.equal(webhook.reviews.length, 2, 'each spec asked once')
    clock += 31_000 // past unauthorizedTTL (30s), within authorizedTTL (5m)
    await ssar(server, allowed)
    await ssar(server, denied)
    assert.deepEqual(webhook.reviews.map((r) => r.spec.resourceAttributes.resource), ['resourcequotas', 'secrets', 'secrets'])
    clock += 5 * 60_000
    await ssar(server, allowed)
    assert.equal(webhook.reviews.length, 4, 'the allowed answer expired after authorizedTTL')
  })

  it('a switched-off cache asks again; an answer both allowed and denied is a Deny with kube\'s error (500 for a request)', async () => {
    const server = await serve(authorizationConfig().replace('unauthorizedTTL: 30s', 'unauthorizedTTL: 30s\n    cacheUnauthorizedRequests: false'))
    const denied = {namespace: 'team-a', resource: 'secrets', verb: 'get'}
    await ssar(server, denied)
    await ssar(server, denied)
    assert.equal(webhook.reviews.length, 2, 'denials are not cached')
    webhook.answer = () => ({allowed: true, denied: true, reason: 'confused'})
    try {
      const r = await ssar(server, {namespace: 'team-a', resource: 'configmaps', verb: 'get'})
      assert.deepEqual(r.json.status, {allowed: false, denied: true, evaluationError: 'webhook subject access review returned both allow and deny response', reason: 'confused'})
      const get = await call(server.url, pki.read(pki.caCert), {...jane(), path: '/api/v1/namespaces/team-a/pods'})
      assert.equal(get.code, 500)
      assert.equal(get.text, 'Internal Server Error: "/api/v1/namespaces/team-a/pods": webhook subject access review returned both allow and deny response\n')
    } finally {
      webhook.answer = new Webhook().answer
    }
  })

  it('impersonation is authorized by the chain: the webhook\'s Allow lets jane act as bob, which RBAC alone refuses', async () => {
    const server = await serve(authorizationConfig({conditions: ['has(request.resourceAttributes)']}).replace('unauthorizedTTL: 30s', 'unauthorizedTTL: 30s\n    cacheUnauthorizedRequests: false'))
    const asBob = {...jane(), body: JSON.stringify({apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview'}), headers: {'Impersonate-User': 'bob'}, path: '/apis/authentication.k8s.io/v1/selfsubjectreviews'}
    const refused = await call(server.url, pki.read(pki.caCert), asBob)
    assert.equal(refused.code, 403)
    assert.equal(refused.json.message, 'users "bob" is forbidden: User "jane" cannot impersonate resource "users" in API group "" at the cluster scope')
    webhook.answer = ({spec}) => (spec.resourceAttributes?.verb === 'impersonate' && spec.resourceAttributes.name === 'bob' ? {allowed: true, reason: 'jane may be bob'} : {allowed: false})
    try {
      const r = await call(server.url, pki.read(pki.caCert), asBob)
      assert.equal(r.code, 201, r.text)
      assert.equal(r.json.status.userInfo.username, 'bob')
    } finally {
      webhook.answer = new Webhook().answer
    }
  })

  it('an answer with wrongly typed fields ({"allowed": "true"}) is a failed call: the failure policy decides, never an Allow', async () => {
    const server = await serve(authorizationConfig())
    const answers: object[] = [{allowed: 'true'}, {allowed: 1}, {allowed: true, reason: 5}, {denied: 'false'}]
    try {
      for (const answer of answers) {
        webhook.answer = () => answer
        const r = await ssar(server, {namespace: 'team-a', resource: 'configmaps', verb: `list-${webhook.reviews.length}`})
        assert.equal(r.json.status.allowed, false, JSON.stringify(answer))
        assert.equal(r.json.status.denied, true, JSON.stringify(answer))
        assert.match(r.json.status.evaluationError, /json: cannot unmarshal (string|number) into Go struct field SubjectAccessReviewStatus\.status\.(allowed|reason|denied) of type (bool|string)/)
      }
      const get = await call(server.url, pki.read(pki.caCert), {...jane(), path: '/api/v1/namespaces/team-a/configmaps'})
      assert.equal(get.code, 500, get.text)
    } finally {
      webhook.answer = new Webhook().answer
    }
  })

  it('failurePolicy Deny, webhook down: requests it is asked about get kube\'s 500 text; SSAR shows the denial and the error', async () => {
    const down = new Webhook()
    const downPort = await down.start(pki)
    await down.stop()
    writeWebhookKubeconfig(downPort)
    try {
      const server = await serve(authorizationConfig())
      const get = await call(server.url, pki.read(pki.caCert), {...jane(), path: '/api/v1/namespaces/team-a/pods'})
      assert.equal(get.code, 500)
      assert.equal(get.headers['content-type'], 'text/plain; charset=utf-8')
      assert.match(get.text, new RegExp(`^Internal Server Error: "/api/v1/namespaces/team-a/pods": Post "https://127.0.0.1:${downPort}/authorize": .*ECONNREFUSED.*\\n$`))
      const r = await ssar(server, {namespace: 'team-a', resource: 'pods', verb: 'get'})
      assert.equal(r.json.status.allowed, false)
      assert.equal(r.json.status.denied, true)
      assert.match(r.json.status.evaluationError, /ECONNREFUSED/)
      // Outside the matchConditions the webhook is not asked: RBAC answers (404: this server has no pods).
      assert.equal((await call(server.url, pki.read(pki.caCert), {...jane(), path: '/api/v1/namespaces/team-b/pods'})).code, 404)
    } finally {
      writeWebhookKubeconfig(port)
    }
  })

  it('failurePolicy NoOpinion, webhook down: RBAC decides; a request RBAC does not allow is a 500 (the error stays)', async () => {
    const down = new Webhook()
    const downPort = await down.start(pki)
    await down.stop()
    writeWebhookKubeconfig(downPort)
    try {
      const server = await serve(authorizationConfig({failurePolicy: 'NoOpinion'}))
      assert.equal((await call(server.url, pki.read(pki.caCert), {...jane(), path: '/api/v1/namespaces/team-a/pods'})).code, 404)
      const quota = await call(server.url, pki.read(pki.caCert), {...jane(), method: 'DELETE', path: '/api/v1/namespaces/team-a/resourcequotas/q'})
      assert.equal(quota.code, 500)
      assert.match(quota.text, /^Internal Server Error: "\/api\/v1\/namespaces\/team-a\/resourcequotas\/q": Post .*ECONNREFUSED/)
      const r = await ssar(server, {namespace: 'team-a', resource: 'pods', verb: 'get'})
      assert.equal(r.json.status.allowed, true)
    } finally {
      writeWebhookKubeconfig(port)
    }
  })

  it('a webhook slower than its timeout gets the failure policy: Deny → 500 with Go\'s deadline error; NoOpinion → RBAC', async () => {
    webhook.answer = () => undefined // never answers
    try {
      const deny = await serve(authorizationConfig({timeout: '300ms'}))
      const get = await call(deny.url, pki.read(pki.caCert), {...jane(), path: '/api/v1/namespaces/team-a/pods'})
      assert.equal(get.code, 500)
      assert.equal(get.text, `Internal Server Error: "/api/v1/namespaces/team-a/pods": Post "https://127.0.0.1:${port}/authorize": context deadline exceeded\n`)
      const noOpinion = await serve(authorizationConfig({failurePolicy: 'NoOpinion', timeout: '300ms'}))
      assert.equal((await ssar(noOpinion, {namespace: 'team-a', resource: 'pods', verb: 'get'})).json.status.allowed, true)
      assert.equal(webhook.reviews.length, 2, 'the webhook was asked both times')
    } finally {
      webhook.answer = new Webhook().answer
    }
  })

  it('a matchCondition that errs applies the failure policy with the CEL error, without calling the webhook', async () => {
    const server = await serve(authorizationConfig({conditions: ["request.resourceAttributes.namespace == 'team-a'"]}))
    const r = await call(server.url, pki.read(pki.caCert), {...jane(), path: '/version'})
    assert.equal(r.code, 500)
    assert.equal(r.text, `Internal Server Error: "/version": cel evaluation error: expression 'request.resourceAttributes.namespace == 'team-a'' resulted in error: no such key: resourceAttributes\n`)
    assert.equal(webhook.reviews.length, 0)
  })

  it('an invalid file refuses to start with every error; serve exits 1 listing them', async () => {
    const bad = authorizationConfig().replace('timeout: 3s', 'timeout: 1m').replace('failurePolicy: Deny', 'failurePolicy: Maybe') + '- {type: RBAC, name: rbac}\n'
    await assert.rejects(serve(bad), (error: Error) => {
      assert.equal(error.message, '[authorizers[0].timeout: Invalid value: "1m0s": must be > 0s and <= 30s, authorizers[0].failurePolicy: Unsupported value: "Maybe": supported values: "NoOpinion", "Deny", authorizers[2].type: Duplicate value: "RBAC"]')
      return true
    })
    writeFileSync(join(tmp.dir, 'bad.yaml'), bad)
    const r = await runCli(['serve', '--secure-port', '0', '--authorization-config', join(tmp.dir, 'bad.yaml'), '--cert-dir', join(tmp.dir, 'certs')])
    assert.equal(r.exitCode, 1, r.stderr)
    assert.match(r.stderr, /^error: \[authorizers\[0\]\.timeout: Invalid value: "1m0s": must be > 0s and <= 30s, authorizers\[0\]\.failurePolicy: .*authorizers\[2\]\.type: Duplicate value: "RBAC"\]/)
    const inCluster = authorizationConfig().replace(/connectionInfo: .*/, 'connectionInfo: {type: InClusterConfig}')
    await assert.rejects(serve(inCluster), /^AuthctlError: authorizers\[0\]\.connectionInfo\.type: InClusterConfig needs the in-cluster service account and has no meaning outside a cluster \(use KubeConfigFile\)$/)
  })

  it('legacy flags build the same chain: Webhook,RBAC asks the webhook in v1beta1 first; AlwaysDeny forbids with its reason', async () => {
    const legacy = await startServer({
      authorization: {config: legacyAuthorizationConfiguration({modes: ['Webhook', 'RBAC'], webhookConfigFile: join(tmp.dir, 'webhook.kubeconfig')})},
      clientCAFile: pki.caCert, policyPaths: [join(tmp.dir, 'policy.yaml')], port: 0, reloadIntervalMs: 0, tlsCertFile: pki.serverCert, tlsKeyFile: pki.serverKey,
    })
    servers.push(legacy)
    assert.equal((await ssar(legacy, {namespace: 'team-b', resource: 'secrets', verb: 'get'})).json.status.denied, true, 'no matchConditions: every request reaches it')
    assert.equal(webhook.reviews.at(-1)!.apiVersion, 'authorization.k8s.io/v1beta1')
    const deny = await startServer({
      authorization: {config: legacyAuthorizationConfiguration({modes: ['AlwaysDeny']})},
      clientCAFile: pki.caCert, port: 0, reloadIntervalMs: 0, tlsCertFile: pki.serverCert, tlsKeyFile: pki.serverKey,
    })
    servers.push(deny)
    const r = await call(deny.url, pki.read(pki.caCert), {...jane(), path: '/api/v1/namespaces/team-a/pods'})
    assert.equal(r.code, 403)
    assert.equal(r.json.message, 'pods is forbidden: User "jane" cannot list resource "pods" in API group "" in the namespace "team-a": Everything is forbidden.')
  })

  it('--authorization-config and the legacy flags exclude each other, and bad modes are refused, in kube-apiserver\'s words', async () => {
    writeFileSync(join(tmp.dir, 'ok.yaml'), authorizationConfig())
    const r = await runCli(['serve', '--secure-port', '0', '--authorization-config', join(tmp.dir, 'ok.yaml'), '--authorization-mode', 'RBAC'])
    assert.equal(r.exitCode, 2)
    assert.match(r.stderr, /^error: --authorization-config can not be specified when --authorization-mode or --authorization-webhook-\* flags are defined/)
    const modes = await runCli(['serve', '--secure-port', '0', '--authorization-mode', 'RBAC,Webhook,Magic'])
    assert.equal(modes.exitCode, 2)
    assert.match(modes.stderr, /^error: \[authorization-mode Webhook's authorization config file not passed, authorization-mode "Magic" is not a valid mode\]/)
  })

  it('a real `authctl serve --authorization-config` process answers kubectl-style reviews through the chain', async () => {
    writeFileSync(join(tmp.dir, 'process.yaml'), authorizationConfig())
    const serveProcess = await startServe(['--authorization-config', join(tmp.dir, 'process.yaml'), '--client-ca-file', pki.caCert, '--policy', join(tmp.dir, 'policy.yaml'),
      '--tls-cert-file', pki.serverCert, '--tls-private-key-file', pki.serverKey])
    try {
      const server = {url: serveProcess.url} as RunningServer
      assert.equal((await ssar(server, {namespace: 'team-a', resource: 'secrets', verb: 'get'})).json.status.denied, true)
      assert.equal((await ssar(server, {namespace: 'team-b', resource: 'secrets', verb: 'get'})).json.status.allowed, true)
    } finally {
      assert.equal(await serveProcess.stop(), 0)
    }
  })

  it('reload: an edited file is picked up by the server\'s own file watch, without a restart', async () => {
    let reloaded!: () => void
    const seen = new Promise<void>((resolve) => (reloaded = resolve))
    const server = await serve(authorizationConfig(), {log: (line: string) => line === 'reloaded authz config' && reloaded(), reloadIntervalMs: 50})
    const file = join(tmp.dir, `authz-${servers.length - 1}.yaml`)
    const secrets = {namespace: 'team-b', resource: 'secrets', verb: 'get'}
    assert.equal((await ssar(server, secrets)).json.status.allowed, true)
    writeFileSync(file, authorizationConfig({conditions: ['has(request.resourceAttributes)']}) + '# edited while serving\n')
    await seen
    assert.equal((await ssar(server, secrets)).json.status.denied, true)
  })

  it('reload: a valid edit is applied, an invalid one keeps the previous chain, removing RBAC is refused', async () => {
    const lines: string[] = []
    const server = await serve(authorizationConfig(), {log: (line: string) => lines.push(line)})
    const file = join(tmp.dir, `authz-${servers.length - 1}.yaml`)
    const secrets = {namespace: 'team-b', resource: 'secrets', verb: 'get'}
    assert.equal((await ssar(server, secrets)).json.status.allowed, true, 'team-b is outside the matchConditions')

    writeFileSync(file, authorizationConfig({conditions: ['has(request.resourceAttributes)']}) + '# edited\n')
    assert.equal(await server.reload(), true)
    assert.ok(lines.includes('reloaded authz config'), lines.join('\n'))
    assert.equal((await ssar(server, secrets)).json.status.denied, true, 'the webhook now sees team-b too')

    writeFileSync(file, authorizationConfig().replace('failurePolicy: Deny', 'failurePolicy: Sometimes'))
    assert.equal(await server.reload(), false)
    assert.match(lines.at(-1)!, /^error: reloading authorization config: authorizers\[0\]\.failurePolicy: Unsupported value: "Sometimes"/)
    assert.equal((await ssar(server, secrets)).json.status.denied, true, 'the previous chain is kept')

    writeFileSync(file, authorizationConfig({rbac: false, extra: '- {type: AlwaysAllow, name: alwaysallow}\n'}))
    assert.equal(await server.reload(), false)
    assert.equal(lines.at(-1), 'error: reloading authorization config: missing required types: [RBAC] (keeping the previous authorizers)')

    writeFileSync(file, authorizationConfig({extra: '- {type: Node, name: node}\n'}))
    assert.equal(await server.reload(), false)
    assert.equal(lines.at(-1), 'error: reloading authorization config: authorizer type Node is not allowed if it was not enabled at initial server startup (keeping the previous authorizers)')
  })
})
