// Every key authctl writes or reads, in every documented format, through every consumer: serve's TLS key, serve's
// client CA chain, kubeconfig client-key / client-key-data (auth whoami, doctor, and real kubectl), talosconfig keys
// (talos whoami, doctor against an apid-like node), token sign → verify, and CA keys for pki issue. Each cell
// succeeds, or fails with the documented reason: an encrypted key where no passphrase can be given.
// Formats: default (what authctl writes), talos (Talos's labels), pkcs8 and pkcs1/sec1 (converted by openssl, which
// must read what authctl wrote), encrypted (PKCS#8, AES-256-CBC by openssl). Ed25519 has no PKCS#1/SEC1 form.
import assert from 'node:assert/strict'
import {execFile} from 'node:child_process'
import {createPrivateKey, X509Certificate} from 'node:crypto'
import {readFile, writeFile} from 'node:fs/promises'
import type {AddressInfo} from 'node:net'
import {connect} from 'node:tls'
import {join} from 'node:path'
import {promisify} from 'node:util'

import {startServer} from '../../../src/lib/server/index.js'
import {type ApidLike, startApidLikeServer} from '../../helpers/apid-server.js'
import {type CliResult, makeTempDir, runCli, runProgram} from '../../helpers/cli.js'
import {kubectlBinary} from '../kube/compare.js'

const run = promisify(execFile)
const openssl = (...args: string[]) => run('openssl', args)
const KUBECTL = kubectlBinary('1.32') ?? 'kubectl'

const ALGORITHMS = ['ed25519', 'ecdsa-p256', 'ecdsa-p384', 'rsa-2048'] as const
const FORMATS = ['default', 'talos', 'pkcs8', 'pkcs1/sec1', 'encrypted'] as const
type Algorithm = (typeof ALGORITHMS)[number]
type Format = (typeof FORMATS)[number]
const PASSPHRASE = 'correct horse'
const cells = ALGORITHMS.flatMap((a) => FORMATS.filter((f) => !(a === 'ed25519' && f === 'pkcs1/sec1')).map((f) => [a, f] as const))
const slug = (f: Format) => f.replace('/', '-')

/** Runs `jobs` with at most `limit` at a time (the machine is shared; serial would be slow). */
async function pool<T>(jobs: Array<() => Promise<T>>, limit = 4): Promise<T[]> {
  const results: T[] = []
  let next = 0
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++
      results[i] = await jobs[i]()
    }
  }
  await Promise.all(Array.from({length: limit}, worker))
  return results
}

