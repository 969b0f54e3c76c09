// authctl serve: SelfSubjectAccessReview throughput and p99 over mTLS keep-alive on 127.0.0.1, HTTP/1.1 and HTTP/2,
// at 1 and 50 connections, against a bare node server of the same protocol answering the same JSON with the client
// identity cached per connection (the ceiling), with each server's CPU time per request. Then the cost of a new TLS connection per request with and without
// session resumption (what disabling resumption for client-certificate sessions would cost). Servers run as their own
// processes; this process is the load generator.
import {execFileSync, spawn} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {connect as h2connect} from 'node:http2'
import {Agent, request} from 'node:https'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

const root = new URL('..', import.meta.url).pathname
const dir = mkdtempSync(join(tmpdir(), 'authctl-bench-serve-'))
const ossl = (args) => execFileSync('openssl', args, {cwd: dir, stdio: 'ignore'})
const key = (n) => ossl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', `${n}.key`])
key('ca')
ossl(['req', '-x509', '-new', '-key', 'ca.key', '-subj', '/CN=bench-ca', '-days', '1', '-out', 'ca.crt', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign'])
for (const [n, subj, ext] of [['server', '/CN=server', 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n'], ['jane', '/O=dev/CN=jane', 'extendedKeyUsage=clientAuth\n']]) {
  key(n)
  ossl(['req', '-new', '-key', `${n}.key`, '-subj', subj, '-out', `${n}.csr`])
  writeFileSync(join(dir, `${n}.ext`), ext)
  ossl(['x509', '-req', '-in', `${n}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '1', '-extfile', `${n}.ext`, '-out', `${n}.crt`])
}
const read = (n) => readFileSync(join(dir, n), 'utf8')

// The ceiling is served like authctl serve: one TLS port offering h2 and http/1.1 over ALPN (http2's allowHTTP1) with
// the same HTTP/2 settings, and it answers with the same bytes, an Audit-Id header included.
const ceilingSource = `
import {randomUUID} from 'node:crypto'
import {createSecureServer} from 'node:http2'
const [cert, key, ca] = ${JSON.stringify([read('server.crt'), read('server.key'), read('ca.crt')])}
const identity = new WeakMap()
const handler = (req, res) => {
  const connection = req.httpVersionMajor === 2 ? req.stream.session : req.socket
  let user = identity.get(connection)
  if (!user) {
    const peer = (req.httpVersionMajor === 2 ? req.stream.session.socket : req.socket).getPeerCertificate()
    user = {username: peer.subject.CN, groups: [].concat(peer.subject.O ?? [], 'system:authenticated')}
    identity.set(connection, user)
  }
  const chunks = []
  req.on('data', (c) => chunks.push(c))
  req.on('end', () => {
    const review = JSON.parse(Buffer.concat(chunks).toString())
    const body = JSON.stringify({kind: 'SelfSubjectAccessReview', apiVersion: 'authorization.k8s.io/v1', metadata: {creationTimestamp: null}, spec: review.spec,
      status: {allowed: true, reason: 'RBAC: allowed by RoleBinding "dev-view/team-a" of ClusterRole "view" to Group "dev"'}})
    res.writeHead(201, {'Audit-Id': randomUUID(), 'Content-Length': Buffer.byteLength(body), 'Content-Type': 'application/json'})
    res.end(body)
  })
}
const server = createSecureServer({allowHTTP1: true, cert, key, ca, requestCert: true, rejectUnauthorized: false, minVersion: 'TLSv1.2', settings: {maxHeaderListSize: 1 << 20}}, handler)
server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({url: 'https://127.0.0.1:' + server.address().port})))
`
writeFileSync(join(dir, 'ceiling.mjs'), ceilingSource)
writeFileSync(join(dir, 'policy.yaml'), 'kind: RoleBinding\nmetadata: {name: dev-view, namespace: team-a}\nsubjects: [{kind: Group, name: dev}]\nroleRef: {kind: ClusterRole, name: view}\n')

function startProcess(args) {
  const child = spawn(process.execPath, args, {stdio: ['ignore', 'pipe', 'ignore']})
  return new Promise((resolve, reject) => {
    let out = ''
    child.stdout.on('data', (d) => {
      out += d
      if (out.includes('\n')) {
        const doc = JSON.parse(out.split('\n')[0])
        resolve({child, url: doc.url})
      }
    })
    child.on('exit', (code) => reject(new Error(`server exited ${code}`)))
  })
}

// Either the same review every time, or a different namespace each time (1,000 of them) so that no remembered
// decision applies and every request is evaluated.
let counter = 0
const bodyFor = (varied) => JSON.stringify({apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview',
  spec: {resourceAttributes: {namespace: varied ? `team-${counter++ % 1000}` : 'team-a', resource: 'pods', verb: 'list'}}})

const tlsClient = {ca: read('ca.crt'), cert: read('jane.crt'), key: read('jane.key')}
const SSAR = '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews'

/** One request function per connection: HTTP/1.1 keep-alive sockets or HTTP/2 sessions. */
function clients(protocol, url, connections) {
  if (protocol === 'h1') {
    const agent = new Agent({...tlsClient, keepAlive: true, maxSockets: connections})
    const once = (body) => new Promise((resolve, reject) => {
      const req = request(`${url}${SSAR}`, {agent, headers: {'Content-Type': 'application/json'}, method: 'POST'}, (res) => {
        res.resume()
        res.on('end', () => (res.statusCode === 201 ? resolve() : reject(new Error(`HTTP ${res.statusCode}`))))
      })
      req.on('error', reject)
      req.end(body)
    })
    return {close: () => agent.destroy(), send: Array.from({length: connections}, () => once)}
  }
  const sessions = Array.from({length: connections}, () => h2connect(url, tlsClient))
  const send = sessions.map((session) => (body) => new Promise((resolve, reject) => {
    const stream = session.request({':method': 'POST', ':path': SSAR, 'content-type': 'application/json'})
    let code = 0
    stream.on('response', (h) => (code = h[':status']))
    stream.resume()
    stream.on('end', () => (code === 201 ? resolve() : reject(new Error(`HTTP ${code}`))))
    stream.on('error', reject)
    stream.end(body)
  }))
  return {close: () => sessions.forEach((s) => s.close()), send}
}

/** CPU time (user + system) a process has used, in ms (Linux; 0 elsewhere). */
function cpuMs(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
    return (Number(fields[11]) + Number(fields[12])) * 10
  } catch {
    return 0
  }
}

async function load(protocol, url, connections, ms, warmupMs, varied, pid) {
  const {close, send} = clients(protocol, url, connections)
  const run = async (duration) => {
    const latencies = []
    const end = Date.now() + duration
    await Promise.all(send.map(async (once) => {
      while (Date.now() < end) {
        const start = process.hrtime.bigint()
        await once(bodyFor(varied))
        latencies.push(Number(process.hrtime.bigint() - start) / 1e6)
      }
    }))
    return latencies
  }
  await run(warmupMs)
  const cpuBefore = cpuMs(pid)
  const latencies = await run(ms)
  const cpu = cpuMs(pid) - cpuBefore
  close()
  latencies.sort((a, b) => a - b)
  return {cpuUs: (cpu * 1000) / latencies.length, p99: latencies[Math.floor(latencies.length * 0.99)], rps: latencies.length / (ms / 1000)}
}

/** New connections per second, one request each, sequentially, with TLS session resumption or without. */
async function newConnections(url, resume, count) {
  const agent = new Agent({...tlsClient, keepAlive: false, maxCachedSessions: resume ? 10 : 0})
  const start = process.hrtime.bigint()
  let resumed = 0
  for (let i = 0; i < count; i++) {
    await new Promise((resolve, reject) => {
      const req = request(`${url}${SSAR}`, {agent, headers: {'Content-Type': 'application/json'}, method: 'POST'}, (res) => {
        if (res.socket.isSessionReused()) resumed++
        res.resume()
        res.on('end', () => (res.statusCode === 201 ? resolve() : reject(new Error(`HTTP ${res.statusCode}`))))
      })
      req.on('error', reject)
      req.end(bodyFor(false))
    })
  }
  agent.destroy()
  return {msPerConnection: Number(process.hrtime.bigint() - start) / 1e6 / count, resumed}
}

// AUTHCTL_BENCH_BASE=<another build's bin/run.cjs> measures that build too, in the same interleaved rounds, to compare
// a change against its base; AUTHCTL_BENCH_CASES=h1-1,h2-50 picks cases; AUTHCTL_BENCH_ROUNDS sets the rounds (3);
// AUTHCTL_BENCH_NODE_OPTIONS is passed to the serve processes (e.g. --cpu-prof).
const serveArgs = (bin) => [...(process.env.AUTHCTL_BENCH_NODE_OPTIONS?.split(' ') ?? []), bin, 'serve', '--secure-port', '0', '--json',
  '--client-ca-file', join(dir, 'ca.crt'), '--tls-cert-file', join(dir, 'server.crt'), '--tls-private-key-file', join(dir, 'server.key'), '--policy', join(dir, 'policy.yaml')]
const ours = await startProcess(serveArgs(join(root, 'bin/run.cjs')))
const base = process.env.AUTHCTL_BENCH_BASE ? await startProcess(serveArgs(process.env.AUTHCTL_BENCH_BASE)) : undefined
const ceiling = await startProcess([join(dir, 'ceiling.mjs')])
const ROUNDS = Number(process.env.AUTHCTL_BENCH_ROUNDS ?? 3)
const CASES = [['h1', 1, false], ['h1', 50, false], ['h1', 50, true], ['h2', 1, false], ['h2', 50, false], ['h2', 50, true]]
  .filter(([protocol, connections, varied]) => !process.env.AUTHCTL_BENCH_CASES || process.env.AUTHCTL_BENCH_CASES.split(',').includes(`${protocol}-${connections}${varied ? 'v' : ''}`))
const rows = []
const resumption = []
try {
  const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]
  for (const [protocol, connections, varied] of CASES) {
    // Alternate the servers over several rounds and take medians, so drift on a shared machine hits all of them.
    const runs = {a: [], b: [], c: []}
    for (let round = 0; round < ROUNDS; round++) {
      const warmup = round === 0 ? 1000 : 300
      runs.a.push(await load(protocol, ceiling.url, connections, 2000, warmup, varied, ceiling.child.pid))
      runs.b.push(await load(protocol, ours.url, connections, 2000, warmup, varied, ours.child.pid))
      if (base) runs.c.push(await load(protocol, base.url, connections, 2000, warmup, varied, base.child.pid))
    }
    const pick = (list) => ({cpuUs: median(list.map((r) => r.cpuUs)), p99: median(list.map((r) => r.p99)), rps: median(list.map((r) => r.rps))})
    // The ratio of each round (measured back to back), then their median.
    const ratios = (list) => median(list.map((r, i) => r.rps / runs.a[i].rps))
    rows.push({a: pick(runs.a), b: pick(runs.b), c: base && pick(runs.c), connections, protocol, rb: ratios(runs.b), rc: base && ratios(runs.c), varied})
  }
  for (const resume of process.env.AUTHCTL_BENCH_CASES ? [] : [true, false]) {
    await newConnections(ours.url, resume, 30)
    resumption.push({resume, ...(await newConnections(ours.url, resume, 300))})
  }
} finally {
  ours.child.kill('SIGTERM')
  base?.child.kill('SIGTERM')
  ceiling.child.kill('SIGTERM')
  rmSync(dir, {force: true, recursive: true})
}

console.log('## serve: SelfSubjectAccessReview over mTLS keep-alive (goal ≥ 80% of the same protocol\'s ceiling)\n')
const pct = (x) => `${(x * 100).toFixed(0)}%`
console.log(`| protocol | connections | reviews | bare node ceiling req/s | authctl serve req/s | ratio | ceiling p99 | serve p99 | CPU per request ceiling / serve |${base ? ' base req/s | base ratio | base p99 | base CPU per request |' : ''}`)
console.log(`|---|---|---|---|---|---|---|---|---|${base ? '---|---|---|---|' : ''}`)
for (const {a, b, c, connections, protocol, rb, rc, varied} of rows) {
  console.log(`| ${protocol === 'h2' ? 'HTTP/2' : 'HTTP/1.1'} | ${connections} | ${varied ? 'varied' : 'same'} | ${a.rps.toFixed(0)} | ${b.rps.toFixed(0)} | ${pct(rb)} | ${a.p99.toFixed(2)} ms | ${b.p99.toFixed(2)} ms | ${a.cpuUs.toFixed(0)} / ${b.cpuUs.toFixed(0)} µs |${
    c ? ` ${c.rps.toFixed(0)} | ${pct(rc)} | ${c.p99.toFixed(2)} ms | ${c.cpuUs.toFixed(0)} µs |` : ''}`)
}
console.log(`\n(${ROUNDS} interleaved rounds of 2 s; ratio = median of the per-round ratios to the ceiling measured just before)`)
console.log('\n## serve: a new TLS connection per request (chained client certificate checked on every connection)\n')
console.log('| TLS sessions | ms per connection + request | connections resumed |')
console.log('|---|---|---|')
for (const r of resumption) console.log(`| ${r.resume ? 'resumed (chain kept per leaf)' : 'full handshake every time'} | ${r.msPerConnection.toFixed(2)} ms | ${r.resumed} of 300 |`)
console.log()
