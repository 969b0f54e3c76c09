import assert from 'node:assert/strict'
import {chmod, writeFile} from 'node:fs/promises'
import {createServer, type Server} from 'node:https'
import type {AddressInfo} from 'node:net'
import {join} from 'node:path'

import {createCa, issueKubernetesUser, issueServer} from '../../../src/lib/pki/index.js'
import {type RunningServer, startServer} from '../../../src/lib/server/index.js'
import {makeTempDir, runCli} from '../../helpers/cli.js'
import {CA_EXT, CLIENT_EXT, OpensslLab} from '../../e2e/pki/openssl-lab.js'

const DAY = 86_400_000
const b64 = (s: string) => Buffer.from(s).toString('base64')
const jwt = (claims: object) => `${Buffer.from('{"alg":"RS256"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.c2ln`

describe('authctl doctor (kubeconfig)', function () {
  this.timeout(60_000)
  let dir: string
  let cleanup: () => Promise<void>
  let apiserver: RunningServer
  let expiredServer: Server
  let kubeconfig: string

  before(async () => {
    ;({cleanup, dir} = await makeTempDir())
    const opts = {algorithm: 'ecdsa-p256' as const, keyFormat: 'pkcs8' as const}
    const ca = await createCa({...opts, cn: 'cluster-ca'})
    const clientCa = await createCa({...opts, cn: 'separate-client-ca'})
    const otherCa = await createCa({...opts, cn: 'other-ca'})
    const serverPair = await issueServer(ca, {...opts, dnsNames: ['localhost'], ips: ['127.0.0.1']})
    await writeFile(join(dir, 'server.crt'), serverPair.certPem)
    await writeFile(join(dir, 'server.key'), serverPair.keyPem)
    // The API server trusts client certificates from the cluster CA and from a separate client CA.
    await writeFile(join(dir, 'client-cas.crt'), ca.certPem + clientCa.certPem)
    apiserver = await startServer({
      clientCAFile: join(dir, 'client-cas.crt'), port: 0, tlsCertFile: join(dir, 'server.crt'), tlsKeyFile: join(dir, 'server.key'),
    })
    const port = apiserver.port
    // A server whose own certificate (from the cluster CA) expired yesterday.
    const expiredPair = await issueServer(ca, {...opts, ips: ['127.0.0.1'], now: new Date(Date.now() - 10 * DAY), ttlMs: 9 * DAY})
    expiredServer = createServer({cert: expiredPair.certPem, key: expiredPair.keyPem}, (_req, res) => res.end('{}'))
    await new Promise<void>((resolve) => expiredServer.listen(0, '127.0.0.1', resolve))
    const expiredPort = (expiredServer.address() as AddressInfo).port
    // A port nothing listens on: bind, note it, close.
    const closed = createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const deadPort = (closed.address() as AddressInfo).port
    await new Promise((resolve) => closed.close(resolve))

    const now = Date.now()
    const good = await issueKubernetesUser(ca, {...opts, user: 'jane'})
    const expired = await issueKubernetesUser(ca, {...opts, now: new Date(now - 10 * DAY), ttlMs: DAY, user: 'old'})
    const soon = await issueKubernetesUser(ca, {...opts, ttlMs: 10 * DAY, user: 'soon'})
    const foreign = await issueKubernetesUser(otherCa, {...opts, user: 'foreign'})
    const separate = await issueKubernetesUser(clientCa, {...opts, groups: ['ops'], user: 'sam'})
    const serverAsClient = await issueServer(ca, {...opts, dnsNames: ['not-a-client']})
    await writeFile(join(dir, 'ca.crt'), ca.certPem)
    await writeFile(join(dir, 'ca.key'), ca.keyPem)
    await writeFile(join(dir, 'other-ca.crt'), otherCa.certPem)
    // Client certificates sent with intermediates: one valid chain, one through a sub-CA below a pathlen:0 CA.
    const lab = new OpensslLab(dir)
    await lab.cert('i-ok', {ext: CA_EXT, issuer: 'ca', subject: '/CN=team-ca'})
    await lab.cert('chained', {ext: CLIENT_EXT, issuer: 'i-ok', subject: '/CN=chris/O=dev'})
    await lab.cert('pl0', {ext: ['basicConstraints=critical,CA:TRUE,pathlen:0', 'keyUsage=critical,keyCertSign'], issuer: 'ca', subject: '/CN=pathlen-0'})
    await lab.cert('pl0-sub', {ext: CA_EXT, issuer: 'pl0', subject: '/CN=sub-ca'})
    await lab.cert('masters', {ext: CLIENT_EXT, issuer: 'pl0-sub', subject: '/CN=mallory/O=system:masters'})
    const chain = (...names: string[]) => ({certPem: names.map((n) => lab.read(`${n}.crt`)).join(''), keyPem: lab.read(`${names[0]}.key`)})
    const cluster = (name: string, server: string, extra = '', caFile = 'ca.crt') => `- name: ${name}\n  cluster:\n    server: ${server}\n    certificate-authority: ${caFile}\n${extra}`
    const certUser = (name: string, pair: {certPem: string; keyPem: string}, keyPem = pair.keyPem) =>
      `- name: ${name}\n  user:\n    client-certificate-data: ${b64(pair.certPem)}\n    client-key-data: ${b64(keyPem)}\n`
    const ctx = (name: string, clusterName: string, user: string) => `- name: ${name}\n  context: {cluster: ${clusterName}, user: ${user}}\n`
    const contexts: Array<[string, string, string]> = [
      ['healthy', 'live', 'good'], ['expired-cert', 'live', 'expired'], ['near-expiry', 'live', 'soon'], ['wrong-ca', 'live', 'foreign'],
      ['wrong-eku', 'live', 'server-as-client'], ['key-mismatch', 'live', 'mismatch'], ['missing-file', 'live', 'missing'],
      ['unreachable', 'dead', 'good'], ['wrong-name', 'misnamed', 'good'], ['expired-token', 'live', 'old-token'], ['missing-exec', 'live', 'exec'],
      ['separate-client-ca', 'live', 'separate'], ['untrusted-server', 'untrusted', 'good'], ['expired-server', 'expired-server', 'good'],
      ['anonymous', 'live', 'nobody'], ['short-lived-token', 'live', 'short-token'], ['chained', 'live', 'chained'], ['pathlen', 'live', 'pathlen'],
    ]
    kubeconfig = join(dir, 'config')
    await writeFile(kubeconfig, [
      'apiVersion: v1\nkind: Config\ncurrent-context: healthy\nclusters:\n',
      cluster('live', `https://127.0.0.1:${port}`),
      cluster('dead', `https://127.0.0.1:${deadPort}`),
      cluster('misnamed', `https://127.0.0.1:${port}`, '    tls-server-name: wrong.example\n'),
      cluster('untrusted', `https://127.0.0.1:${port}`, '', 'other-ca.crt'),
      cluster('expired-server', `https://127.0.0.1:${expiredPort}`),
      'users:\n',
      certUser('good', good), certUser('expired', expired), certUser('soon', soon), certUser('foreign', foreign),
      certUser('server-as-client', serverAsClient), certUser('mismatch', good, foreign.keyPem), certUser('separate', separate),
      certUser('chained', chain('chained', 'i-ok')), certUser('pathlen', chain('masters', 'pl0-sub', 'pl0')),
      '- name: nobody\n  user: {}\n',
      `- name: short-token\n  user:\n    token: ${jwt({aud: ['https://kubernetes.default.svc'], exp: Math.floor((now + 3600_000) / 1000), sub: 'system:serviceaccount:ci:bot'})}\n`,
      `- name: missing\n  user:\n    client-certificate: ${join(dir, 'nope.crt')}\n    client-key: ${join(dir, 'nope.key')}\n`,
      `- name: old-token\n  user:\n    token: ${jwt({aud: ['https://kubernetes.default.svc'], exp: Math.floor((now - DAY) / 1000), sub: 'system:serviceaccount:ci:bot'})}\n`,
      '- name: exec\n  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: kubelogin-not-installed\n      interactiveMode: Never\n',
      'contexts:\n', ...contexts.map(([n, c, u]) => ctx(n, c, u)),
    ].join(''))
    await chmod(kubeconfig, 0o600)
  })
  after(async () => {
    await apiserver?.close()
    await new Promise((resolve) => (expiredServer ? expiredServer.close(resolve) : resolve(undefined)))
    await cleanup()
  })

  const statuses = (report: any) => Object.fromEntries(report.checks.map((c: any) => [c.name, c.status]))

  it('a healthy context passes everything and exits 0', async () => {
    const r = await runCli(['doctor', '--kubeconfig', kubeconfig])
    assert.equal(r.exitCode, 0, r.stdout + r.stderr)
    assert.match(r.stdout, /^context "healthy":\n/)
    assert.doesNotMatch(r.stdout, /WARN|FAIL/)
    assert.match(r.stdout, /PASS {2}server TLS: https:\/\/127\.0\.0\.1:\d+ answered; certificate chain and name verified/)
    assert.match(r.stdout, /PASS {2}server certificate validity: server certificate "CN=[^"]*" valid until /)
    assert.match(r.stdout, /PASS {2}whoami: the API server authenticates you as "jane" \(groups: system:authenticated\)/)
  })

  it('each broken context fails the right check with a one-line fix (--all-contexts --json, exit 1)', async () => {
    const r = await runCli(['doctor', '--kubeconfig', kubeconfig, '--all-contexts', '--json'])
    assert.equal(r.exitCode, 1)
    const doc = JSON.parse(r.stdout)
    assert.equal(doc.ok, false)
    const by = Object.fromEntries(doc.contexts.map((c: any) => [c.context, c]))
    const expectFail = (context: string, check: string, message: RegExp) => {
      const found = by[context].checks.find((c: any) => c.name === check)
      assert.ok(found, `${context}: no ${check} check in ${JSON.stringify(by[context].checks)}`)
      assert.equal(found.status, 'fail', `${context}: ${JSON.stringify(found)}`)
      assert.match(found.message, message)
      assert.ok(found.fix && !found.fix.includes('\n'))
    }
    assert.ok(Object.values(statuses(by.healthy)).every((s) => s === 'pass'), JSON.stringify(by.healthy))
    expectFail('expired-cert', 'client certificate validity', /certificate "CN=old" expired .* ago/)
    // Both CAs are named with a short key ID, so two CAs with the same name are told apart.
    expectFail('wrong-ca', 'client certificate CA', /not signed by the cluster's certificate-authority \(x509: certificate signed by unknown authority.*: issued by "[^"]+" \(AKID ([0-9A-F]{2}:){4}…\), not by "[^"]+" \(SKID ([0-9A-F]{2}:){4}…\)\)$/)
    expectFail('wrong-ca', 'whoami', /You must be logged in to the server \(Unauthorized\)/)
    expectFail('untrusted-server', 'server certificate', /presented "CN=[^"]*" from "[^"]+" \(AKID ([0-9A-F]{2}:){4}…\), which the configured CA "[^"]+" \(SKID ([0-9A-F]{2}:){4}…\) does not vouch for \(x509: certificate signed by unknown authority \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\)\)/)
    expectFail('expired-server', 'server certificate validity', /server certificate "CN=[^"]*" expired .* ago/)
    expectFail('anonymous', 'whoami', /anonymous \(system:anonymous\)/)
    expectFail('wrong-eku', 'client certificate EKU', /does not allow clientAuth/)
    expectFail('key-mismatch', 'client key matches certificate', /client-key does not belong to client-certificate/)
    expectFail('missing-file', 'client-certificate file', /nope\.crt does not exist/)
    expectFail('unreachable', 'server reachable', /ECONNREFUSED/)
    expectFail('wrong-name', 'server name', /x509: certificate is valid for localhost, 127\.0\.0\.1, not wrong\.example/)
    expectFail('expired-token', 'token expiry', /token expired/)
    expectFail('missing-exec', 'exec plugin', /"kubelogin-not-installed" not found on PATH/)
    assert.equal(statuses(by['near-expiry'])['client certificate validity'], 'warn')
    // A token that expires within the hour is what short-lived tokens are for: no warning.
    assert.equal(statuses(by['short-lived-token'])['token expiry'], 'pass')
    // No whoami over a connection client-go would refuse, nor with a missing exec plugin.
    for (const context of ['untrusted-server', 'wrong-name', 'unreachable', 'missing-exec']) assert.equal(statuses(by[context]).whoami, undefined, context)
    // The expired server certificate chains to the CA: only its validity fails.
    assert.equal(statuses(by['expired-server'])['server TLS'], 'pass')
  })

  it('client certificates with intermediates are judged as kube-apiserver judges them (path length included)', async () => {
    const r = await runCli(['doctor', '--kubeconfig', kubeconfig, '--all-contexts', '--json'])
    const by = Object.fromEntries(JSON.parse(r.stdout).contexts.map((c: any) => [c.context, c]))
    const check = (context: string, name: string) => by[context].checks.find((c: any) => c.name === name)
    assert.equal(check('chained', 'client certificate CA').status, 'pass')
    assert.match(check('chained', 'whoami').message, /authenticates you as "chris" \(groups: dev, system:authenticated\)/)
    assert.equal(check('pathlen', 'client certificate CA').status, 'fail')
    assert.match(check('pathlen', 'client certificate CA').message, /\(x509: too many intermediates for path length constraint\)$/)
    assert.match(check('pathlen', 'whoami').message, /Unauthorized/)
  })

  it('a client certificate from a separate client CA the server trusts passes, confirmed by whoami', async () => {
    const r = await runCli(['doctor', '--kubeconfig', kubeconfig, '--context', 'separate-client-ca'])
    assert.equal(r.exitCode, 0, r.stdout)
    assert.match(r.stdout, /PASS {2}client certificate CA: not signed by the cluster's certificate-authority, but the API server accepts it/)
    assert.match(r.stdout, /PASS {2}whoami: the API server authenticates you as "sam" \(groups: ops, system:authenticated\)/)
  })

  it('--offline skips the TLS handshake and whoami (and then cannot clear a separate client CA)', async () => {
    const r = await runCli(['doctor', '--kubeconfig', kubeconfig, '--context', 'separate-client-ca', '--offline', '--json'])
    assert.equal(r.exitCode, 1)
    const checks = statuses(JSON.parse(r.stdout).contexts[0])
    assert.equal(checks['client certificate CA'], 'fail')
    assert.equal(checks.whoami, undefined)
    assert.equal(checks['server TLS'], undefined)
  })

  it('--expires-within turns near expiry into a failure', async () => {
    const warnOnly = await runCli(['doctor', '--kubeconfig', kubeconfig, '--context', 'near-expiry'])
    assert.equal(warnOnly.exitCode, 0)
    assert.match(warnOnly.stdout, /WARN {2}client certificate validity: certificate "CN=soon" expires in/)
    const strict = await runCli(['doctor', '--kubeconfig', kubeconfig, '--context', 'near-expiry', '--expires-within', '30d'])
    assert.equal(strict.exitCode, 1)
    assert.match(strict.stdout, /FAIL {2}client certificate validity: .*\n {8}fix: renew it: authctl kubeconfig renew-credentials --context "near-expiry" --ca <client CA>/)
  })

  it('warns about a kubeconfig readable by others', async () => {
    await chmod(kubeconfig, 0o644)
    try {
      const r = await runCli(['doctor', '--kubeconfig', kubeconfig])
      assert.match(r.stdout, /WARN {2}kubeconfig permissions: .* is mode 644: readable by others\n {8}fix: chmod 600 /)
    } finally {
      await chmod(kubeconfig, 0o600)
    }
  })
})
