// The chain attack table: chains built with openssl, each judged by `authctl serve --client-ca-file` (real mTLS on
// 127.0.0.1, the chain presented by the client), by `authctl pki verify`, by Go's crypto/x509 (kube-apiserver's
// verifier) and by `openssl verify -x509_strict -purpose sslclient`. All must agree on every row, accept or reject,
// and authctl must give Go's error text.
import assert from 'node:assert/strict'
import {type ChildProcess, spawn} from 'node:child_process'
import {request} from 'node:https'

import {cliPath, makeTempDir, runCli, runProgram} from '../../helpers/cli.js'
import {goVerify} from '../../helpers/go-x509.js'
import {CA_EXT, CLIENT_EXT, OpensslLab} from './openssl-lab.js'

interface Row {
  name: string
  /** Certificate names, the leaf first, as the client presents them. */
  chain: string[]
  /** The user serve must see, for rows that must be accepted. */
  user?: string
  /** What every judge must say of a rejected row (authctl and Go word for word). */
  reason?: RegExp
  /** Checked by `pki verify --host`, Go's DNSName and openssl -verify_hostname / -verify_ip. */
  host?: string
  /**
   * openssl 3.0 has no rule for this row (it accepts negative serial numbers, which Go ≥ 1.23 and so kube-apiserver
   * 1.32 refuse when parsing): its verdict is recorded, not required to agree.
   */
  opensslGap?: boolean
  /**
   * What serve logs instead of Go's error. Node hands serve the presented chain as getPeerCertificate(true) links it,
   * with OpenSSL's issuer check, so a presented issuer OpenSSL would never link (here: no keyCertSign) does not reach
   * the verifier: the verdict is the same, only Go's hint naming that certificate is missing from the log.
   */
  serveLogs?: RegExp
}

const BOUND = 110
const past: [string, string] = ['20200101000000Z', '20200102000000Z']
const future: [string, string] = ['20990101000000Z', '20990102000000Z']

