// authctl serve: SelfSubjectAccessReview throughput and p99 over mTLS keep-alive on 127.0.0.1 (1 and 50
// connections), against a bare node https server answering the same JSON with the client identity cached per TLS
// socket (the ceiling). Both servers run as their own processes; this process is the load generator.
import {execFileSync, spawn} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
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

const ceilingSource = `
import {createServer} from 'node:https'
const [cert, key, ca] = ${JSON.stringify([read('server.crt'), read('server.key'), read('ca.crt')])}
const identity = new WeakMap()
const server = createServer({cert, key, ca, requestCert: true, rejectUnauthorized: false, minVersion: 'TLSv1.2'}, (req, res) => {
  let user = identity.get(req.socket)
  if (!user) {
    const peer = req.socket.getPeerCertificate()
    user = {username: peer.subject.CN, groups: [].concat(peer.subject.O ?? [], 'system:authenticated')}
    identity.set(req.socket, user)
  }
  const chunks = []
  req.on('data', (c) => chunks.push(c))
  req.on('end', () => {
    const review = JSON.parse(Buffer.concat(chunks).toString())
    const body = JSON.stringify({kind: 'SelfSubjectAccessReview', apiVersion: 'authorization.k8s.io/v1', metadata: {creationTimestamp: null}, spec: review.spec,
      status: {allowed: true, reason: 'RBAC: allowed by RoleBinding "dev-view/team-a" of ClusterRole "view" to Group "dev"'}})
    res.writeHead(201, {'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body)})
    res.end(body)
  })
})
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
      if (out.includes('\n')) resolve({child, url: JSON.parse(out.split('\n')[0]).url})
    })
    child.on('exit', (code) => reject(new Error(`server exited ${code}`)))
  })
}

// Either the same review every time, or a different namespace each time (1,000 of them) so that no remembered
// decision applies and every request is evaluated.
let counter = 0
const bodyFor = (varied) => JSON.stringify({apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview',
  spec: {resourceAttributes: {namespace: varied ? `team-${counter++ % 1000}` : 'team-a', resource: 'pods', verb: 'list'}}})

async function load(url, connections, ms, warmupMs, varied) {
  const agent = new Agent({ca: read('ca.crt'), cert: read('jane.crt'), key: read('jane.key'), keepAlive: true, maxSockets: connections})
  const once = () => new Promise((resolve, reject) => {
    const start = process.hrtime.bigint()
    const req = request(`${url}/apis/authorization.k8s.io/v1/selfsubjectaccessreviews`, {agent, headers: {'Content-Type': 'application/json'}, method: 'POST'}, (res) => {
      res.resume()
      res.on('end', () => (res.statusCode === 201 ? resolve(Number(process.hrtime.bigint() - start) / 1e6) : reject(new Error(`HTTP ${res.statusCode}`))))
    })
    req.on('error', reject)
    req.end(bodyFor(varied))
  })
  const run = async (duration) => {
    const latencies = []
    const end = Date.now() + duration
    await Promise.all(Array.from({length: connections}, async () => {
      while (Date.now() < end) latencies.push(await once())
    }))
    return latencies
  }
  await run(warmupMs)
  const latencies = await run(ms)
  agent.destroy()
  latencies.sort((a, b) => a - b)
  return {p99: latencies[Math.floor(latencies.length * 0.99)], rps: latencies.length / (ms / 1000)}
}

const ours = await startProcess([join(root, 'bin/run.cjs'), 'serve', '--secure-port', '0', '--json', '--client-ca-file', join(dir, 'ca.crt'),
  '--tls-cert-file', join(dir, 'server.crt'), '--tls-private-key-file', join(dir, 'server.key'), '--policy', join(dir, 'policy.yaml')])
const ceiling = await startProcess([join(dir, 'ceiling.mjs')])
const rows = []
try {
  const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]
  for (const [connections, varied] of [[1, false], [50, false], [50, true]]) {
    // Alternate the two servers over several rounds and take medians, so drift on a shared machine hits both.
    const runs = {a: [], b: []}
    for (let round = 0; round < 5; round++) {
      runs.a.push(await load(ceiling.url, connections, 2000, round === 0 ? 1500 : 300, varied))
      runs.b.push(await load(ours.url, connections, 2000, round === 0 ? 1500 : 300, varied))
    }
    const pick = (list) => ({p99: median(list.map((r) => r.p99)), rps: median(list.map((r) => r.rps))})
    rows.push({a: pick(runs.a), b: pick(runs.b), connections, varied})
  }
} finally {
  ours.child.kill('SIGTERM')
  ceiling.child.kill('SIGTERM')
  rmSync(dir, {force: true, recursive: true})
}

console.log('## serve: SelfSubjectAccessReview over mTLS keep-alive (goal ≥ 70% of the ceiling)\n')
console.log('| connections | reviews | bare https ceiling req/s | authctl serve req/s | ratio | ceiling p99 | serve p99 |')
console.log('|---|---|---|---|---|---|---|')
for (const {a, b, connections, varied} of rows) {
  console.log(`| ${connections} | ${varied ? 'varied' : 'same'} | ${a.rps.toFixed(0)} | ${b.rps.toFixed(0)} | ${((b.rps / a.rps) * 100).toFixed(0)}% | ${a.p99.toFixed(2)} ms | ${b.p99.toFixed(2)} ms |`)
}
console.log()
