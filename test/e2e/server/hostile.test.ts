// Hostile and overloading clients against serve's limits (kube-apiserver's secure serving): credentials judged before
// the body, header timeout covering the TLS handshake, header size limits, request timeout and max-in-flight.
import assert from 'node:assert/strict'
import {writeFileSync} from 'node:fs'
import {connect as h2connect} from 'node:http2'
import {Agent, request} from 'node:https'
import {connect as tcpConnect, type Socket} from 'node:net'
import {join} from 'node:path'
import {connect as tlsConnect, type TLSSocket} from 'node:tls'

import {startServer, type RunningServer} from '../../../src/lib/server/index.js'
import {makeTempDir, runProgram} from '../../helpers/cli.js'
import {call} from './client.js'
import {KUBECTL_DIR, KUBECTL_VERSIONS, makePki, type Pki} from './fixtures.js'

const SSAR = '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews'
const ssarBody = JSON.stringify({apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: {resourceAttributes: {namespace: 'team-a', resource: 'pods', verb: 'list'}}})
const HEADER_TIMEOUT_MS = 1500

/** Resolves with everything the server sent once it closes the connection (or errors), and when that happened. */
function untilClosed(socket: Socket): Promise<{text: string; at: number}> {
  return new Promise((resolve) => {
    let text = ''
    socket.on('data', (d) => (text += d.toString('latin1')))
    socket.on('error', () => {})
    socket.on('close', () => resolve({at: Date.now(), text}))
  })
}

const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))]

