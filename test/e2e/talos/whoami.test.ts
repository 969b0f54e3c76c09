import assert from 'node:assert/strict'
import {readFile} from 'node:fs/promises'
import type {AddressInfo} from 'node:net'
import {join} from 'node:path'

import {type ApidLike, startApidLikeServer} from '../../helpers/apid-server.js'
import {makeTempDir, runCli} from '../../helpers/cli.js'
import {goName} from '../../helpers/go-x509.js'
import {OpensslLab} from '../pki/openssl-lab.js'

// A sandbox talosconfig (Talos OS CA, reader/operator/admin contexts) and nodes that judge it as apid does.
describe('authctl talos whoami against an apid-like TLS server', function () {
  let dir: string
  let cleanup: () => Promise<void>
  let node: ApidLike
  let strangerNode: ApidLike
  const talosconfig = () => join(dir, 'talosconfig')
  const whoami = (...args: string[]) => runCli(['talos', 'whoami', '--talosconfig', talosconfig(), '--timeout', '3s', ...args])
  const endpoint = (s: ApidLike) => `127.0.0.1:${(s.server.address() as AddressInfo).port}`

  before(async () => {
    ;({cleanup, dir} = await makeTempDir('authctl-talos-whoami-'))
    assert.equal((await runCli(['quickstart', '--dir', dir])).exitCode, 0)
    const issue = (name: string, ca: string, extra: string[]) =>
      runCli(['pki', 'issue', '--name', join(dir, name), '--ca', join(dir, `${ca}.crt`), '--ca-key', join(dir, `${ca}.key`), ...extra])
    // The node's own certificate from the Talos CA, and one from an unrelated CA.
    assert.equal((await issue('node', 'talos-ca', ['--profile', 'server', '--ip', '127.0.0.1'])).exitCode, 0)
    assert.equal((await issue('stranger', 'ca', ['--profile', 'server', '--ip', '127.0.0.1'])).exitCode, 0)
    const read = (name: string) => readFile(join(dir, name), 'utf8')
    const talosCa = await read('talos-ca.crt')
    // node:tls cannot read Talos's ED25519 PRIVATE KEY label (the body is PKCS#8).
    const key = (name: string) => read(name).then((k) => k.replaceAll('ED25519 PRIVATE KEY', 'PRIVATE KEY'))
    node = await startApidLikeServer(talosCa, await read('node.crt'), await key('node.key'))
    strangerNode = await startApidLikeServer(talosCa, await read('stranger.crt'), await key('stranger.key'))
  })
  after(async () => {
    await new Promise((r) => node?.server.close(r))
    await new Promise((r) => strangerNode?.server.close(r))
    await cleanup()
  })

  it('reports roles and expiry, and a node that accepts the certificate (exit 0)', async () => {
    const r = await whoami('--context', 'operator', '--endpoints', endpoint(node))
    assert.equal(r.exitCode, 0, r.stdout + r.stderr)
    assert.match(r.stdout, /^Roles: +os:operator$/m)
    assert.match(r.stdout, /^apid check: +ok/m)
    assert.match(r.stdout, /: accepted \(the node verified the client certificate/)
    assert.match(r.stdout, /verified by the context CA/)
    assert.deepEqual(node.ekuRejections, [])
  })

  it('names a node whose certificate does not come from the context CA', async () => {
    const r = await whoami('--endpoints', endpoint(strangerNode), '--json')
    assert.equal(r.exitCode, 1)
    const doc = JSON.parse(r.stdout)
    assert.equal(doc.endpoints[0].server.trustedByContextCa, false)
    assert.match(doc.endpoints[0].server.issuer, /quickstart-ca/)
  })

  it('a certificate from another CA is refused by the node and fails the local check', async () => {
    // Point the reader context at the Kubernetes CA's jane certificate: wrong CA and wrong EKU at once.
    const kube = (name: string) => readFile(join(dir, name)).then((b) => b.toString('base64'))
    const text = (await readFile(talosconfig(), 'utf8'))
      .replace(/(    reader:\n(?:.*\n)*?        crt: )\S+/, `$1${await kube('jane.crt')}`)
      .replace(/(    reader:\n(?:.*\n)*?        key: )\S+/, `$1${await kube('jane.key')}`)
    const {writeFile} = await import('node:fs/promises')
    const other = join(dir, 'talosconfig-wrong')
    await writeFile(other, text)
    const r = await runCli(['talos', 'whoami', '--talosconfig', other, '--context', 'reader', '--endpoints', endpoint(node), '--timeout', '3s'])
    assert.equal(r.exitCode, 1)
    assert.match(r.stdout, /^apid check: +FAIL$/m)
    assert.match(r.stdout, /: rejected \(/)
    assert.ok(node.handshakeErrors.length > 0, 'the node should have refused the handshake')
  })

  it('an unreachable endpoint is reported, exit 1; --offline checks the certificate only', async () => {
    const r = await whoami('--endpoints', '127.0.0.1:1')
    assert.equal(r.exitCode, 1)
    assert.match(r.stdout, /127\.0\.0\.1:1: unreachable/)
    const offline = await whoami('--offline')
    assert.equal(offline.exitCode, 0)
    assert.doesNotMatch(offline.stdout, /Endpoint/)
  })

  it('roles are every O value as Go reads them: repeated O and a multi-valued RDN (O+O), sorted', async () => {
    const {writeFile} = await import('node:fs/promises')
    const lab = new OpensslLab(dir)
    // openssl cannot read Talos's ED25519 PRIVATE KEY label; the body is PKCS#8.
    await writeFile(join(dir, 'talos-ca-pkcs8.key'), (await readFile(join(dir, 'talos-ca.key'), 'utf8')).replaceAll('ED25519 PRIVATE KEY', 'PRIVATE KEY'))
    await lab.cert('multi-o', {ext: ['keyUsage=critical,digitalSignature', 'extendedKeyUsage=clientAuth'], issuer: 'talos-ca', signKey: 'talos-ca-pkcs8',
      subject: '/O=os:reader+O=os:operator/O=os:admin/O=os:reader'})
    const b64 = (name: string) => readFile(join(dir, name)).then((b) => b.toString('base64'))
    const file = join(dir, 'talosconfig-multi-o')
    await writeFile(file, `context: multi\ncontexts:\n  multi:\n    endpoints: [${endpoint(node)}]\n    ca: ${await b64('talos-ca.crt')}\n    crt: ${await b64('multi-o.crt')}\n    key: ${await b64('multi-o.key')}\n`)
    const go = await goName(join(dir, 'multi-o.crt'))
    assert.deepEqual(go.groups, ['os:reader', 'os:operator', 'os:admin', 'os:reader'])
    const r = await runCli(['talos', 'whoami', '--talosconfig', file, '--timeout', '3s', '--json'])
    assert.equal(r.exitCode, 0, r.stdout + r.stderr)
    const doc = JSON.parse(r.stdout)
    assert.deepEqual(doc.roles, ['os:admin', 'os:operator', 'os:reader'])
    assert.equal(doc.check.valid, true, JSON.stringify(doc.check))
    const inspect = JSON.parse((await runCli(['pki', 'inspect', join(dir, 'multi-o.crt'), '--json'])).stdout)
    assert.deepEqual(inspect.talos.roles, ['os:admin', 'os:operator', 'os:reader'])
  })

  it('talos can-i takes the roles from the context when --roles is absent', async () => {
    const yes = await runCli(['talos', 'can-i', 'Reboot', '--talosconfig', talosconfig(), '--context', 'operator'])
    assert.deepEqual([yes.exitCode, yes.stdout], [0, 'yes\n'])
    const no = await runCli(['talos', 'can-i', 'Reboot', '--talosconfig', talosconfig(), '--context', 'reader'])
    assert.equal(no.exitCode, 1)
  })
})