const rows: Row[] = [
  // Accepted: the table must be able to fail both ways.
  {chain: ['ok-direct'], name: 'leaf signed by the root', user: 'alice'},
  {chain: ['ok-i1', 'int'], name: 'leaf + one intermediate', user: 'bob'},
  {chain: ['ok-i2', 'pl1-b', 'pl1-a'], name: 'pathlen 1 with one sub-CA below it', user: 'carol'},
  {chain: ['ok-pl0', 'pl0'], name: 'pathlen 0 issuing the leaf directly', user: 'dave'},
  {chain: ['ok-i1', 'untrusted', 'int'], name: 'an unrelated extra certificate in the presented chain', user: 'bob'},
  {chain: ['ok-nc', 'nc-permit-dns'], host: 'api.good.example', name: 'name constraints satisfied (permitted DNS) with --host', user: 'erin'},
  {chain: ['ok-eku', 'int-eku-client'], name: 'intermediate whose EKU includes clientAuth', user: 'frank'},
  {chain: ['ok-rsa', 'int-rsa'], name: 'RSA intermediate, SHA-256 signatures', user: 'grace'},
  // Rejected.
  {chain: ['masters', 'pl0-sub', 'pl0'], name: 'pathlen 0 with a sub-CA (system:masters through a sub-CA)', reason: /^x509: too many intermediates for path length constraint$/},
  {chain: ['pl1-leaf', 'pl1-c', 'pl1-b', 'pl1-a'], name: 'pathlen 1 with two sub-CAs', reason: /^x509: too many intermediates for path length constraint$/},
  {chain: ['root-pl0-leaf', 'int-under-pl0-root'], name: 'root with pathlen 0 above an intermediate', reason: /^x509: too many intermediates for path length constraint$/},
  {chain: ['by-leaf', 'leaf-ca'], name: 'a leaf (CA:FALSE) as issuer', reason: /unknown authority \(possibly because of "x509: invalid signature: parent certificate cannot sign this kind of certificate"/},
  {chain: ['by-nobc', 'nobc'], name: 'an issuer without basicConstraints', reason: /unknown authority \(possibly because of "x509: invalid signature: parent certificate cannot sign this kind of certificate"/},
  {chain: ['by-nocertsign', 'nocertsign'], name: 'an issuer without keyCertSign', reason: /unknown authority \(possibly because of "x509: invalid signature: parent certificate cannot sign this kind of certificate"/,
    serveLogs: /failed: x509: certificate signed by unknown authority$/},
  {chain: ['crit-leaf', 'int'], name: 'unknown critical extension on the leaf', reason: /^x509: unhandled critical extension$/},
  {chain: ['by-crit-int', 'crit-int'], name: 'unknown critical extension on the intermediate', reason: /^x509: unhandled critical extension$/},
  {chain: ['by-crit-root-int', 'int-under-crit-root'], name: 'unknown critical extension on a root', reason: /^x509: unhandled critical extension$/},
  {chain: ['sha1-rsa', 'int-rsa'], name: 'SHA-1 RSA signature', reason: /insecure algorithm SHA1-RSA \(temporarily override with GODEBUG=x509sha1=1\)/},
  {chain: ['sha1-ecdsa', 'int'], name: 'SHA-1 ECDSA signature', reason: /insecure algorithm ECDSA-SHA1 \(temporarily override with GODEBUG=x509sha1=1\)/},
  {chain: ['md5-rsa', 'int-rsa'], name: 'MD5 RSA signature', reason: /insecure algorithm MD5-RSA" while/},
  {chain: ['neg-trusted', 'int'], name: 'negative serial from a trusted CA', opensslGap: true, reason: /x509: negative serial number/},
  {chain: ['neg-untrusted', 'untrusted'], name: 'negative serial from an untrusted CA', opensslGap: true, reason: /x509: negative serial number/},
  {chain: ['by-expired-int', 'expired-int'], name: 'expired intermediate', reason: /^x509: certificate has expired or is not yet valid: current time \S+ is after 2020-01-02T00:00:00Z$/},
  {chain: ['by-future-int', 'future-int'], name: 'not-yet-valid intermediate', reason: /^x509: certificate has expired or is not yet valid: current time \S+ is before 2099-01-01T00:00:00Z$/},
  {chain: ['expired-leaf', 'int'], name: 'expired leaf', reason: /^x509: certificate has expired or is not yet valid: current time \S+ is after 2020-01-02T00:00:00Z$/},
  {chain: ['by-int-server', 'int-eku-server'], name: 'intermediate whose EKU excludes clientAuth', reason: /^x509: certificate specifies an incompatible key usage$/},
  {chain: ['server-eku', 'int'], name: 'leaf whose EKU excludes clientAuth', reason: /^x509: certificate specifies an incompatible key usage$/},
  {chain: ['nc-excluded-leaf', 'nc-exclude-dns'], host: 'evil.example', name: 'excluded DNS name (--host)', reason: /not authorized to sign for this name: DNS name "evil\.example" is excluded by constraint "evil\.example"$/},
  {chain: ['nc-outside-dns-leaf', 'nc-permit-dns'], host: 'api.evil.example', name: 'DNS name outside the permitted subtree (--host)', reason: /DNS name "api\.evil\.example" is not permitted by any constraint$/},
  {chain: ['nc-ip-leaf', 'nc-permit-ip'], host: '192.168.1.1', name: 'IP address outside the permitted range (--host)', reason: /IP address "192\.168\.1\.1" is not permitted by any constraint$/},
  {chain: ['nc-email-leaf', 'nc-exclude-email'], name: 'excluded email domain', reason: /email address "mallory@evil\.example" is excluded by constraint "evil\.example"$/},
  {chain: ['nc-uri-leaf', 'nc-permit-uri'], name: 'URI host outside the permitted subtree', reason: /URI "spiffe:\/\/evil\.example\/ns\/x" is not permitted by any constraint$/},
  {chain: ['self-signed'], name: 'a self-signed leaf not in the bundle', reason: /^x509: certificate signed by unknown authority$/},
  {chain: ['foreign'], name: 'a leaf from an untrusted CA', reason: /^x509: certificate signed by unknown authority$/},
  {chain: ['impostor-leaf', 'impostor-int'], name: 'an intermediate with the real name but another key', reason: /^x509: certificate signed by unknown authority \(possibly because of "x509: ECDSA verification failure"/},
  {chain: ['loop-leaf', 'loop-a', 'loop-b'], name: 'a chain loop (two CAs cross-signing each other)', reason: /^x509: certificate signed by unknown authority/},
  {chain: ['deep-leaf', ...Array.from({length: BOUND}, (_, i) => `deep-${BOUND - 1 - i}`)], name: `${BOUND} intermediates (more than the bound)`, reason: /^x509: signature check attempts limit reached while verifying certificate chain$/},
]

async function build(lab: OpensslLab): Promise<void> {
  const ca = (name: string, issuer?: string, ext: string[] = [], more: Partial<Parameters<OpensslLab['cert']>[1]> = {}) =>
    lab.cert(name, {ext: [...CA_EXT, ...ext], issuer, subject: `/CN=${name}`, ...more})
  const client = (name: string, issuer: string, subject: string, more: Partial<Parameters<OpensslLab['cert']>[1]> = {}) =>
    lab.cert(name, {ext: CLIENT_EXT, issuer, subject, ...more})
  await ca('root')
  await lab.cert('server', {ext: ['subjectAltName=IP:127.0.0.1', 'extendedKeyUsage=serverAuth'], issuer: 'root', subject: '/CN=serve'})
  await ca('untrusted')
  await ca('int', 'root')
  await client('ok-direct', 'root', '/CN=alice')
  await client('ok-i1', 'int', '/CN=bob/O=dev')
  await lab.cert('pl1-a', {ext: ['basicConstraints=critical,CA:TRUE,pathlen:1', 'keyUsage=critical,keyCertSign'], issuer: 'root', subject: '/CN=pl1-a'})
  await ca('pl1-b', 'pl1-a')
  await ca('pl1-c', 'pl1-b')
  await client('ok-i2', 'pl1-b', '/CN=carol')
  await client('pl1-leaf', 'pl1-c', '/CN=admin/O=system:masters')
  await lab.cert('pl0', {ext: ['basicConstraints=critical,CA:TRUE,pathlen:0', 'keyUsage=critical,keyCertSign'], issuer: 'root', subject: '/CN=pl0'})
  await client('ok-pl0', 'pl0', '/CN=dave')
  await ca('pl0-sub', 'pl0')
  await client('masters', 'pl0-sub', '/CN=admin/O=system:masters')
  await lab.cert('root-pl0', {ext: ['basicConstraints=critical,CA:TRUE,pathlen:0', 'keyUsage=critical,keyCertSign'], subject: '/CN=root-pl0'})
  await ca('int-under-pl0-root', 'root-pl0')
  await client('root-pl0-leaf', 'int-under-pl0-root', '/CN=admin')
  await lab.cert('leaf-ca', {ext: ['basicConstraints=critical,CA:FALSE', 'keyUsage=critical,digitalSignature,keyCertSign'], issuer: 'root', subject: '/CN=leaf-ca'})
  await client('by-leaf', 'leaf-ca', '/CN=admin/O=system:masters')
  await lab.cert('nobc', {ext: ['keyUsage=critical,keyCertSign'], issuer: 'root', subject: '/CN=nobc'})
  await client('by-nobc', 'nobc', '/CN=admin')
  await lab.cert('nocertsign', {ext: ['basicConstraints=critical,CA:TRUE', 'keyUsage=critical,digitalSignature'], issuer: 'root', subject: '/CN=nocertsign'})
  await client('by-nocertsign', 'nocertsign', '/CN=admin')
  await lab.cert('crit-leaf', {ext: [...CLIENT_EXT, '1.2.3.4.5=critical,ASN1:NULL'], issuer: 'int', subject: '/CN=admin'})
  await ca('crit-int', 'root', ['1.2.3.4.5=critical,ASN1:NULL'])
  await client('by-crit-int', 'crit-int', '/CN=admin')
  await ca('crit-root', undefined, ['1.2.3.4.5=critical,ASN1:NULL'])
  await ca('int-under-crit-root', 'crit-root')
  await client('by-crit-root-int', 'int-under-crit-root', '/CN=admin')
  await lab.key('rsa', 'rsa')
  await ca('int-rsa', 'root', [], {key: 'rsa'})
  await client('ok-rsa', 'int-rsa', '/CN=grace')
  await client('sha1-rsa', 'int-rsa', '/CN=admin', {digest: 'sha1'})
  await client('md5-rsa', 'int-rsa', '/CN=admin', {digest: 'md5'})
  await client('sha1-ecdsa', 'int', '/CN=admin', {digest: 'sha1'})
  await client('neg-trusted', 'int', '/CN=admin', {serial: '-5'})
  await client('neg-untrusted', 'untrusted', '/CN=admin', {serial: '-7'})
  await ca('expired-int', 'root', [], {dates: past, issuer: 'root'})
  await client('by-expired-int', 'expired-int', '/CN=admin')
  await ca('future-int', 'root', [], {dates: future, issuer: 'root'})
  await client('by-future-int', 'future-int', '/CN=admin')
  await client('expired-leaf', 'int', '/CN=admin', {dates: past})
  await ca('int-eku-server', 'root', ['extendedKeyUsage=serverAuth'])
  await client('by-int-server', 'int-eku-server', '/CN=admin')
  await ca('int-eku-client', 'root', ['extendedKeyUsage=clientAuth,serverAuth'])
  await client('ok-eku', 'int-eku-client', '/CN=frank')
  await lab.cert('server-eku', {ext: ['keyUsage=critical,digitalSignature', 'extendedKeyUsage=serverAuth'], issuer: 'int', subject: '/CN=admin'})
  await ca('nc-permit-dns', 'root', ['nameConstraints=critical,permitted;DNS:good.example'])
  await lab.cert('ok-nc', {ext: [...CLIENT_EXT, 'subjectAltName=DNS:api.good.example'], issuer: 'nc-permit-dns', subject: '/CN=erin'})
  await lab.cert('nc-outside-dns-leaf', {ext: [...CLIENT_EXT, 'subjectAltName=DNS:api.evil.example'], issuer: 'nc-permit-dns', subject: '/CN=admin'})
  await ca('nc-exclude-dns', 'root', ['nameConstraints=critical,excluded;DNS:evil.example'])
  await lab.cert('nc-excluded-leaf', {ext: [...CLIENT_EXT, 'subjectAltName=DNS:evil.example'], issuer: 'nc-exclude-dns', subject: '/CN=admin'})
  await ca('nc-permit-ip', 'root', ['nameConstraints=critical,permitted;IP:10.0.0.0/255.0.0.0'])
  await lab.cert('nc-ip-leaf', {ext: [...CLIENT_EXT, 'subjectAltName=IP:192.168.1.1'], issuer: 'nc-permit-ip', subject: '/CN=admin'})
  await ca('nc-exclude-email', 'root', ['nameConstraints=critical,excluded;email:evil.example'])
  await lab.cert('nc-email-leaf', {ext: [...CLIENT_EXT, 'subjectAltName=email:mallory@evil.example'], issuer: 'nc-exclude-email', subject: '/CN=admin'})
  await ca('nc-permit-uri', 'root', ['nameConstraints=critical,permitted;URI:.good.example'])
  await lab.cert('nc-uri-leaf', {ext: [...CLIENT_EXT, 'subjectAltName=URI:spiffe://evil.example/ns/x'], issuer: 'nc-permit-uri', subject: '/CN=admin'})
  await lab.cert('self-signed', {ext: CLIENT_EXT, subject: '/CN=admin/O=system:masters'})
  await client('foreign', 'untrusted', '/CN=admin')
  // Names as real as `int` and `root`, other keys: the leaf's signature checks out, the intermediate's against root not.
  await lab.cert('fake-root', {ext: CA_EXT, subject: '/CN=root'})
  await lab.cert('impostor-int', {ext: CA_EXT, issuer: 'fake-root', subject: '/CN=int'})
  await client('impostor-leaf', 'impostor-int', '/CN=admin')
  // loop-a and loop-b certify each other (same names and keys as the CAs that issue them); neither reaches root.
  await lab.key('la')
  await lab.key('lb')
  await lab.cert('loop-a0', {ext: CA_EXT, key: 'la', subject: '/CN=loop-a'})
  await lab.cert('loop-b0', {ext: CA_EXT, key: 'lb', subject: '/CN=loop-b'})
  await lab.cert('loop-a', {ext: CA_EXT, issuer: 'loop-b0', key: 'la', subject: '/CN=loop-a'})
  await lab.cert('loop-b', {ext: CA_EXT, issuer: 'loop-a0', key: 'lb', subject: '/CN=loop-b'})
  await client('loop-leaf', 'loop-a0', '/CN=admin')
  // A long chain: every intermediate shares one key (names differ), so the bound is reached by path length alone.
  await lab.key('deep')
  for (let i = 0; i < BOUND; i++) await lab.cert(`deep-${i}`, {ext: CA_EXT, issuer: i === 0 ? 'root' : `deep-${i - 1}`, key: 'deep', subject: `/CN=deep-${i}`})
  await client('deep-leaf', `deep-${BOUND - 1}`, '/CN=admin')
}

interface Serve {
  url: string
  child: ChildProcess
  stderr: () => string
}

async function startServe(lab: OpensslLab, roots: string): Promise<Serve> {
  const child = spawn(process.execPath, [cliPath, 'serve', '--secure-port', '0', '--json', '--tls-cert-file', lab.path('server.crt'),
    '--tls-private-key-file', lab.path('server.key'), '--client-ca-file', roots], {stdio: ['ignore', 'pipe', 'pipe']})
  let stderr = ''
  child.stderr!.on('data', (d) => (stderr += d))
  const url = await new Promise<string>((resolve, reject) => {
    let out = ''
    child.stdout!.on('data', (d) => {
      out += d
      if (out.includes('\n')) resolve(JSON.parse(out.split('\n')[0]).url)
    })
    child.on('exit', () => reject(new Error(`serve exited early: ${stderr}`)))
  })
  return {child, stderr: () => stderr, url}
}

/** A SelfSubjectReview over mTLS presenting `chainPem`; @SECLEVEL=0 lets the client send SHA-1/MD5-signed certificates. */
function whoami(url: string, ca: string, chainPem: string, keyPem: string): Promise<{code: number; body: any}> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/apis/authentication.k8s.io/v1/selfsubjectreviews`, {
      agent: false, ca, cert: chainPem, ciphers: 'DEFAULT:@SECLEVEL=0', headers: {'Content-Type': 'application/json'}, key: keyPem, method: 'POST',
    }, (res) => {
      let text = ''
      res.on('data', (d) => (text += d))
      res.on('end', () => resolve({body: text ? JSON.parse(text) : undefined, code: res.statusCode ?? 0}))
    })
    req.on('error', reject)
    req.end('{}')
  })
}

/** Waits (bounded) for serve to log the authentication failure that follows a 401. */
async function loggedFailure(serve: Serve, from: number): Promise<string> {
  const deadline = Date.now() + 5000
  for (;;) {
    const line = serve.stderr().slice(from).split('\n').find((l) => l.includes('authentication failed'))
    if (line) return line
    if (Date.now() > deadline) throw new Error(`serve logged no authentication failure: ${serve.stderr().slice(from)}`)
    await new Promise((resolve) => serve.child.stderr!.once('data', resolve))
  }
}

describe('chain attack table: serve, pki verify, Go crypto/x509 and openssl agree', function () {
  this.timeout(180_000)
  let tmp: Awaited<ReturnType<typeof makeTempDir>>
  let lab: OpensslLab
  let serve: Serve
  let roots: string

  before(async () => {
    tmp = await makeTempDir('authctl-chains-')
    lab = new OpensslLab(tmp.dir)
    await build(lab)
    roots = lab.bundle('roots.pem', ['root', 'root-pl0', 'crit-root'])
    serve = await startServe(lab, roots)
  })
  after(async () => {
    serve?.child.kill('SIGTERM')
    await tmp?.cleanup()
  })

  it(`has at least 25 attacks and accepting rows`, () => {
    assert.ok(rows.filter((r) => r.reason).length >= 25)
    assert.ok(rows.filter((r) => r.user).length >= 5)
  })

  for (const row of rows) {
    const accept = Boolean(row.user)
    it(`${accept ? 'accepts' : 'rejects'}: ${row.name}`, async () => {
      const chainFile = lab.bundle(`${row.chain[0]}-chain.pem`, row.chain)
      const go = await goVerify(roots, chainFile, {host: row.host, usage: 'client'})
      const hostArgs = row.host ? (/^[\d.]+$/.test(row.host) ? ['-verify_ip', row.host] : ['-verify_hostname', row.host]) : []
      const untrusted = row.chain.length > 1 ? ['-untrusted', lab.bundle(`${row.chain[0]}-untrusted.pem`, row.chain.slice(1))] : []
      const openssl = await runProgram('openssl', ['verify', '-x509_strict', '-auth_level', '2', '-purpose', 'sslclient', ...hostArgs, '-CAfile', roots, ...untrusted, lab.path(`${row.chain[0]}.crt`)])
      const verify = await runCli(['pki', 'verify', chainFile, '--ca', roots, '--usage', 'client', '--json', ...(row.host ? ['--host', row.host] : [])])
      const from = serve.stderr().length
      const answer = await whoami(serve.url, lab.read('root.crt'), lab.read(`${row.chain[0]}-chain.pem`), lab.read(`${lab.keyOf(row.chain[0])}.key`))

      assert.equal(go.ok, accept, `Go: ${go.message}`)
      if (!row.opensslGap) assert.equal(openssl.exitCode === 0, accept, `openssl: ${openssl.stdout}${openssl.stderr}`)
      if (accept) {
        assert.equal(verify.exitCode, 0, verify.stdout + verify.stderr)
        assert.equal(answer.code, 201, JSON.stringify(answer.body))
        assert.equal(answer.body.status.userInfo.username, row.user)
        return
      }
      assert.match(go.message, row.reason!)
      // The judges ran a moment apart: compare Go's text with the clock reading taken out.
      const untimed = (text: string) => text.replace(/current time \S+/, 'current time T')
      const goError = untimed(go.message)
      // pki verify: exit 1, Go's error as the first reason (an EKU reason adds which certificate lacks it), or as the
      // one-line error when the chain does not parse.
      assert.equal(verify.exitCode, 1, verify.stdout + verify.stderr)
      const doc = JSON.parse(verify.stdout)
      if (doc.error) assert.equal(doc.error.message, `invalid certificate: ${goError}`)
      else {
        const first = untimed(doc.reasons[0])
        assert.ok(first === goError || first.startsWith(`${goError}: `), `${first}\nvs Go: ${goError}`)
      }
      // serve: 401, never 5xx, and the log line carries Go's error.
      assert.equal(answer.code, 401, JSON.stringify(answer.body))
      const logged = untimed(await loggedFailure(serve, from))
      if (row.serveLogs) assert.match(logged, row.serveLogs)
      else assert.ok(logged.endsWith(`failed: ${goError}`) || logged.endsWith(`: invalid client certificate: ${goError}`), `${logged}\nvs Go: ${goError}`)
    })
  }
})