/** The documented refusal for an encrypted key where the consumer has no passphrase flag. */
function assertEncryptedRefusal(r: CliResult | {stderr: string; exitCode: number}, what: RegExp): void {
  assert.equal(r.exitCode, 1, r.stderr)
  assert.match(r.stderr, what)
  assert.match(r.stderr, /is encrypted \(no passphrase can be given here; decrypt it first: openssl pkey -in /)
}

describe('key interop matrix: algorithm × key format × consumer', function () {
  this.timeout(600_000)
  let dir: string
  let cleanup: () => Promise<void>
  let serve: {url: string; close: () => Promise<void>}
  const nodes = new Map<Algorithm, ApidLike>()
  const path = (name: string) => join(dir, name)
  const cli = (...args: string[]) => runCli(args, {cwd: dir})
  const ok = (r: CliResult, what: string) => assert.equal(r.exitCode, 0, `${what}: ${r.stdout}${r.stderr}`)

  /** `<base>.<format>.key` for every format, from the key authctl wrote at `<base>.key`. */
  async function variants(base: string, algorithm: Algorithm): Promise<void> {
    const written = await readFile(path(`${base}.key`), 'utf8')
    await writeFile(path(`${base}.default.key`), written, {mode: 0o600})
    // Talos's Ed25519 label has a PKCS#8 body; under the standard label node and openssl read it.
    const source = path(`${base}.source.key`)
    await writeFile(source, written.replaceAll('ED25519 PRIVATE KEY', 'PRIVATE KEY'), {mode: 0o600})
    const key = createPrivateKey(await readFile(source))
    const der = key.export({format: 'der', type: 'pkcs8'})
    const talos = algorithm === 'ed25519'
      ? `-----BEGIN ED25519 PRIVATE KEY-----\n${der.toString('base64').replace(/.{1,64}/g, '$&\n')}-----END ED25519 PRIVATE KEY-----\n`
      : key.export({format: 'pem', type: algorithm === 'rsa-2048' ? 'pkcs1' : 'sec1'}).toString()
    await writeFile(path(`${base}.talos.key`), talos, {mode: 0o600})
    // openssl writes the other forms.
    await openssl('pkey', '-in', source, '-out', path(`${base}.pkcs8.key`))
    if (algorithm !== 'ed25519') await openssl('pkey', '-traditional', '-in', source, '-out', path(`${base}.pkcs1-sec1.key`))
    await openssl('pkcs8', '-topk8', '-v2', 'aes-256-cbc', '-passout', `pass:${PASSPHRASE}`, '-in', source, '-out', path(`${base}.encrypted.key`))
  }

  before(async () => {
    ;({cleanup, dir} = await makeTempDir('authctl-key-interop-'))
    await writeFile(path('pw'), `${PASSPHRASE}\n`)
    await pool(ALGORITHMS.map((a) => async () => {
      ok(await cli('pki', 'ca', '--name', `ca-${a}`, '--algorithm', a), 'ca')
      const issue = (...args: string[]) => cli('pki', 'issue', '--ca', `ca-${a}.crt`, ...args)
      ok(await issue('--profile', 'server', '--dns', 'localhost', '--ip', '127.0.0.1', '--name', `srv-${a}`), 'server')
      ok(await issue('--profile', 'kubernetes-user', '--user', `jane-${a}`, '--group', 'developers', '--name', `jane-${a}`), 'user')
      ok(await issue('--profile', 'talos-client', '--roles', 'os:reader', '--name', `talos-${a}`), 'talos')
      for (const base of [`ca-${a}`, `srv-${a}`, `jane-${a}`, `talos-${a}`]) await variants(base, a)
      const srv = await readFile(path(`srv-${a}.pkcs8.key`), 'utf8')
      nodes.set(a, await startApidLikeServer(await readFile(path(`ca-${a}.crt`), 'utf8'), await readFile(path(`srv-${a}.crt`), 'utf8'), srv))
    }))
    // One serve for every client cell: the client CA chain is every algorithm's CA; the serving key is the Ed25519
    // one in Talos's label, the case node's TLS decoder cannot read unless authctl re-encodes it.
    const bundle = (await Promise.all(ALGORITHMS.map((a) => readFile(path(`ca-${a}.crt`), 'utf8')))).join('')
    await writeFile(path('client-cas.crt'), bundle)
    await writeFile(path('policy.yaml'), 'kind: ClusterRoleBinding\napiVersion: rbac.authorization.k8s.io/v1\nmetadata: {name: devs}\nsubjects: [{kind: Group, name: developers}]\nroleRef: {kind: ClusterRole, name: view}\n')
    serve = await startServer({clientCAFile: path('client-cas.crt'), host: '127.0.0.1', policyPaths: [path('policy.yaml')], port: 0,
      tlsCertFile: path('srv-ed25519.crt'), tlsKeyFile: path('srv-ed25519.talos.key')})
  })
  after(async () => {
    await serve?.close()
    for (const node of nodes.values()) await new Promise((r) => node.server.close(r))
    await cleanup?.()
  })

  it('openssl and kubectl accept every certificate and key authctl wrote', async () => {
    await pool(ALGORITHMS.map((a) => async () => {
      for (const base of [`ca-${a}`, `srv-${a}`, `jane-${a}`, `talos-${a}`]) {
        await openssl('x509', '-in', path(`${base}.crt`), '-noout')
        // Talos's own label for Ed25519 is unknown to OpenSSL; authctl writes it only where Talos wants it.
        if (!(a === 'ed25519' && base.startsWith('talos-'))) await openssl('pkey', '-in', path(`${base}.key`), '-noout')
      }
      for (const leaf of [`srv-${a}`, `jane-${a}`, `talos-${a}`]) await openssl('verify', '-CAfile', path(`ca-${a}.crt`), path(`${leaf}.crt`))
      assert.match(await readFile(path(`ca-${a}.key`), 'utf8'), /^-----BEGIN PRIVATE KEY-----/, 'PKCS#8 by default')
      assert.match(await readFile(path(`talos-${a}.key`), 'utf8'), a === 'ed25519' ? /^-----BEGIN ED25519 PRIVATE KEY-----/ : /^-----BEGIN (EC|RSA) PRIVATE KEY-----/)
    }))
  })

  it('serve TLS key: every format serves (re-encoded for node\'s TLS), encrypted keys are refused naming the file', async () => {
    await pool(cells.map(([a, f]) => async () => {
      const keyFile = path(`srv-${a}.${slug(f)}.key`)
      const options = {host: '127.0.0.1', port: 0, tlsCertFile: path(`srv-${a}.crt`), tlsKeyFile: keyFile}
      if (f === 'encrypted') {
        await assert.rejects(startServer(options), (e: Error) => {
          assert.match(e.message, new RegExp(`serving key \\(--tls-private-key-file\\) "${keyFile}" is encrypted`))
          return true
        })
        return
      }
      const server = await startServer(options)
      try {
        const ca = await readFile(path(`ca-${a}.crt`), 'utf8')
        const presented = await new Promise<X509Certificate>((resolve, reject) => {
          const socket = connect({ca, host: '127.0.0.1', port: server.port, servername: 'localhost'}, () => {
            resolve(socket.getPeerX509Certificate()!)
            socket.end()
          })
          socket.on('error', reject)
        })
        assert.equal(presented.fingerprint256, new X509Certificate(await readFile(path(`srv-${a}.crt`))).fingerprint256, `${a} ${f}`)
      } finally {
        await server.close()
      }
    }))
  })

  it('kubeconfig client-key and client-key-data: auth whoami, doctor and kubectl, through serve\'s client CA chain', async () => {
    const server = serve.url
    const ca = await readFile(path('ca-ed25519.crt'))
    await pool(cells.map(([a, f]) => async () => {
      const key = path(`jane-${a}.${slug(f)}.key`)
      const user = (credentials: string) => `apiVersion: v1\nkind: Config\ncurrent-context: c\nclusters: [{name: s, cluster: {server: "${server}", certificate-authority-data: ${ca.toString('base64')}}}]\ncontexts: [{name: c, context: {cluster: s, user: u}}]\nusers: [{name: u, user: {${credentials}}}]\n`
      const fileConfig = path(`kc-${a}-${slug(f)}-file`)
      const dataConfig = path(`kc-${a}-${slug(f)}-data`)
      await writeFile(fileConfig, user(`client-certificate: ${path(`jane-${a}.crt`)}, client-key: ${key}`), {mode: 0o600})
      await writeFile(dataConfig, user(`client-certificate-data: ${(await readFile(path(`jane-${a}.crt`))).toString('base64')}, client-key-data: ${(await readFile(key)).toString('base64')}`), {mode: 0o600})
      const fromFile = await cli('auth', 'whoami', '--kubeconfig', fileConfig, '-o', 'json')
      const fromData = await cli('auth', 'whoami', '--kubeconfig', dataConfig, '-o', 'json')
      const doctor = await cli('doctor', '--kubeconfig', dataConfig, '--json')
      const kubectl = await runProgram(KUBECTL, ['auth', 'whoami', '--kubeconfig', fileConfig, '-o', 'jsonpath={.status.userInfo.username}'], {env: {KUBECACHEDIR: path('kube-cache')}})
      if (f === 'encrypted') {
        assertEncryptedRefusal(fromFile, new RegExp(`client-key "${key}"`))
        assertEncryptedRefusal(fromData, /client-key "client-key-data"/)
        assert.equal(doctor.exitCode, 1)
        assert.notEqual(kubectl.exitCode, 0, 'kubectl cannot read an encrypted key either')
        return
      }
      for (const r of [fromFile, fromData]) {
        ok(r, `${a} ${f}`)
        assert.equal(JSON.parse(r.stdout).status.userInfo.username, `jane-${a}`)
      }
      ok(doctor, `doctor ${a} ${f}`)
      assert.equal(JSON.parse(doctor.stdout).ok, true)
      ok(kubectl, `kubectl ${a} ${f}`)
      assert.equal(kubectl.stdout, `jane-${a}`)
    }), 3)
  })

  it('talosconfig key: talos whoami and doctor against an apid-like node', async () => {
    await pool(cells.map(([a, f]) => async () => {
      const b64 = async (name: string) => (await readFile(path(name))).toString('base64')
      const endpoint = `127.0.0.1:${(nodes.get(a)!.server.address() as AddressInfo).port}`
      const config = path(`tc-${a}-${slug(f)}`)
      await writeFile(config, `context: r\ncontexts:\n  r:\n    endpoints: ["${endpoint}"]\n    ca: ${await b64(`ca-${a}.crt`)}\n    crt: ${await b64(`talos-${a}.crt`)}\n    key: ${await b64(`talos-${a}.${slug(f)}.key`)}\n`, {mode: 0o600})
      const whoami = await cli('talos', 'whoami', '--talosconfig', config, '--timeout', '5s', '--json')
      const doctor = await cli('doctor', '--talosconfig', config, '--timeout', '5s', '--json')
      if (f === 'encrypted') {
        assertEncryptedRefusal(whoami, /talosconfig client key "key"/)
        assert.equal(doctor.exitCode, 1)
        assert.match(doctor.stdout, /is encrypted/)
        return
      }
      ok(whoami, `talos whoami ${a} ${f}`)
      assert.deepEqual(JSON.parse(whoami.stdout).roles, ['os:reader'])
      ok(doctor, `doctor --talosconfig ${a} ${f}`)
    }), 3)
  })

  it('token sign → token verify with the same key file', async () => {
    await pool(cells.map(([a, f]) => async () => {
      const key = path(`jane-${a}.${slug(f)}.key`)
      const sign = await cli('token', 'sign', '--key', key, '--issuer', 'https://issuer.example', '--sub', 'jane', '--audience', 'k')
      if (f === 'encrypted') {
        assertEncryptedRefusal(sign, new RegExp(`signing key "${key}"`))
        const verify = await cli('token', 'verify', '--key', key, '--issuer', 'https://issuer.example', '--audience', 'k', 'x.y.z')
        assert.match(verify.stderr, /is encrypted/)
        return
      }
      ok(sign, `sign ${a} ${f}`)
      const verify = await cli('token', 'verify', '--key', key, '--issuer', 'https://issuer.example', '--audience', 'k', '--json', sign.stdout.trim())
      ok(verify, `verify ${a} ${f}`)
    }))
  })

  it('CA key for pki issue: every format, encrypted with --ca-passphrase-file (and named without it); openssl verifies the result', async () => {
    await pool(cells.map(([a, f]) => async () => {
      const name = `issued-${a}-${slug(f)}`
      const args = ['pki', 'issue', '--profile', 'kubernetes-user', '--user', 'x', '--ca', `ca-${a}.crt`, '--ca-key', `ca-${a}.${slug(f)}.key`, '--name', name]
      if (f === 'encrypted') {
        const without = await cli(...args)
        assert.equal(without.exitCode, 1)
        assert.match(without.stderr, /CA key "[^"]+" is encrypted \(pass its passphrase with --ca-passphrase-file\)/)
        args.push('--ca-passphrase-file', 'pw')
      }
      ok(await cli(...args), `${a} ${f}`)
      await openssl('verify', '-CAfile', path(`ca-${a}.crt`), path(`${name}.crt`))
    }))
  })
})
