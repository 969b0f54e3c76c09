// pki renew: the same certificate again from its CA, judged by openssl; --if-due with nothing due writes nothing.
import assert from 'node:assert/strict'
import {readFile, writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {makeTempDir, runCli, runProgram} from '../../helpers/cli.js'
import {createCa} from '../../../src/lib/pki/issue.js'
import {issueKubernetesUser} from '../../../src/lib/pki/profiles.js'
import {readCertificates} from '../../../src/lib/pki/cert.js'

const DAY = 86_400_000

describe('authctl pki renew', function () {
  this.timeout(60_000)
  let dir: string
  let cleanup: () => Promise<void>
  before(async () => {
    ;({cleanup, dir} = await makeTempDir('authctl-pki-renew-'))
    const ca = await createCa({cn: 'renew CA'})
    await writeFile(join(dir, 'ca.crt'), ca.certPem)
    await writeFile(join(dir, 'ca.key'), ca.keyPem)
    const other = await createCa({cn: 'other CA'})
    await writeFile(join(dir, 'other.crt'), other.certPem)
    await writeFile(join(dir, 'other.key'), other.keyPem)
    const due = await issueKubernetesUser(ca, {groups: ['dev', 'ops'], now: new Date(Date.now() - 10 * DAY), ttlMs: 12 * DAY, user: 'alice'})
    await writeFile(join(dir, 'alice.crt'), due.certPem)
    await writeFile(join(dir, 'alice.key'), due.keyPem)
    const fresh = await issueKubernetesUser(ca, {now: new Date(), ttlMs: 30 * DAY, user: 'bob'})
    await writeFile(join(dir, 'bob.crt'), fresh.certPem)
    await writeFile(join(dir, 'bob.key'), fresh.keyPem)
  })
  after(() => cleanup?.())

  it('re-issues with the same subject, usages and lifetime, a new serial; openssl verifies it against the CA', async () => {
    const before = readCertificates(await readFile(join(dir, 'alice.crt')), 'c')[0].fields
    const keyBefore = await readFile(join(dir, 'alice.key'))
    const r = await runCli(['pki', 'renew', 'alice.crt', '--ca', 'ca.crt', '--if-due', '33%', '--json'], {cwd: dir})
    assert.equal(r.exitCode, 0, r.stderr)
    const doc = JSON.parse(r.stdout)
    assert.equal(doc.renewed[0].profile, 'kubernetes-user')
    const after = readCertificates(await readFile(join(dir, 'alice.crt')), 'c')[0].fields
    assert.deepEqual(after.subjectDer, before.subjectDer)
    assert.deepEqual(after.extensions.extKeyUsageOids, before.extensions.extKeyUsageOids)
    assert.deepEqual(after.extensions.keyUsage, before.extensions.keyUsage)
    assert.notEqual(after.serial, before.serial)
    assert.equal(after.notAfter.getTime() - after.notBefore.getTime(), 12 * DAY)
    assert.deepEqual(after.spkiDer, before.spkiDer)
    assert.deepEqual(await readFile(join(dir, 'alice.key')), keyBefore)
    const ossl = await runProgram('openssl', ['verify', '-CAfile', 'ca.crt', '-purpose', 'sslclient', 'alice.crt'], {cwd: dir})
    assert.equal(ossl.stdout, 'alice.crt: OK\n', ossl.stderr)
  })

  it('--if-due with nothing due exits 0 and writes nothing', async () => {
    const cert = await readFile(join(dir, 'bob.crt'))
    const key = await readFile(join(dir, 'bob.key'))
    const r = await runCli(['pki', 'renew', 'bob.crt', '--ca', 'ca.crt', '--if-due', '33%', '--rotate-key', '--json'], {cwd: dir})
    assert.equal(r.exitCode, 0, r.stderr)
    assert.equal(JSON.parse(r.stdout).skipped[0].reason, 'not due')
    assert.deepEqual(await readFile(join(dir, 'bob.crt')), cert)
    assert.deepEqual(await readFile(join(dir, 'bob.key')), key)
  })

  it('--rotate-key writes a new key of the same algorithm with the certificate', async () => {
    const key = await readFile(join(dir, 'bob.key'), 'utf8')
    const r = await runCli(['pki', 'renew', 'bob.crt', '--ca', 'ca.crt', '--rotate-key'], {cwd: dir})
    assert.equal(r.exitCode, 0, r.stderr)
    const newKey = await readFile(join(dir, 'bob.key'), 'utf8')
    assert.notEqual(newKey, key)
    assert.match(newKey, /^-----BEGIN PRIVATE KEY-----/)
    const match = await runProgram('openssl', ['x509', '-in', 'bob.crt', '-noout', '-pubkey'], {cwd: dir})
    const fromKey = await runProgram('openssl', ['pkey', '-in', 'bob.key', '-pubout'], {cwd: dir})
    assert.equal(match.stdout, fromKey.stdout)
  })

  it('refuses a certificate another CA issued, naming both CAs in one line, and writes nothing', async () => {
    const cert = await readFile(join(dir, 'bob.crt'))
    const r = await runCli(['pki', 'renew', 'bob.crt', '--ca', 'other.crt'], {cwd: dir})
    assert.equal(r.exitCode, 1)
    assert.match(r.stderr, /^error: certificate "CN=bob" was not issued by this CA: issued by "CN=renew CA" \(AKID [0-9A-F:]+…\), not by "CN=other CA" \(SKID [0-9A-F:]+…\) \(pass the CA that issued it\)\n$/)
    assert.deepEqual(await readFile(join(dir, 'bob.crt')), cert)
  })
})
