// The pki commands as users run them: the built CLI as a process, real files in a temp dir.
import assert from 'node:assert/strict'
import {X509Certificate} from 'node:crypto'
import {mkdir, readdir, readFile, stat, writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {makeTempDir, runCli, runProgram, type CliResult} from '../../helpers/cli.js'

function oneLineError(result: CliResult, pattern: RegExp): void {
  assert.notEqual(result.exitCode, 0, result.stdout)
  const lines = result.stderr.trim().split('\n')
  assert.equal(lines.length, 1, result.stderr)
  assert.match(lines[0], /^error: /)
  assert.match(lines[0], pattern)
}

describe('authctl pki (CLI)', function () {
  this.timeout(60_000)
  let dir: string
  let cleanup: () => Promise<void>
  const cli = (...args: string[]) => runCli(args, {cwd: dir})
  const files = async () => (await readdir(dir)).sort()

  before(async () => {
    ;({cleanup, dir} = await makeTempDir('authctl-pki-'))
    const ca = await cli('pki', 'ca', '--name', 'ca', '--org', 'acme')
    assert.equal(ca.exitCode, 0, ca.stderr)
    assert.equal((await cli('pki', 'ca', '--name', 'other')).exitCode, 0)
  })
  after(() => cleanup())

  describe('CA names and privileged certificates', () => {
    it('pki ca names the CA after --name, and verify tells two CAs apart by key ID', async () => {
      assert.equal((await cli('pki', 'ca', '--name', 'team-a')).exitCode, 0)
      assert.equal((await cli('pki', 'ca', '--name', 'sub/team-b', '--cn', 'team-a')).exitCode, 1, 'sub/ does not exist')
      await mkdir(join(dir, 'sub'))
      assert.equal((await cli('pki', 'ca', '--name', 'sub/team-b', '--cn', 'team-a')).exitCode, 0)
      assert.equal(new X509Certificate(await readFile(join(dir, 'team-a.crt'))).subject, 'CN=team-a')
      assert.equal((await cli('pki', 'issue', '--profile', 'kubernetes-user', '--ca', 'team-a.crt', '--user', 'u', '--name', 'u-a')).exitCode, 0)
      const r = await cli('pki', 'verify', 'u-a.crt', '--ca', 'sub/team-b.crt', '--json')
      assert.equal(r.exitCode, 1)
      const skid = (await cli('pki', 'inspect', 'team-a.crt', '--json').then((i) => JSON.parse(i.stdout))).subjectKeyId as string
      const otherSkid = (await cli('pki', 'inspect', 'sub/team-b.crt', '--json').then((i) => JSON.parse(i.stdout))).subjectKeyId as string
      assert.notEqual(skid, otherSkid)
      const short = (id: string) => `${id.split(':').slice(0, 4).join(':')}:…`
      assert.match(JSON.parse(r.stdout).reasons[0], new RegExp(`^x509: certificate signed by unknown authority.*: issued by "CN=team-a" \\(AKID ${short(skid)}\\), not by "CN=team-a" \\(SKID ${short(otherSkid)}\\)$`))
    })

    it('warns on stderr when a certificate carries system:masters or os:impersonator; --json stdout stays one document', async () => {
      const masters = await cli('pki', 'issue', '--profile', 'kubernetes-user', '--ca', 'ca.crt', '--user', 'root', '--group', 'system:masters', '--name', 'root', '--json')
      assert.equal(masters.exitCode, 0, masters.stderr)
      JSON.parse(masters.stdout)
      assert.match(masters.stderr, /^warning: the certificate carries system:masters: kube-apiserver lets it bypass RBAC.*$/m)
      assert.equal(masters.stderr.split('\n').filter((l) => l.startsWith('warning:')).length, 1)
      const imp = await cli('pki', 'issue', '--profile', 'talos-client', '--ca', 'ca.crt', '--roles', 'os:impersonator', '--name', 'imp')
      assert.match(imp.stderr, /^warning: the certificate carries os:impersonator: /m)
      const plain = await cli('pki', 'issue', '--profile', 'kubernetes-user', '--ca', 'ca.crt', '--user', 'dev', '--group', 'developers', '--name', 'dev')
      assert.doesNotMatch(plain.stderr, /warning/)
    })
  })

  describe('ca', () => {
    it('writes crt, key (0600) and a sha256 of the SPKI without newline', async () => {
      assert.deepEqual((await files()).filter((f) => f.startsWith('ca.')), ['ca.crt', 'ca.key', 'ca.sha256'])
      assert.equal((await stat(join(dir, 'ca.key'))).mode & 0o777, 0o600)
      assert.match(await readFile(join(dir, 'ca.sha256'), 'utf8'), /^sha256:[0-9a-f]{64}$/)
      assert.match(await readFile(join(dir, 'ca.key'), 'utf8'), /^-----BEGIN PRIVATE KEY-----/)
      assert.ok(new X509Certificate(await readFile(join(dir, 'ca.crt'))).ca)
    })

    it('--json reports the files and the certificate', async () => {
      const r = await cli('pki', 'ca', '--profile', 'talos', '--name', 'talos-ca', '--json')
      assert.equal(r.exitCode, 0, r.stderr)
      const doc = JSON.parse(r.stdout)
      assert.deepEqual(doc.files, ['talos-ca.crt', 'talos-ca.key', 'talos-ca.sha256'])
      assert.equal(doc.certificate.subject.dn, 'O=talos')
    })
  })

  describe('issue and inspect', () => {
    it('a kubernetes-user certificate maps to the right user and groups in inspect --json', async () => {
      const r = await cli('pki', 'issue', '--profile', 'kubernetes-user', '--ca', 'ca.crt', '--user', 'alice', '--group', 'dev', '--group', 'admins', '--name', 'alice')
      assert.equal(r.exitCode, 0, r.stderr)
      const inspect = await cli('pki', 'inspect', 'alice.crt', '--json')
      assert.equal(inspect.exitCode, 0, inspect.stderr)
      const doc = JSON.parse(inspect.stdout)
      assert.deepEqual(doc.kubernetes, {groups: ['dev', 'admins'], user: 'alice'})
      assert.deepEqual(doc.extKeyUsage, ['clientAuth'])
    })

    it('a talos-client certificate has EKU exactly clientAuth, O sorted roles, no CN', async () => {
      const r = await cli('pki', 'issue', '--profile', 'talos-client', '--ca', 'ca.crt', '--roles', 'os:reader,os:admin', '--roles', 'os:etcd:backup', '--name', 'talos-admin')
      assert.equal(r.exitCode, 0, r.stderr)
      const doc = JSON.parse((await cli('pki', 'inspect', 'talos-admin.crt', '--json')).stdout)
      assert.deepEqual(doc.extKeyUsage, ['clientAuth'])
      assert.deepEqual(doc.subject.organizations, ['os:admin', 'os:etcd:backup', 'os:reader'])
      assert.equal(doc.subject.commonName, undefined)
      assert.deepEqual(doc.talos.roles, ['os:admin', 'os:etcd:backup', 'os:reader'])
      assert.equal(doc.kubernetes, null)
    })

    it('inspect prints a readable summary, reads stdin, and describes keys without their material', async () => {
      const text = await cli('pki', 'inspect', 'alice.crt')
      assert.match(text.stdout, /Kubernetes:\s+user "alice", groups \[dev, admins\]/)
      const key = await readFile(join(dir, 'alice.key'), 'utf8')
      const piped = await runCli(['pki', 'inspect', '-', '--json'], {cwd: dir, input: key})
      assert.equal(piped.exitCode, 0, piped.stderr)
      const doc = JSON.parse(piped.stdout)
      assert.equal(doc.kind, 'private-key')
      assert.equal(doc.encoding, 'pkcs8')
      assert.ok(!piped.stdout.includes(key.split('\n')[1]))
    })

    it('unknown roles exit 2 unless --allow-unknown-roles', async () => {
      const r = await cli('pki', 'issue', '--profile', 'talos-client', '--ca', 'ca.crt', '--roles', 'os:future', '--name', 'future')
      oneLineError(r, /unknown Talos role os:future/)
      assert.equal(r.exitCode, 2)
      assert.ok(!(await files()).includes('future.crt'))
      const ok = await cli('pki', 'issue', '--profile', 'talos-client', '--ca', 'ca.crt', '--roles', 'os:future', '--allow-unknown-roles', '--name', 'future')
      assert.equal(ok.exitCode, 0, ok.stderr)
    })

    it('--from-secrets takes the CA from a Talos secrets bundle', async () => {
      const b64 = async (f: string) => (await readFile(join(dir, f))).toString('base64')
      await writeFile(join(dir, 'secrets.yaml'), `certs:\n    os:\n        crt: ${await b64('talos-ca.crt')}\n        key: ${await b64('talos-ca.key')}\n`)
      const r = await cli('pki', 'issue', '--profile', 'talos-client', '--from-secrets', 'secrets.yaml', '--name', 'from-secrets')
      assert.equal(r.exitCode, 0, r.stderr)
      const v = await cli('pki', 'verify', 'from-secrets.crt', '--from-secrets', 'secrets.yaml', '--talos')
      assert.equal(v.exitCode, 0, v.stdout + v.stderr)
      assert.equal((await cli('pki', 'verify', 'from-secrets.crt', '--ca', 'ca.crt')).exitCode, 1)
      const imported = await cli('pki', 'ca', '--from-secrets', 'secrets.yaml', '--name', 'imported')
      assert.equal(imported.exitCode, 0, imported.stderr)
      assert.equal(await readFile(join(dir, 'imported.crt'), 'utf8'), await readFile(join(dir, 'talos-ca.crt'), 'utf8'))
      assert.equal(await readFile(join(dir, 'imported.sha256'), 'utf8'), await readFile(join(dir, 'talos-ca.sha256'), 'utf8'))
    })
  })

  describe('key, csr, sign', () => {
    it('chains key → csr → sign, with stdin and stdout', async () => {
      assert.equal((await cli('pki', 'key', '--algorithm', 'ecdsa-p256', '--out', 'web.key')).exitCode, 0)
      const csr = await cli('pki', 'csr', '--key', 'web.key', '--cn', 'web', '--dns', 'web.example', '--out', '-')
      assert.equal(csr.exitCode, 0, csr.stderr)
      const signed = await runCli(['pki', 'sign', '--csr', '-', '--ca', 'ca.crt', '--usage', 'server', '--ip', '127.0.0.1', '--out', 'web.crt'], {cwd: dir, input: csr.stdout})
      assert.equal(signed.exitCode, 0, signed.stderr)
      const v = await cli('pki', 'verify', 'web.crt', '--ca', 'ca.crt', '--usage', 'server', '--host', 'web.example')
      assert.equal(v.exitCode, 0, v.stdout)
      assert.equal((await cli('pki', 'verify', 'web.crt', '--ca', 'ca.crt', '--host', '10.1.1.1')).exitCode, 1)
    })
  })

  describe('bad input: exit non-zero, one-line error, nothing written', () => {
    let before_: string[]
    beforeEach(async () => (before_ = await files()))
    afterEach(async () => assert.deepEqual(await files(), before_))

    it('truncated PEM', async () => {
      const pem = await readFile(join(dir, 'ca.crt'), 'utf8')
      await writeFile(join(dir, 'truncated.crt'), pem.slice(0, pem.length / 2))
      before_ = await files()
      oneLineError(await cli('pki', 'issue', '--profile', 'kubernetes-user', '--ca', 'truncated.crt', '--ca-key', 'ca.key', '--user', 'u', '--name', 'n1'), /truncated PEM/)
      oneLineError(await cli('pki', 'inspect', 'truncated.crt'), /truncated PEM/)
    })

    it('DER given as PEM', async () => {
      const der = new X509Certificate(await readFile(join(dir, 'ca.crt'))).raw
      await writeFile(join(dir, 'ca.der'), der)
      before_ = await files()
      oneLineError(await cli('pki', 'issue', '--profile', 'kubernetes-user', '--ca', 'ca.der', '--ca-key', 'ca.key', '--user', 'u', '--name', 'n2'), /DER \(binary\), not PEM/)
      oneLineError(await cli('pki', 'verify', 'ca.der', '--ca', 'ca.crt'), /DER/)
    })

    it('wrong key for the CA', async () => {
      oneLineError(await cli('pki', 'issue', '--profile', 'kubernetes-user', '--ca', 'ca.crt', '--ca-key', 'other.key', '--user', 'u', '--name', 'n3'), /CA key does not match/)
    })

    it('CSR with a bad signature', async () => {
      const csr = await cli('pki', 'csr', '--key', 'alice.key', '--cn', 'mallory', '--out', '-')
      const lines = csr.stdout.split('\n')
      const der = Buffer.from(lines.slice(1, -2).join(''), 'base64')
      der[der.length - 3] ^= 0x01
      await writeFile(join(dir, 'bad.csr'), `${lines[0]}\n${der.toString('base64')}\n${lines.at(-2)}\n`)
      before_ = await files()
      oneLineError(await cli('pki', 'sign', '--csr', 'bad.csr', '--ca', 'ca.crt', '--out', 'bad.crt'), /signature is invalid/)
    })

    it('unreadable or missing file', async () => {
      await mkdir(join(dir, 'adir'), {recursive: true})
      before_ = await files()
      oneLineError(await cli('pki', 'sign', '--csr', 'adir', '--ca', 'ca.crt', '--out', 'x.crt'), /cannot read certificate request .*is a directory/)
      oneLineError(await cli('pki', 'issue', '--profile', 'server', '--ca', 'missing.crt', '--dns', 'a', '--name', 'n4'), /no such file or directory/)
    })

    it('an output in a missing directory: the directory is named and not created (as openssl -out)', async () => {
      oneLineError(
        await cli('pki', 'issue', '--profile', 'kubernetes-user', '--ca', 'ca.crt', '--user', 'u', '--name', 'nonexist/dir/x'),
        /^error: cannot write "nonexist\/dir\/x\.crt": directory "nonexist\/dir" does not exist \(create it first, or choose another path\)$/,
      )
      oneLineError(await cli('pki', 'key', '--out', join(dir, 'nonexist/x.key')), /directory ".*\/nonexist" does not exist/)
    })

    it('existing output without --force, then --force replaces it', async () => {
      const old = await readFile(join(dir, 'alice.crt'), 'utf8')
      oneLineError(await cli('pki', 'issue', '--profile', 'kubernetes-user', '--ca', 'ca.crt', '--user', 'bob', '--name', 'alice'), /already exists.*--force/)
      assert.equal(await readFile(join(dir, 'alice.crt'), 'utf8'), old)
      oneLineError(await cli('pki', 'ca', '--name', 'ca'), /already exists/)
      const forced = await cli('pki', 'issue', '--profile', 'kubernetes-user', '--ca', 'ca.crt', '--user', 'bob', '--name', 'alice', '--force')
      assert.equal(forced.exitCode, 0, forced.stderr)
      assert.notEqual(await readFile(join(dir, 'alice.crt'), 'utf8'), old)
    })

    it('an encrypted key without --passphrase-file, then with it', async () => {
      await writeFile(join(dir, 'pw.txt'), 'hunter2\n')
      assert.equal((await cli('pki', 'key', '--out', 'enc.key', '--passphrase-file', 'pw.txt')).exitCode, 0)
      before_ = await files()
      oneLineError(await cli('pki', 'csr', '--key', 'enc.key', '--cn', 'e', '--out', 'enc.csr'), /encrypted.*--passphrase-file/)
      const ok = await cli('pki', 'csr', '--key', 'enc.key', '--passphrase-file', 'pw.txt', '--cn', 'e', '--out', '-')
      assert.equal(ok.exitCode, 0, ok.stderr)
    })
  })

  describe('refusals: what X.509 cannot carry is refused before anything is written', () => {
    let before_: string[]
    before(async () => assert.equal((await cli('pki', 'csr', '--key', 'web.key', '--cn', 'web', '--out', 'web.csr')).exitCode, 0))
    beforeEach(async () => (before_ = await files()))
    afterEach(async () => assert.deepEqual(await files(), before_))
    const openssl = async (...args: string[]) => {
      const r = await runProgram('openssl', args, {cwd: dir})
      assert.equal(r.exitCode, 0, r.stderr)
    }

    it('a lifetime past 9999-12-31 or not positive, on every issuing path', async () => {
      const tooLong = /would expire after 9999-12-31T23:59:59Z/
      const notPositive = /lifetime \(--ttl\) must be positive/
      for (const [ttl, pattern] of [['87600000h', tooLong], ['0s', notPositive], ['0h0m', notPositive]] as const) {
        oneLineError(await cli('pki', 'issue', '--profile', 'kubernetes-user', '--ca', 'ca.crt', '--user', 'u', '--name', 'ttl-u', '--ttl', ttl), pattern)
        oneLineError(await cli('pki', 'issue', '--profile', 'talos-client', '--ca', 'talos-ca.crt', '--name', 'ttl-t', '--ttl', ttl), pattern)
        oneLineError(await cli('pki', 'issue', '--profile', 'server', '--ca', 'ca.crt', '--dns', 'a.example', '--name', 'ttl-s', '--ttl', ttl), pattern)
        oneLineError(await cli('pki', 'ca', '--name', 'ttl-ca', '--ttl', ttl), pattern)
        oneLineError(await cli('pki', 'sign', '--csr', 'web.csr', '--ca', 'ca.crt', '--out', 'ttl.crt', '--ttl', ttl), pattern)
      }
      oneLineError(await cli('pki', 'issue', '--profile', 'server', '--ca', 'ca.crt', '--dns', 'a.example', '--name', 'skew', '--not-before-skew', '87600000h'), /before year 0000/)
    })

    it('empty names and control characters in CN, O and SANs; IPv6 zones', async () => {
      const issue = (...args: string[]) => cli('pki', 'issue', '--ca', 'ca.crt', '--name', 'refused', ...args)
      oneLineError(await issue('--profile', 'kubernetes-user', '--user', 'ev\u001b[2Jil'), /CN "ev\\x1b\[2Jil" contains control characters/)
      oneLineError(await issue('--profile', 'kubernetes-user', '--user', 'bob', '--group', 'dev\r\nsystem:masters'), /O "dev\\r\\nsystem:masters" contains control characters/)
      oneLineError(await issue('--profile', 'kubernetes-user', '--user', 'bob', '--group', ''), /empty O/)
      oneLineError(await issue('--profile', 'server', '--dns', 'a.example', '--cn', 'bell\u0007'), /CN "bell\\a" contains control characters/)
      oneLineError(await issue('--profile', 'server', '--dns', 'a\u001b.example'), /invalid DNS name "a\\x1b\.example"/)
      oneLineError(await issue('--profile', 'server', '--ip', 'fe80::1%eth0'), /invalid IP address "fe80::1%eth0": an IPv6 zone cannot be put in a certificate/)
      oneLineError(await issue('--profile', 'server', '--dns', 'a.example', '--cn', 'c\u009b'), /contains control characters/)
      oneLineError(await cli('pki', 'ca', '--name', 'refused-ca', '--cn', ''), /empty CN/)
      oneLineError(await cli('pki', 'ca', '--name', 'refused-ca', '--org', 'o\u007fk'), /O "o\\x7fk" contains control characters/)
      oneLineError(await cli('pki', 'csr', '--key', 'web.key', '--cn', 'x\u001b', '--out', 'refused.csr'), /CN "x\\x1b" contains control characters/)
      oneLineError(await cli('pki', 'csr', '--key', 'web.key', '--cn', 'x', '--ip', '::1%lo', '--out', 'refused.csr'), /IPv6 zone/)
      oneLineError(await cli('pki', 'sign', '--csr', 'web.csr', '--ca', 'ca.crt', '--ip', 'fe80::2%1', '--out', 'refused.crt'), /IPv6 zone/)
    })

    it('an empty subject without a SAN (pki csr, pki sign); a CSR subject with control characters (pki sign)', async () => {
      await openssl('req', '-new', '-key', 'web.key', '-subj', '/', '-out', 'empty.csr')
      await openssl('req', '-new', '-key', 'web.key', '-subj', '/CN=a\u001bb\u0007', '-utf8', '-out', 'ctl.csr')
      before_ = await files()
      const noSan = /the subject is empty and there is no subject alternative name/
      oneLineError(await cli('pki', 'csr', '--key', 'web.key', '--out', 'refused.csr'), noSan)
      oneLineError(await cli('pki', 'sign', '--csr', 'empty.csr', '--ca', 'ca.crt', '--out', 'refused.crt'), noSan)
      oneLineError(await cli('pki', 'sign', '--csr', 'ctl.csr', '--ca', 'ca.crt', '--out', 'refused.crt'), /subject CN "a\\x1bb\\a" contains control characters/)
      // The same empty-subject CSR with a SAN added at signing is fine, and the SAN is then critical.
      const signed = await cli('pki', 'sign', '--csr', 'empty.csr', '--ca', 'ca.crt', '--dns', 'empty.example', '--out', '-', '--json')
      assert.equal(signed.exitCode, 0, signed.stderr)
      const {certificate} = JSON.parse(signed.stdout)
      assert.equal(certificate.subject.dn, '')
      assert.deepEqual(certificate.sans.dns, ['empty.example'])
    })
  })

  describe('verify and needs-renewal exit codes', () => {
    it('verify: 0 valid, 1 invalid with every reason', async () => {
      assert.equal((await cli('pki', 'verify', 'alice.crt', '--ca', 'ca.crt', '--usage', 'client')).exitCode, 0)
      const bad = await cli('pki', 'verify', 'alice.crt', '--ca', 'other.crt', '--usage', 'server', '--json')
      assert.equal(bad.exitCode, 1)
      const doc = JSON.parse(bad.stdout)
      assert.equal(doc.valid, false)
      assert.equal(doc.reasons.length, 2, doc.reasons.join('\n'))
    })

    it('needs-renewal: 0 due, 1 not due, 2 missing file, 255 not a certificate', async () => {
      assert.equal((await cli('pki', 'needs-renewal', 'alice.crt')).exitCode, 1)
      assert.equal((await cli('pki', 'needs-renewal', 'alice.crt', '--expires-in', '9000h')).exitCode, 0)
      assert.equal((await cli('pki', 'needs-renewal', 'alice.crt', '--expires-in', '100%')).exitCode, 0)
      const missing = await cli('pki', 'needs-renewal', 'nope.crt')
      assert.equal(missing.exitCode, 2)
      assert.match(missing.stderr, /no such file/)
      assert.equal((await cli('pki', 'needs-renewal', 'alice.key')).exitCode, 255)
    })
  })
})
