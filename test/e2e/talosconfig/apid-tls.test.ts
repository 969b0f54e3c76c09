import assert from 'node:assert/strict'
import {execFile} from 'node:child_process'
import {readFile, writeFile} from 'node:fs/promises'
import type {AddressInfo} from 'node:net'
import {join} from 'node:path'
import {connect} from 'node:tls'
import {promisify} from 'node:util'

import {type ApidLike, startApidLikeServer} from '../../helpers/apid-server.js'
import {makeTempDir, runCli} from '../../helpers/cli.js'
import {makeTalosPki, type OpensslClient} from '../../commands/talosconfig/openssl-pki.js'

const openssl = (args: string[], cwd: string) => promisify(execFile)('openssl', args, {cwd})
interface Outcome {
  reply?: string
  error?: string
}

/** Connects like talosctl: the context's CA as the only root, its crt/key as the client certificate. */
function callWithContext(port: number, ctx: {ca: string; crt: string; key: string}): Promise<Outcome> {
  const d = (s: string) => Buffer.from(s, 'base64').toString()
  // Node (OpenSSL) cannot read Talos's `ED25519 PRIVATE KEY` label; Go's tls.X509KeyPair can. Same PKCS#8 body.
  const key = d(ctx.key).replaceAll('ED25519 PRIVATE KEY', 'PRIVATE KEY')
  return new Promise((resolve) => {
    const socket = connect({ca: d(ctx.ca), cert: d(ctx.crt), host: '127.0.0.1', key, port})
    let reply = ''
    socket.on('data', (chunk) => (reply += chunk))
    socket.on('error', (error) => resolve({error: error.message, reply: reply || undefined}))
    socket.on('close', () => resolve(reply ? {reply} : {error: 'closed without a reply'}))
  })
}

function contextOf(yaml: string): {ca: string; crt: string; key: string} {
  const field = (name: string) => new RegExp(`^ {8}${name}: (\\S+)$`, 'm').exec(yaml)![1]
  return {ca: field('ca'), crt: field('crt'), key: field('key')}
}

describe('talosconfig new against an apid-like TLS server', function () {
  let dir: string
  let cleanup: () => Promise<void>
  let apid: ApidLike
  let port: number
  let cluster: OpensslClient
  let other: OpensslClient

  before(async () => {
    ;({cleanup, dir} = await makeTempDir('authctl-talos-tls-'))
    cluster = await makeTalosPki(dir, {prefix: 'cluster-'})
    other = await makeTalosPki(dir, {prefix: 'other-'})
    // The node's serving certificate: signed by the cluster CA, serverAuth, IP SAN 127.0.0.1.
    await openssl(['genpkey', '-algorithm', 'ed25519', '-out', 'server.key'], dir)
    await openssl(['req', '-new', '-key', 'server.key', '-subj', '/CN=node', '-out', 'server.csr'], dir)
    await writeFile(join(dir, 'server.ext'), 'keyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1\n')
    await openssl(['x509', '-req', '-in', 'server.csr', '-CA', cluster.ca, '-CAkey', cluster.caKey, '-CAcreateserial', '-days', '1', '-extfile', 'server.ext', '-out', 'server.crt'], dir)
    const [ca, cert, key] = await Promise.all([cluster.ca, join(dir, 'server.crt'), join(dir, 'server.key')].map((p) => readFile(p, 'utf8')))
    apid = await startApidLikeServer(ca, cert, key)
    port = (apid.server.address() as AddressInfo).port
  })
  after(async () => {
    await new Promise((r) => (apid ? apid.server.close(r) : r(undefined)))
    await cleanup()
  })

  const newConfig = async (name: string, args: string[]) => {
    const path = join(dir, name)
    const r = await runCli(['talosconfig', 'new', path, ...args, '--endpoints', '127.0.0.1'], {cwd: dir})
    assert.equal(r.exitCode, 0, r.stderr)
    return readFile(path, 'utf8')
  }

  it('accepts a talosconfig made by `new` from the cluster CA (EKU exactly clientAuth, O = roles)', async () => {
    const yaml = await newConfig('reader', ['--ca', cluster.ca, '--ca-key', cluster.caKey, '--roles', 'os:reader,os:etcd:backup'])
    const outcome = await callWithContext(port, contextOf(yaml))
    assert.equal(outcome.error, undefined)
    assert.deepEqual([apid.handshakeErrors, apid.ekuRejections], [[], []])
    assert.match(outcome.reply!, /^ok O=os:etcd:backup\s*\+\s*O=os:reader\n$|^ok O=os:etcd:backup,O=os:reader\n$/)
  })

  it('rejects a talosconfig made by `new` from another CA', async () => {
    const yaml = await newConfig('foreign', ['--ca', other.ca, '--ca-key', other.caKey])
    // The client trusts the right server CA but presents a certificate from the other CA.
    const ctx = {...contextOf(yaml), ca: Buffer.from(await readFile(cluster.ca)).toString('base64')}
    const [before, ekuBefore] = [apid.handshakeErrors.length, apid.ekuRejections.length]
    const outcome = await callWithContext(port, ctx)
    assert.equal(outcome.reply, undefined)
    assert.ok(outcome.error)
    // Refused in the handshake (unknown CA), as apid does, not by the EKU check.
    assert.equal(apid.handshakeErrors.length, before + 1)
    assert.equal(apid.ekuRejections.length, ekuBefore)
    // The client sees the alert or, in TLS 1.3 where the client finishes first, the connection closing.
    assert.match(outcome.error!, /unknown ca|hang up|ECONNRESET|closed without a reply/i)
  })

  it('the server really enforces the EKU rule: a [serverAuth, clientAuth] certificate from the cluster CA is refused', async () => {
    await writeFile(join(dir, 'both.ext'), 'keyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth,clientAuth\n')
    await openssl(['x509', '-req', '-in', join(dir, 'cluster-client.csr'), '-CA', cluster.ca, '-CAkey', cluster.caKey, '-CAcreateserial', '-days', '1', '-extfile', 'both.ext', '-out', 'both.crt'], dir)
    const b64 = async (p: string) => (await readFile(p)).toString('base64')
    const rejections = apid.ekuRejections.length
    const outcome = await callWithContext(port, {ca: await b64(cluster.ca), crt: await b64(join(dir, 'both.crt')), key: await b64(cluster.key)})
    assert.equal(outcome.reply, undefined)
    assert.equal(apid.ekuRejections.length, rejections + 1)
    // And the openssl-made clientAuth-only certificate passes, so the refusal is the EKU rule, not the setup.
    const good = await callWithContext(port, {ca: await b64(cluster.ca), crt: await b64(cluster.crt), key: await b64(cluster.key)})
    assert.match(good.reply ?? '', /^ok /)
  })
})
