// Differential tests: what authctl issues, real openssl verifies (-x509_strict) and Go's crypto/x509 parses; what
// openssl makes, authctl reads.
import assert from 'node:assert/strict'
import {createHash, X509Certificate} from 'node:crypto'
import {readFile, writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {makeTempDir, runCli, runProgram} from '../../helpers/cli.js'
import {goParse} from '../../helpers/go-x509.js'

const ALGORITHMS = ['ed25519', 'ecdsa-p256', 'ecdsa-p384', 'rsa-2048', 'rsa-3072', 'rsa-4096']

describe('pki against openssl', function () {
  this.timeout(180_000)
  let dir: string
  let cleanup: () => Promise<void>
  const cli = async (...args: string[]) => {
    const r = await runCli(args, {cwd: dir})
    assert.equal(r.exitCode, 0, `authctl ${args.join(' ')}: ${r.stderr}`)
    return r
  }
  const openssl = async (...args: string[]) => {
    const r = await runProgram('openssl', args, {cwd: dir})
    assert.equal(r.exitCode, 0, `openssl ${args.join(' ')}: ${r.stderr}`)
    return r.stdout
  }

  /** Go's x509.ParseCertificate / ParseCertificateRequest (+ CheckSignature) accepts every block of the file. */
  const goAccepts = async (file: string) => {
    const verdicts = await goParse(join(dir, file))
    assert.ok(verdicts.length > 0 && verdicts.every((v) => v.ok), `Go rejects ${file}: ${JSON.stringify(verdicts)}`)
  }

  before(async () => ({cleanup, dir} = await makeTempDir('authctl-pki-e2e-')))
  after(() => cleanup())

  for (const algorithm of ALGORITHMS) {
    describe(algorithm, () => {
      before(() => cli('pki', 'ca', '--algorithm', algorithm, '--name', `${algorithm}-ca`, '--cn', `${algorithm} CA`))

      it('the CA: openssl x509 -text shows critical CA:TRUE and keyCertSign; -x509_strict, Go and node accept it', async () => {
        assert.equal((await openssl('verify', '-x509_strict', '-CAfile', `${algorithm}-ca.crt`, `${algorithm}-ca.crt`)).trim(), `${algorithm}-ca.crt: OK`)
        await goAccepts(`${algorithm}-ca.crt`)
        const text = await openssl('x509', '-in', `${algorithm}-ca.crt`, '-noout', '-text')
        assert.match(text, /X509v3 Basic Constraints: critical\s+CA:TRUE/)
        assert.match(text, /X509v3 Key Usage: critical\s+Digital Signature, Certificate Sign/)
        assert.match(text, /X509v3 Subject Key Identifier/)
        const cert = new X509Certificate(await readFile(join(dir, `${algorithm}-ca.crt`)))
        assert.equal(cert.ca, true)
        assert.ok(cert.verify(cert.publicKey))
      })

      const profiles = [
        {args: ['--user', 'alice', '--group', 'dev'], eku: 'TLS Web Client Authentication', name: 'kubernetes-user', purpose: 'sslclient'},
        {args: ['--roles', 'os:reader,os:admin'], eku: 'TLS Web Client Authentication', name: 'talos-client', purpose: 'sslclient'},
        {args: ['--dns', 'api.example.com', '--ip', '127.0.0.1'], eku: 'TLS Web Server Authentication', name: 'server', purpose: 'sslserver'},
      ]
      for (const profile of profiles) {
        it(`${profile.name}: openssl verify -x509_strict -purpose ${profile.purpose}, Go's parser, openssl x509 -text, node X509Certificate`, async () => {
          const name = `${algorithm}-${profile.name}`
          await cli('pki', 'issue', '--profile', profile.name, '--ca', `${algorithm}-ca.crt`, ...profile.args, '--name', name)
          const verified = await openssl('verify', '-x509_strict', '-CAfile', `${algorithm}-ca.crt`, '-purpose', profile.purpose, `${name}.crt`)
          assert.equal(verified.trim(), `${name}.crt: OK`)
          await goAccepts(`${name}.crt`)
          const text = await openssl('x509', '-in', `${name}.crt`, '-noout', '-text')
          const eku = /X509v3 Extended Key Usage:\s*\n\s*(.*)\n/.exec(text)?.[1]
          assert.equal(eku, profile.eku)
          assert.match(text, /X509v3 Key Usage: critical\s+Digital Signature/)
          if (profile.name === 'talos-client') assert.match(text, /Subject: O = os:admin, O = os:reader\n/)
          if (profile.name === 'kubernetes-user') assert.match(text, /Subject: O = dev, CN = alice\n/)
          const cert = new X509Certificate(await readFile(join(dir, `${name}.crt`)))
          const ca = new X509Certificate(await readFile(join(dir, `${algorithm}-ca.crt`)))
          assert.ok(cert.verify(ca.publicKey))
          assert.ok(cert.checkIssued(ca))
          assert.ok(cert.checkPrivateKey((await import('node:crypto')).createPrivateKey(relabel(await readFile(join(dir, `${name}.key`), 'utf8')))))
        })
      }
    })
  }

  // Defined after the per-algorithm suites, so the CAs above exist (mocha runs a suite's own tests before its children).
  describe('interop', () => {
    it('a --profile talos CA and a talos-client certificate from it pass openssl', async () => {
      await cli('pki', 'ca', '--profile', 'talos', '--name', 'talos-os')
      const text = await openssl('x509', '-in', 'talos-os.crt', '-noout', '-text')
      assert.match(text, /Subject: O = talos\n/)
      assert.match(text, /X509v3 Extended Key Usage:\s*\n\s*TLS Web Server Authentication, TLS Web Client Authentication\n/)
      assert.match(text, /Public Key Algorithm: ED25519/)
      await cli('pki', 'issue', '--profile', 'talos-client', '--ca', 'talos-os.crt', '--name', 'talos-os-admin')
      assert.equal((await openssl('verify', '-x509_strict', '-CAfile', 'talos-os.crt', '-purpose', 'sslclient', 'talos-os-admin.crt')).trim(), 'talos-os-admin.crt: OK')
      await goAccepts('talos-os.crt')
      await goAccepts('talos-os-admin.crt')
      assert.ok(new X509Certificate(await readFile(join(dir, 'talos-os-admin.crt'))).verify(new X509Certificate(await readFile(join(dir, 'talos-os.crt'))).publicKey))
    })

    it('the .sha256 file matches openssl\'s SHA-256 of the SubjectPublicKeyInfo', async () => {
      const pub = await openssl('x509', '-in', 'ecdsa-p256-ca.crt', '-noout', '-pubkey')
      await writeFile(join(dir, 'pub.pem'), pub)
      await openssl('pkey', '-pubin', '-in', 'pub.pem', '-outform', 'DER', '-out', 'pub.der')
      const expected = 'sha256:' + createHash('sha256').update(await readFile(join(dir, 'pub.der'))).digest('hex')
      assert.equal(await readFile(join(dir, 'ecdsa-p256-ca.sha256'), 'utf8'), expected)
    })

    it('reads keys openssl writes (PKCS#8, SEC1, PKCS#1, encrypted) and makes CSRs openssl verifies', async () => {
      await openssl('genpkey', '-algorithm', 'ed25519', '-out', 'o-ed.key')
      await openssl('ecparam', '-name', 'secp384r1', '-genkey', '-noout', '-out', 'o-ec.key')
      await openssl('genrsa', '-traditional', '-out', 'o-rsa.key', '2048')
      await openssl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-aes256', '-pass', 'pass:pw', '-out', 'o-enc.key')
      await writeFile(join(dir, 'pw'), 'pw')
      assert.match(await readFile(join(dir, 'o-ec.key'), 'utf8'), /BEGIN EC PRIVATE KEY/)
      assert.match(await readFile(join(dir, 'o-rsa.key'), 'utf8'), /BEGIN RSA PRIVATE KEY/)
      for (const key of ['o-ed.key', 'o-ec.key', 'o-rsa.key', 'o-enc.key']) {
        const extra = key === 'o-enc.key' ? ['--passphrase-file', 'pw'] : []
        await cli('pki', 'csr', '--key', key, ...extra, '--cn', 'bob', '--org', 'g1', '--dns', 'bob.example', '--out', `${key}.csr`)
        const out = await runProgram('openssl', ['req', '-in', `${key}.csr`, '-noout', '-verify', '-subject'], {cwd: dir})
        assert.equal(out.exitCode, 0, out.stderr)
        assert.match(out.stdout + out.stderr, /verify OK/i)
        assert.match(out.stdout, /subject=O = g1, CN = bob/)
        await goAccepts(`${key}.csr`)
      }
    })

    it('signs an openssl CSR, keeping its subject and SANs; openssl verifies the result', async () => {
      await openssl('req', '-new', '-key', 'o-ec.key', '-subj', '/CN=dave/O=team-b/O=team-a', '-addext', 'subjectAltName=DNS:dave.example', '-out', 'dave.csr')
      await cli('pki', 'sign', '--csr', 'dave.csr', '--ca', 'rsa-2048-ca.crt', '--usage', 'client,server', '--out', 'dave.crt')
      assert.equal((await openssl('verify', '-x509_strict', '-CAfile', 'rsa-2048-ca.crt', '-purpose', 'sslserver', 'dave.crt')).trim(), 'dave.crt: OK')
      await goAccepts('dave.crt')
      const doc = JSON.parse((await cli('pki', 'inspect', 'dave.crt', '--json')).stdout)
      assert.deepEqual(doc.kubernetes, {groups: ['team-b', 'team-a'], user: 'dave'})
      assert.deepEqual(doc.sans.dns, ['dave.example'])
      // openssl's own view of the subject and SAN agrees with authctl's.
      const text = await openssl('x509', '-in', 'dave.crt', '-noout', '-subject', '-ext', 'subjectAltName')
      assert.match(text, /subject=CN = dave, O = team-b, O = team-a/)
      assert.match(text, /DNS:dave\.example/)
    })

    it('signs CSRs with an empty subject and a SAN (openssl-made and authctl-made) with a critical SAN; -x509_strict and Go accept them', async () => {
      await openssl('req', '-new', '-key', 'o-ed.key', '-subj', '/', '-addext', 'subjectAltName=DNS:empty.example', '-out', 'empty-o.csr')
      await cli('pki', 'csr', '--key', 'o-ec.key', '--dns', 'empty2.example', '--ip', '192.0.2.7', '--out', 'empty-a.csr')
      await goAccepts('empty-a.csr')
      for (const [csr, ca] of [['empty-o.csr', 'ecdsa-p256-ca.crt'], ['empty-a.csr', 'ed25519-ca.crt']]) {
        const crt = csr.replace('.csr', '.crt')
        await cli('pki', 'sign', '--csr', csr, '--ca', ca, '--usage', 'server', '--out', crt)
        assert.equal((await openssl('verify', '-x509_strict', '-CAfile', ca, '-purpose', 'sslserver', crt)).trim(), `${crt}: OK`)
        assert.match(await openssl('x509', '-in', crt, '-noout', '-text'), /Subject: *\n[\s\S]*X509v3 Subject Alternative Name: critical/)
        await goAccepts(crt)
      }
    })

    it('verifies chains through an openssl-made intermediate, and signs with an openssl CA', async () => {
      await openssl('req', '-x509', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'root.key', '-out', 'root.crt', '-subj', '/CN=root', '-days', '30')
      await writeFile(join(dir, 'ca.ext'), 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,digitalSignature\nsubjectKeyIdentifier=hash\n')
      await openssl('req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'inter.key', '-out', 'inter.csr', '-subj', '/CN=intermediate')
      await openssl('x509', '-req', '-in', 'inter.csr', '-CA', 'root.crt', '-CAkey', 'root.key', '-CAcreateserial', '-extfile', 'ca.ext', '-days', '30', '-out', 'inter.crt')
      await cli('pki', 'issue', '--profile', 'server', '--ca', 'inter.crt', '--dns', 'leaf.example', '--name', 'leaf')
      // Not -x509_strict: openssl's own root here has no keyUsage, which strict mode refuses.
      assert.equal((await openssl('verify', '-CAfile', 'root.crt', '-untrusted', 'inter.crt', '-purpose', 'sslserver', 'leaf.crt')).trim(), 'leaf.crt: OK')
      await goAccepts('leaf.crt')
      await writeFile(join(dir, 'bundle.crt'), (await readFile(join(dir, 'leaf.crt'), 'utf8')) + (await readFile(join(dir, 'inter.crt'), 'utf8')))
      const ok = await runCli(['pki', 'verify', 'bundle.crt', '--ca', 'root.crt', '--usage', 'server', '--host', 'leaf.example'], {cwd: dir})
      assert.equal(ok.exitCode, 0, ok.stdout)
      assert.match(ok.stdout, /CN=leaf\.example <- CN=intermediate <- CN=root/)
      const noIntermediate = await runCli(['pki', 'verify', 'leaf.crt', '--ca', 'root.crt'], {cwd: dir})
      assert.equal(noIntermediate.exitCode, 1)
      assert.match(noIntermediate.stdout, /unknown authority/)
    })

    it('an openssl client certificate with serverAuth+clientAuth fails --talos, as apid rejects it', async () => {
      await writeFile(join(dir, 'both.ext'), 'extendedKeyUsage=serverAuth,clientAuth\n')
      await openssl('req', '-new', '-key', 'o-ed.key', '-subj', '/O=os:admin', '-out', 'both.csr')
      await openssl('x509', '-req', '-in', 'both.csr', '-CA', 'root.crt', '-CAkey', 'root.key', '-CAcreateserial', '-extfile', 'both.ext', '-days', '1', '-out', 'both.crt')
      const r = await runCli(['pki', 'verify', 'both.crt', '--ca', 'root.crt', '--talos'], {cwd: dir})
      assert.equal(r.exitCode, 1)
      assert.match(r.stdout, /missing the client auth extended key usage/)
      const doc = JSON.parse((await cli('pki', 'inspect', 'both.crt', '--json')).stdout)
      assert.equal(doc.talos.ekuAccepted, false)
      assert.ok(doc.warnings.some((w: string) => /apid/.test(w)))
    })
  })
})

/** Node and openssl cannot read Talos's `ED25519 PRIVATE KEY` label; the body is plain PKCS#8. */
function relabel(pem: string): string {
  return pem.replaceAll('ED25519 PRIVATE KEY', 'PRIVATE KEY')
}
