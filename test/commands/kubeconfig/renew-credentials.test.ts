// kubeconfig renew-credentials: three users (embedded and due, on disk and not due, another CA's) → exactly the
// first is renewed, kubectl authenticates with it against authctl serve, and a failure leaves every file as it was.
import assert from 'node:assert/strict'
import {mkdir, readFile, writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {kubectlBinary} from '../../e2e/kube/compare.js'
import {makeTempDir, runCli, runProgram} from '../../helpers/cli.js'
import {type ServeProcess, startServe} from '../../helpers/serve-process.js'
import {createCa} from '../../../src/lib/pki/issue.js'
import {issueKubernetesUser} from '../../../src/lib/pki/profiles.js'
import {readCertificates} from '../../../src/lib/pki/cert.js'

const KUBECTL = kubectlBinary('1.32') ?? 'kubectl'
const DAY = 86_400_000
const b64 = (s: string) => Buffer.from(s).toString('base64')
const unb64 = (s: string) => Buffer.from(s, 'base64').toString('utf8')

describe('authctl kubeconfig renew-credentials', function () {
  this.timeout(120_000)
  let dir: string
  let cleanup: () => Promise<void>
  let serve: ServeProcess
  let server: string
  let serverCa: string
  const snapshot = async () => Promise.all(['kc', 'certs/bob.crt', 'certs/bob.key'].map((f) => readFile(join(dir, f))))

  async function writeKubeconfig(dueTtlDays = 12): Promise<void> {
    const ca = {certPem: await readFile(join(dir, 'serve/client-ca.crt'), 'utf8'), keyPem: await readFile(join(dir, 'serve/client-ca.key'), 'utf8')}
    const alice = await issueKubernetesUser(ca, {groups: ['dev'], now: new Date(Date.now() - 10 * DAY), ttlMs: dueTtlDays * DAY, user: 'alice'})
    const bob = await issueKubernetesUser(ca, {now: new Date(), ttlMs: 30 * DAY, user: 'bob'})
    const other = await issueKubernetesUser(await createCa({cn: 'other CA'}), {now: new Date(Date.now() - 10 * DAY), ttlMs: 12 * DAY, user: 'carol'})
    await mkdir(join(dir, 'certs'), {recursive: true})
    await writeFile(join(dir, 'certs/bob.crt'), bob.certPem)
    await writeFile(join(dir, 'certs/bob.key'), bob.keyPem)
    const kubeconfig = [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      '- name: ref',
      '  cluster:',
      `    server: ${server}`,
      `    certificate-authority-data: ${serverCa}`,
      'contexts:',
      ...['alice', 'bob', 'carol'].flatMap((u) => [`- name: ${u}`, '  context:', '    cluster: ref', `    user: ${u}`]),
      'current-context: alice',
      'users:',
      '- name: alice # renewed in place',
      '  user:',
      `    client-certificate-data: ${b64(alice.certPem)}`,
      `    client-key-data: ${b64(alice.keyPem)}`,
      '- name: bob',
      '  user:',
      '    client-certificate: certs/bob.crt',
      '    client-key: certs/bob.key',
      '- name: carol',
      '  user:',
      `    client-certificate-data: ${b64(other.certPem)}`,
      `    client-key-data: ${b64(other.keyPem)}`,
      '',
    ].join('\n')
    await writeFile(join(dir, 'kc'), kubeconfig)
  }

  const users = async () => {
    const r = await runCli(['kubeconfig', 'view', '--raw', '-o', 'json', '--kubeconfig', join(dir, 'kc')])
    return Object.fromEntries(JSON.parse(r.stdout).users.map((u: any) => [u.name, u.user]))
  }
  const whoami = (context: string) =>
    runProgram(KUBECTL, ['--context', context, 'auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}'], {env: {KUBECACHEDIR: join(dir, 'cache'), KUBECONFIG: join(dir, 'kc')}})

  before(async () => {
    ;({cleanup, dir} = await makeTempDir('authctl-renew-creds-'))
    serve = await startServe(['--cert-dir', join(dir, 'serve'), '--write-kubeconfig', join(dir, 'admin-kc')])
    const admin = await runCli(['kubeconfig', 'view', '--raw', '-o', 'json', '--kubeconfig', join(dir, 'admin-kc')])
    const cluster = JSON.parse(admin.stdout).clusters[0].cluster
    server = cluster.server
    serverCa = cluster['certificate-authority-data']
  })
  after(async () => {
    await serve?.stop()
    await cleanup?.()
  })

  it('--all --if-due 33% renews exactly the due user from this CA, keeps its key, and kubectl authenticates with it', async () => {
    await writeKubeconfig()
    const before = await users()
    const bobFiles = await snapshot()
    const r = await runCli(['kubeconfig', 'renew-credentials', '--all', '--ca', join(dir, 'serve/client-ca.crt'), '--if-due', '33%', '--json', '--kubeconfig', join(dir, 'kc')])
    assert.equal(r.exitCode, 0, r.stderr)
    const doc = JSON.parse(r.stdout)
    assert.deepEqual(doc.renewed.map((u: any) => [u.user, u.certificate, u.keyRotated]), [['alice', 'embedded', false]])
    assert.deepEqual(doc.skipped.map((s: any) => s.user), ['bob', 'carol'])
    assert.match(doc.skipped[0].reason, /^not due/)
    assert.match(doc.skipped[1].reason, /^another CA: issued by "CN=other CA"/)
    const after = await users()
    assert.notEqual(after.alice['client-certificate-data'], before.alice['client-certificate-data'])
    assert.equal(after.alice['client-key-data'], before.alice['client-key-data'])
    assert.deepEqual(after.bob, before.bob)
    assert.deepEqual(after.carol, before.carol)
    assert.deepEqual((await snapshot()).slice(1), bobFiles.slice(1))
    assert.match(await readFile(join(dir, 'kc'), 'utf8'), /# renewed in place/)
    const renewed = readCertificates(unb64(after.alice['client-certificate-data']), 'c')[0].fields
    assert.ok(renewed.notAfter.getTime() > Date.now() + 11 * DAY)
    const ossl = await runProgram('openssl', ['verify', '-CAfile', join(dir, 'serve/client-ca.crt'), '-purpose', 'sslclient'], {input: unb64(after.alice['client-certificate-data'])})
    assert.match(ossl.stdout, /OK/, ossl.stderr)
    const who = await whoami('alice')
    assert.equal(who.stdout, 'alice', who.stderr)
  })

  it('--rotate-key replaces the key of an on-disk user together with its certificate; kubectl uses both', async () => {
    await writeKubeconfig()
    const [, cert, key] = await snapshot()
    const r = await runCli(['kubeconfig', 'renew-credentials', '--user', 'bob', '--ca', join(dir, 'serve/client-ca.crt'), '--rotate-key', '--kubeconfig', join(dir, 'kc')])
    assert.equal(r.exitCode, 0, r.stderr)
    assert.match(r.stdout, /^renewed user "bob"/)
    const [, cert2, key2] = await snapshot()
    assert.notDeepEqual(cert2, cert)
    assert.notDeepEqual(key2, key)
    const who = await whoami('bob')
    assert.equal(who.stdout, 'bob', who.stderr)
  })

  it('a failure (a CA key that does not match) leaves every file byte-identical', async () => {
    await writeKubeconfig()
    const before = await snapshot()
    const wrong = await createCa({cn: 'wrong'})
    await writeFile(join(dir, 'wrong.key'), wrong.keyPem)
    const r = await runCli(['kubeconfig', 'renew-credentials', '--all', '--ca', join(dir, 'serve/client-ca.crt'), '--ca-key', join(dir, 'wrong.key'), '--rotate-key', '--kubeconfig', join(dir, 'kc')])
    assert.equal(r.exitCode, 1)
    assert.match(r.stderr, /^error: CA key does not match/)
    assert.deepEqual(await snapshot(), before)
  })

  it('a failure in the middle (the second due user cannot be renewed) leaves every file byte-identical', async () => {
    await writeKubeconfig()
    // bob's key file no longer matches its certificate: alice (first) is renewed in memory, then bob fails.
    await writeFile(join(dir, 'certs/bob.key'), (await createCa({cn: 'x'})).keyPem)
    const before = await snapshot()
    const r = await runCli(['kubeconfig', 'renew-credentials', '--all', '--ca', join(dir, 'serve/client-ca.crt'), '--rotate-key', '--kubeconfig', join(dir, 'kc')])
    assert.equal(r.exitCode, 1)
    assert.match(r.stderr, /^error: key .*bob\.key does not match the certificate "CN=bob"/)
    assert.deepEqual(await snapshot(), before)
  })
})
