import assert from 'node:assert/strict'
import {chmod, writeFile} from 'node:fs/promises'
import {createServer, type Server} from 'node:https'
import type {AddressInfo} from 'node:net'
import {join} from 'node:path'

import {createCa, issueKubernetesUser, issueServer} from '../../../src/lib/pki/index.js'
import {makeTempDir, runCli} from '../../helpers/cli.js'

const DAY = 86_400_000
const b64 = (s: string) => Buffer.from(s).toString('base64')
const jwt = (claims: object) => `${Buffer.from('{"alg":"RS256"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.c2ln`

describe('authctl doctor (kubeconfig)', function () {
  this.timeout(60_000)
  let dir: string
  let cleanup: () => Promise<void>
  let server: Server
  let kubeconfig: string

  before(async () => {
    ;({cleanup, dir} = await makeTempDir())
    const opts = {algorithm: 'ecdsa-p256' as const, keyFormat: 'pkcs8' as const}
    const ca = await createCa({...opts, cn: 'cluster-ca'})
    const otherCa = await createCa({...opts, cn: 'other-ca'})
    const serverPair = await issueServer(ca, {...opts, dnsNames: ['localhost'], ips: ['127.0.0.1']})
    server = createServer({cert: serverPair.certPem, key: serverPair.keyPem}, (_req, res) => res.end('{}'))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const port = (server.address() as AddressInfo).port
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
    const serverAsClient = await issueServer(ca, {...opts, dnsNames: ['not-a-client']})
    await writeFile(join(dir, 'ca.crt'), ca.certPem)
    const cluster = (name: string, server: string, extra = '') => `- name: ${name}\n  cluster:\n    server: ${server}\n    certificate-authority: ca.crt\n${extra}`
    const certUser = (name: string, pair: {certPem: string; keyPem: string}, keyPem = pair.keyPem) =>
      `- name: ${name}\n  user:\n    client-certificate-data: ${b64(pair.certPem)}\n    client-key-data: ${b64(keyPem)}\n`
    const ctx = (name: string, clusterName: string, user: string) => `- name: ${name}\n  context: {cluster: ${clusterName}, user: ${user}}\n`
    const contexts: Array<[string, string, string]> = [
      ['healthy', 'live', 'good'], ['expired-cert', 'live', 'expired'], ['near-expiry', 'live', 'soon'], ['wrong-ca', 'live', 'foreign'],
      ['wrong-eku', 'live', 'server-as-client'], ['key-mismatch', 'live', 'mismatch'], ['missing-file', 'live', 'missing'],
      ['unreachable', 'dead', 'good'], ['wrong-name', 'misnamed', 'good'], ['expired-token', 'live', 'old-token'], ['missing-exec', 'live', 'exec'],
    ]
    kubeconfig = join(dir, 'config')
    await writeFile(kubeconfig, [
      'apiVersion: v1\nkind: Config\ncurrent-context: healthy\nclusters:\n',
      cluster('live', `https://127.0.0.1:${port}`),
      cluster('dead', `https://127.0.0.1:${deadPort}`),
      cluster('misnamed', `https://127.0.0.1:${port}`, '    tls-server-name: wrong.example\n'),
      'users:\n',
      certUser('good', good), certUser('expired', expired), certUser('soon', soon), certUser('foreign', foreign),
      certUser('server-as-client', serverAsClient), certUser('mismatch', good, foreign.keyPem),
      `- name: missing\n  user:\n    client-certificate: ${join(dir, 'nope.crt')}\n    client-key: ${join(dir, 'nope.key')}\n`,
      `- name: old-token\n  user:\n    token: ${jwt({aud: ['https://kubernetes.default.svc'], exp: Math.floor((now - DAY) / 1000), sub: 'system:serviceaccount:ci:bot'})}\n`,
      '- name: exec\n  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: kubelogin-not-installed\n      interactiveMode: Never\n',
      'contexts:\n', ...contexts.map(([n, c, u]) => ctx(n, c, u)),
    ].join(''))
    await chmod(kubeconfig, 0o600)
  })
  after(async () => {
    await new Promise((resolve) => server.close(resolve))
    await cleanup()
  })

  const statuses = (report: any) => Object.fromEntries(report.checks.map((c: any) => [c.name, c.status]))

  it('a healthy context passes everything and exits 0', async () => {
    const r = await runCli(['doctor', '--kubeconfig', kubeconfig])
    assert.equal(r.exitCode, 0, r.stdout + r.stderr)
    assert.match(r.stdout, /^context "healthy":\n/)
    assert.doesNotMatch(r.stdout, /WARN|FAIL/)
    assert.match(r.stdout, /PASS {2}server TLS: https:\/\/127\.0\.0\.1:\d+ answered; certificate chain and name verified/)
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
    expectFail('wrong-ca', 'client certificate CA', /not signed by the cluster's certificate-authority/)
    expectFail('wrong-eku', 'client certificate EKU', /does not allow clientAuth/)
    expectFail('key-mismatch', 'client key matches certificate', /client-key does not belong to client-certificate/)
    expectFail('missing-file', 'client-certificate file', /nope\.crt does not exist/)
    expectFail('unreachable', 'server reachable', /ECONNREFUSED/)
    expectFail('wrong-name', 'server name', /wrong\.example/)
    expectFail('expired-token', 'token expiry', /token expired/)
    expectFail('missing-exec', 'exec plugin', /"kubelogin-not-installed" not found on PATH/)
    assert.equal(statuses(by['near-expiry'])['client certificate validity'], 'warn')
  })

  it('--expires-within turns near expiry into a failure', async () => {
    const warnOnly = await runCli(['doctor', '--kubeconfig', kubeconfig, '--context', 'near-expiry'])
    assert.equal(warnOnly.exitCode, 0)
    assert.match(warnOnly.stdout, /WARN {2}client certificate validity: certificate "CN=soon" expires in/)
    const strict = await runCli(['doctor', '--kubeconfig', kubeconfig, '--context', 'near-expiry', '--expires-within', '30d'])
    assert.equal(strict.exitCode, 1)
    assert.match(strict.stdout, /FAIL {2}client certificate validity: .*\n {8}fix: renew it/)
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