describe('serve: hostile and overloading clients', function () {
  this.timeout(120_000)
  let tmp: Awaited<ReturnType<typeof makeTempDir>>
  let pki: Pki
  let server: RunningServer
  let ca: string
  const events: any[] = []

  before(async () => {
    tmp = await makeTempDir('authctl-serve-hostile-')
    pki = makePki(tmp.dir)
    ca = pki.read(pki.caCert)
    writeFileSync(join(tmp.dir, 'tokens.csv'), 'good-token,tina,u-1,dev\nholder-token,holder,u-2,dev\n')
    server = await startServer({
      anonymousAuth: false, clientCAFile: pki.caCert, headerTimeoutMs: HEADER_TIMEOUT_MS, maxMutatingRequestsInflight: 1, onAudit: (e) => events.push(e),
      policyObjects: [{kind: 'RoleBinding', metadata: {name: 'dev-view', namespace: 'team-a'}, roleRef: {apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view'},
        subjects: [{apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'dev'}]}], port: 0,
      reloadIntervalMs: 0, requestTimeoutMs: 20_000, tlsCertFile: pki.serverCert, tlsKeyFile: pki.serverKey, tokenAuthFile: join(tmp.dir, 'tokens.csv'),
    })
  })
  after(async () => {
    await server?.close()
    await tmp?.cleanup()
  })

  const tls = (alpn = 'http/1.1') => new Promise<TLSSocket>((resolve, reject) => {
    const socket = tlsConnect({ALPNProtocols: [alpn], ca, host: '127.0.0.1', port: server.port, servername: 'localhost'}, () => resolve(socket))
    socket.once('error', reject)
  })

  /** Headers for a 3,000,000-byte body, then 1 KiB every 100 ms until the socket closes. */
  const slowBody = async (token: string) => {
    const socket = await tls()
    const closed = untilClosed(socket)
    const start = Date.now()
    socket.write(`POST ${SSAR} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nContent-Length: 3000000\r\n\r\n`)
    const trickle = setInterval(() => socket.writable && socket.write(Buffer.alloc(1024, 0x20)), 100)
    let answeredAt = 0
    socket.on('data', () => (answeredAt ||= Date.now()))
    const {text} = await closed
    clearInterval(trickle)
    return {afterMs: answeredAt - start, text}
  }

  it('bad token + slow 3 MB body (HTTP/1.1) → 401 within 1 s, connection closed without reading the body', async () => {
    const {afterMs, text} = await slowBody('bad-token')
    assert.match(text, /^HTTP\/1\.1 401 Unauthorized\r\n/)
    assert.match(text, /\r\nconnection: close\r\n/i)
    assert.ok(afterMs < 1000, `answered after ${afterMs} ms`)
  })

  it('bad token + slow 3 MB body (HTTP/2) → 401 within 1 s and the stream is reset', async () => {
    const session = h2connect(server.url, {ca})
    try {
      const start = Date.now()
      const stream = session.request({':method': 'POST', ':path': SSAR, authorization: 'Bearer bad-token', 'content-length': '3000000', 'content-type': 'application/json'})
      const closed = new Promise((resolve) => stream.once('close', resolve))
      stream.resume()
      const trickle = setInterval(() => stream.writable && stream.write(Buffer.alloc(1024, 0x20)), 100)
      const status = await new Promise<number>((resolve) => stream.once('response', (h) => resolve(Number(h[':status']))))
      const afterMs = Date.now() - start
      await closed
      clearInterval(trickle)
      assert.equal(status, 401)
      assert.ok(afterMs < 1000, `answered after ${afterMs} ms`)
    } finally {
      session.destroy()
    }
  })

  it('an authenticated request whose body does not arrive in time → 504 Timeout after --request-timeout', async () => {
    const quick = await startServer({port: 0, reloadIntervalMs: 0, requestTimeoutMs: 300, tokenAuthFile: join(tmp.dir, 'tokens.csv')})
    try {
      const socket = tlsConnect({ca: quick.caCertificate, host: '127.0.0.1', port: quick.port, servername: 'localhost'})
      const closed = untilClosed(socket)
      socket.write(`POST ${SSAR} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer good-token\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"spec":`)
      const {text} = await closed
      assert.match(text, /^HTTP\/1\.1 504 Gateway Timeout\r\n/)
      assert.ok(text.includes('"message":"Timeout: request did not complete within requested timeout - context deadline exceeded","reason":"Timeout"'), text)
    } finally {
      await quick.close()
    }
  })

  it('a 200 KiB bad bearer token → 401 (headers up to 1 MiB are read); a 2 MiB header block → 431', async () => {
    const big = await tls()
    const bigClosed = untilClosed(big)
    big.end(`GET /version HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer ${'a'.repeat(200 * 1024)}\r\n\r\n`)
    assert.match((await bigClosed).text, /^HTTP\/1\.1 401 Unauthorized\r\n/)

    const huge = await tls()
    const hugeClosed = untilClosed(huge)
    huge.write(`GET /version HTTP/1.1\r\nHost: x\r\n${Array.from({length: 32}, (_, i) => `X-Filler-${i}: ${'b'.repeat(64 * 1024)}\r\n`).join('')}\r\n`)
    assert.match((await hugeClosed).text, /^HTTP\/1\.1 431 Request Header Fields Too Large\r\n/)
  })

  it('300 pre-handshake and 100 slow-header connections are closed at the header timeout; a legitimate client keeps its latency', async () => {
    const agent = new Agent({ca, keepAlive: true, maxSockets: 1})
    const once = () => new Promise<number>((resolve, reject) => {
      const start = process.hrtime.bigint()
      const req = request(`${server.url}${SSAR}`, {agent, headers: {Authorization: 'Bearer good-token', 'Content-Type': 'application/json'}, method: 'POST'}, (res) => {
        res.resume()
        res.on('end', () => (res.statusCode === 201 ? resolve(Number(process.hrtime.bigint() - start) / 1e6) : reject(new Error(`HTTP ${res.statusCode}`))))
      })
      req.on('error', reject)
      req.end(ssarBody)
    })
    const measure = async (count: number) => {
      const latencies: number[] = []
      for (let i = 0; i < count; i++) latencies.push(await once())
      return latencies
    }
    await measure(50)
    const unloaded = percentile(await measure(300), 0.99)

    const opened = Date.now()
    const silent = await Promise.all(Array.from({length: 300}, () => new Promise<Socket>((resolve, reject) => {
      const socket = tcpConnect(server.port, '127.0.0.1', () => resolve(socket))
      socket.once('error', reject)
    })))
    const silentClosed = silent.map(untilClosed)
    const slow = await Promise.all(Array.from({length: 100}, () => tls()))
    const slowClosed = slow.map(untilClosed)
    for (const [i, socket] of slow.entries()) socket.write(`GET /version HTTP/1.1\r\nHost: x\r\nX-Slow-${i}: `)
    const trickle = setInterval(() => {
      for (const socket of slow) if (socket.writable) socket.write('x')
    }, 200)
    const loaded: number[] = []
    try {
      // Served while the attackers are held, and again after they are gone.
      while (Date.now() - opened < HEADER_TIMEOUT_MS - 200) loaded.push(await once())
      const closes = await Promise.all([...silentClosed, ...slowClosed])
      const afterMs = closes.map((c) => c.at - opened)
      assert.ok(Math.min(...afterMs) >= HEADER_TIMEOUT_MS - 300, `first closed after ${Math.min(...afterMs)} ms: ${closes.find((c) => c.at - opened < HEADER_TIMEOUT_MS - 300)?.text}`)
      assert.ok(Math.max(...afterMs) <= HEADER_TIMEOUT_MS + 2000, `last closed after ${Math.max(...afterMs)} ms`)
      assert.ok(closes.slice(300).every((c) => !c.text.startsWith('HTTP/1.1 2')), 'no slow-header request was served')
      loaded.push(...(await measure(100)))
    } finally {
      clearInterval(trickle)
      agent.destroy()
    }
    const p99 = percentile(loaded, 0.99)
    assert.ok(p99 <= 2 * unloaded, `p99 ${p99.toFixed(2)} ms under attack vs ${unloaded.toFixed(2)} ms unloaded (${loaded.length} requests)`)
  })

  describe('max-in-flight', () => {
    const probe = () => call(server.url, ca, {body: ssarBody, path: SSAR, token: 'good-token'})
    /** An authenticated SSAR that holds the only mutating slot until `release` is called (its body arrives then). */
    const holdSlot = async () => {
      const socket = await tls()
      const closed = untilClosed(socket)
      socket.write(`POST ${SSAR} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer holder-token\r\nContent-Type: application/json\r\nContent-Length: ${ssarBody.length}\r\n\r\n`)
      // The slot is taken once the server has judged the headers: ask until a probe is refused (bounded).
      let refused
      for (let i = 0; i < 200 && (refused = await probe()).code !== 429; i++);
      return {refused: refused!, release: async () => {
        socket.write(ssarBody)
        return (await closed).text
      }}
    }
    const waitFor = async (what: () => boolean) => {
      for (let i = 0; i < 10_000 && !what(); i++) await new Promise((resolve) => setTimeout(resolve, 10))
    }

    it('beyond --max-mutating-requests-inflight → 429 with Retry-After: 1; system:masters is still answered', async () => {
      const holder = await holdSlot()
      const {refused} = holder
      assert.equal(refused.code, 429)
      assert.equal(refused.headers['retry-after'], '1')
      assert.equal(refused.text, 'Too many requests, please try again later.\n')
      const admin = await call(server.url, ca, {body: ssarBody, cert: pki.read(pki.clients.admin.cert), key: pki.read(pki.clients.admin.key), path: SSAR})
      assert.equal(admin.code, 201)
      assert.match(await holder.release(), /^HTTP\/1\.1 201 Created\r\n/)
    })

    for (const version of KUBECTL_VERSIONS.filter((v) => v === '1.32' || v === '1.33')) {
      it(`kubectl ${version} retries after a 429 and gets its answer`, async () => {
        const kubeconfig = join(tmp.dir, 'kc-inflight')
        writeFileSync(kubeconfig, `apiVersion: v1\nkind: Config\nclusters: [{name: r, cluster: {server: "${server.url}", certificate-authority: ${pki.caCert}}}]\nusers: [{name: u, user: {token: good-token}}]\ncontexts: [{name: c, context: {cluster: r, user: u, namespace: team-a}}]\ncurrent-context: c\n`)
        // Discovery first (reads are not limited here), so the can-i below is one review.
        await runProgram(join(KUBECTL_DIR, `kubectl.${version}`), ['api-resources'], {env: {KUBECACHEDIR: join(tmp.dir, 'cache-inflight'), KUBECONFIG: kubeconfig}})
        const holder = await holdSlot()
        const seen = events.length
        const kubectl = runProgram(join(KUBECTL_DIR, `kubectl.${version}`), ['auth', 'can-i', 'list', 'pods', '-v=6'], {env: {KUBECACHEDIR: join(tmp.dir, 'cache-inflight'), KUBECONFIG: kubeconfig}})
        await waitFor(() => events.slice(seen).some((e) => e.responseStatus.code === 429 && String(e.userAgent).startsWith('kubectl')))
        await holder.release()
        const r = await kubectl
        assert.equal(r.stdout, 'yes\n', r.stderr)
        assert.equal(r.exitCode, 0)
        assert.match(r.stderr, /429 Too Many Requests/)
      })
    }
  })
})
