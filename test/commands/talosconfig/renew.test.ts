// talosconfig renew: a context's certificate renewed from the secrets bundle keeps its roles and Talos's key label.
import assert from 'node:assert/strict'
import {readFile, writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {makeTempDir, runCli, runProgram} from '../../helpers/cli.js'
import {createCa} from '../../../src/lib/pki/issue.js'
import {issueTalosClient} from '../../../src/lib/pki/profiles.js'
import {readCertificates} from '../../../src/lib/pki/cert.js'

const DAY = 86_400_000
const b64 = (s: string) => Buffer.from(s).toString('base64')
const unb64 = (s: string) => Buffer.from(s, 'base64').toString('utf8')
const field = (yaml: string, context: string, key: string) => unb64(new RegExp(`\\n    ${context}:\\n[\\s\\S]*?\\n        ${key}: (\\S+)`).exec(yaml)![1])

describe('authctl talosconfig renew', function () {
  this.timeout(60_000)
  let dir: string
  let cleanup: () => Promise<void>
  before(async () => {
    ;({cleanup, dir} = await makeTempDir('authctl-talos-renew-'))
    const ca = await createCa({profile: 'talos'})
    await writeFile(join(dir, 'ca.crt'), ca.certPem)
    await writeFile(join(dir, 'secrets.yaml'), `certs:\n    os:\n        crt: ${b64(ca.certPem)}\n        key: ${b64(ca.keyPem)}\n`)
    const reader = await issueTalosClient(ca, {now: new Date(Date.now() - 10 * DAY), roles: ['os:reader', 'os:etcd:backup'], ttlMs: 12 * DAY})
    const admin = await issueTalosClient(ca, {now: new Date(), roles: ['os:admin'], ttlMs: 365 * DAY})
    const ctx = (name: string, pair: {certPem: string; keyPem: string}) =>
      `    ${name}:\n        endpoints:\n            - 10.0.0.1\n        ca: ${b64(ca.certPem)}\n        crt: ${b64(pair.certPem)}\n        key: ${b64(pair.keyPem)}\n`
    await writeFile(join(dir, 'talosconfig'), `context: admin\ncontexts:\n${ctx('admin', admin)}${ctx('reader', reader)}`)
  })
  after(() => cleanup?.())

  const tc = (args: string[]) => runCli(['talosconfig', 'renew', '--talosconfig', join(dir, 'talosconfig'), '--from-secrets', join(dir, 'secrets.yaml'), ...args])

  it('--all --if-due renews the due context only; roles and the ED25519 PRIVATE KEY label are kept', async () => {
    const before = await readFile(join(dir, 'talosconfig'), 'utf8')
    const r = await tc(['--all', '--if-due', '33%', '--rotate-key', '--json'])
    assert.equal(r.exitCode, 0, r.stderr)
    const doc = JSON.parse(r.stdout)
    assert.deepEqual(doc.renewed.map((c: any) => [c.context, c.profile, c.keyRotated]), [['reader', 'talos-client', true]])
    assert.deepEqual(doc.skipped.map((c: any) => c.context), ['admin'])
    const yaml = await readFile(join(dir, 'talosconfig'), 'utf8')
    assert.equal(field(yaml, 'admin', 'crt'), field(before, 'admin', 'crt'))
    const cert = field(yaml, 'reader', 'crt')
    assert.notEqual(cert, field(before, 'reader', 'crt'))
    const fields = readCertificates(cert, 'c')[0].fields
    assert.deepEqual(fields.subject.organizations, ['os:etcd:backup', 'os:reader'])
    assert.deepEqual(fields.extensions.extKeyUsage, ['clientAuth'])
    const key = field(yaml, 'reader', 'key')
    assert.notEqual(key, field(before, 'reader', 'key'))
    assert.match(key, /^-----BEGIN ED25519 PRIVATE KEY-----\n/)
    await writeFile(join(dir, 'reader.crt'), cert)
    const ossl = await runProgram('openssl', ['verify', '-CAfile', 'ca.crt', 'reader.crt'], {cwd: dir})
    assert.equal(ossl.stdout, 'reader.crt: OK\n', ossl.stderr)
  })

  it('skips a context another CA issued, with the reason, and writes nothing', async () => {
    const other = await createCa({profile: 'talos'})
    await writeFile(join(dir, 'other.crt'), other.certPem)
    await writeFile(join(dir, 'other.key'), other.keyPem)
    const before = await readFile(join(dir, 'talosconfig'))
    const r = await runCli(['talosconfig', 'renew', '--talosconfig', join(dir, 'talosconfig'), '--ca', join(dir, 'other.crt'), '--json'])
    assert.equal(r.exitCode, 0, r.stderr)
    assert.match(JSON.parse(r.stdout).skipped[0].reason, /^another CA: issued by "O=talos"/)
    assert.deepEqual(await readFile(join(dir, 'talosconfig')), before)
  })
})
