// `kubeconfig new` end to end: openssl makes the CA and a server certificate, authctl issues the user kubeconfig,
// and the real kubectl uses it against an mTLS server on 127.0.0.1 that checks the client certificate.
import assert from 'node:assert/strict'
import {execFileSync} from 'node:child_process'
import {readFile, stat, writeFile} from 'node:fs/promises'
import {createServer, type Server} from 'node:https'
import type {AddressInfo} from 'node:net'
import {join} from 'node:path'
import type {TLSSocket} from 'node:tls'

import {makeTempDir, runCli, runProgram} from '../../helpers/cli.js'
import {KUBECTL} from './fixtures.js'

describe('authctl kubeconfig new (with kubectl and openssl)', function () {
  this.timeout(60_000)
  let temp: Awaited<ReturnType<typeof makeTempDir>>
  let server: Server
  let url: string
  const seen: Array<{cn: string; o: string}> = []

  before(async () => {
    temp = await makeTempDir('authctl-kc-new-')
    const d = temp.dir
    const ssl = (...args: string[]) => execFileSync('openssl', args, {cwd: d, stdio: 'pipe'})
    ssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-subj', '/CN=test-ca', '-days', '2')
    ssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'srv.key', '-out', 'srv.csr', '-subj', '/CN=127.0.0.1')
    await writeFile(join(d, 'ext'), 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n')
    ssl('x509', '-req', '-in', 'srv.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'srv.crt', '-days', '2', '-extfile', 'ext')
    server = createServer({ca: await readFile(join(d, 'ca.crt')), cert: await readFile(join(d, 'srv.crt')), key: await readFile(join(d, 'srv.key')), rejectUnauthorized: true, requestCert: true}, (req, res) => {
      const peer = (req.socket as TLSSocket).getPeerCertificate()
      seen.push({cn: String(peer.subject.CN), o: ([] as string[]).concat(peer.subject.O ?? []).join(',')})
      res.setHeader('content-type', 'application/json')
      res.end(JSON.stringify({gitVersion: 'v1.32.0', major: '1', minor: '32'}))
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  after(async () => {
    await new Promise((r) => server.close(r))
    await temp.cleanup()
  })

  it('--out writes a 0600 kubeconfig that kubectl uses to authenticate as the user and groups', async () => {
    const env = {HOME: temp.dir, KUBECACHEDIR: join(temp.dir, '.cache')}
    const out = join(temp.dir, 'alice.kubeconfig')
    const r = await runCli(['kubeconfig', 'new', '--ca', 'ca.crt', '--ca-key', 'ca.key', '--user', 'alice', '--group', 'dev', '--group', 'ops', '--server', url, '--namespace', 'apps', '--ttl', '1h', '--out', out], {cwd: temp.dir, env})
    assert.equal(r.exitCode, 0, r.stderr)
    assert.equal(r.stderr, `wrote ${out} (context "alice@kubernetes")\n`)
    assert.equal((await stat(out)).mode & 0o777, 0o600)
    const k = await runProgram(KUBECTL, ['--kubeconfig', out, 'get', '--raw', '/version'], {env})
    assert.equal(k.exitCode, 0, k.stderr)
    assert.equal(JSON.parse(k.stdout).gitVersion, 'v1.32.0')
    assert.deepEqual(seen.at(-1), {cn: 'alice', o: 'dev,ops'})
    const contexts = await runProgram(KUBECTL, ['--kubeconfig', out, 'config', 'get-contexts'], {env})
    assert.equal(contexts.stdout, 'CURRENT   NAME               CLUSTER      AUTHINFO   NAMESPACE\n*         alice@kubernetes   kubernetes   alice      apps\n')
    const again = await runCli(['kubeconfig', 'new', '--ca', 'ca.crt', '--ca-key', 'ca.key', '--user', 'alice', '--server', url, '--out', out], {cwd: temp.dir, env})
    assert.equal(again.exitCode, 1)
    assert.match(again.stderr, /already exists \(use --force to overwrite\)/)
  })

  it('--merge-into adds the user to an existing kubeconfig, renaming on clashes', async () => {
    const env = {HOME: temp.dir, KUBECACHEDIR: join(temp.dir, '.cache')}
    const target = join(temp.dir, 'merged.yaml')
    await writeFile(target, 'apiVersion: v1\nkind: Config\ncurrent-context: old\nclusters:\n- name: kubernetes\n  cluster:\n    server: https://elsewhere\ncontexts:\n- name: old\n  context:\n    cluster: kubernetes\n    user: old\n')
    const r = await runCli(['kubeconfig', 'new', '--ca', 'ca.crt', '--ca-key', 'ca.key', '--user', 'bob', '--server', url, '--merge-into', target], {cwd: temp.dir, env})
    assert.equal(r.exitCode, 0, r.stderr)
    assert.match(r.stderr, /renamed cluster "kubernetes" from \(new\) to "kubernetes-1"/)
    const k = await runProgram(KUBECTL, ['--kubeconfig', target, '--context', 'bob@kubernetes', 'get', '--raw', '/version'], {env})
    assert.equal(k.exitCode, 0, k.stderr)
    assert.deepEqual(seen.at(-1), {cn: 'bob', o: ''})
    assert.equal((await runCli(['kubeconfig', 'current-context', '--kubeconfig', target], {env})).stdout, 'old\n')
  })

  it('a CA key that does not match the certificate is refused and nothing is written', async () => {
    const r = await runCli(['kubeconfig', 'new', '--ca', 'ca.crt', '--ca-key', 'srv.key', '--user', 'x', '--server', url, '--out', 'x.yaml'], {cwd: temp.dir})
    assert.equal(r.exitCode, 1)
    assert.match(r.stderr, /^error: /)
    await assert.rejects(stat(join(temp.dir, 'x.yaml')))
  })
})
