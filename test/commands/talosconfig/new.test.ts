import assert from 'node:assert/strict'
import {execFile} from 'node:child_process'
import {readFile, stat, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {promisify} from 'node:util'

import {makeTempDir, runCli} from '../../helpers/cli.js'
import {makeTalosPki, type OpensslClient} from './openssl-pki.js'

const openssl = (args: string[], cwd: string) => promisify(execFile)('openssl', args, {cwd})
const field = (yaml: string, name: string) => Buffer.from(new RegExp(`^ {8}${name}: (\\S+)$`, 'm').exec(yaml)![1], 'base64').toString()

describe('authctl talosconfig new (offline, built CLI)', function () {
  let dir: string
  let cleanup: () => Promise<void>
  let pki: OpensslClient
  const tc = (args: string[]) => runCli(['talosconfig', 'new', ...args], {cwd: dir})
  const exists = (p: string) => stat(p).then(() => true, () => false)

  before(async () => {
    ;({cleanup, dir} = await makeTempDir('authctl-talos-new-'))
    pki = await makeTalosPki(dir)
  })
  after(() => cleanup())

  it('writes a 0600 talosconfig whose certificate openssl verifies as a clientAuth-only Talos client of the CA', async () => {
    const r = await tc(['reader.yaml', '--ca', pki.ca, '--ca-key', pki.caKey, '--roles', 'os:reader', '--endpoints', '10.0.0.1,10.0.0.2', '--nodes', '10.0.0.3'])
    assert.equal(r.exitCode, 0, r.stderr)
    assert.equal(r.stdout, '')
    const path = join(dir, 'reader.yaml')
    assert.equal(((await stat(path)).mode & 0o777).toString(8), '600')
    const yaml = await readFile(path, 'utf8')
    assert.match(yaml, /^context: reader@talos\ncontexts:\n {4}reader@talos:\n {8}endpoints:\n {12}- 10\.0\.0\.1\n {12}- 10\.0\.0\.2\n {8}nodes:\n {12}- 10\.0\.0\.3\n {8}ca: \S+\n {8}crt: \S+\n {8}key: \S+\n$/)
    assert.equal(field(yaml, 'ca'), await readFile(pki.ca, 'utf8'))
    assert.match(field(yaml, 'key'), /^-----BEGIN ED25519 PRIVATE KEY-----\n/)
    await writeFile(join(dir, 'issued.crt'), field(yaml, 'crt'))
    await openssl(['verify', '-CAfile', pki.ca, '-purpose', 'sslclient', 'issued.crt'], dir)
    const {stdout: text} = await openssl(['x509', '-in', 'issued.crt', '-noout', '-text'], dir)
    assert.match(text, /Subject: O ?= ?os:reader\n/)
    assert.match(text, /X509v3 Extended Key Usage: \n\s+TLS Web Client Authentication\n/)
    assert.match(text, /Public Key Algorithm: ED25519/)
    const info = await runCli(['talosconfig', 'info', '--talosconfig', path], {cwd: dir})
    assert.match(info.stdout, /^Roles: {15}os:reader\nCertificate expires: 1 year from now \(\d{4}-\d{2}-\d{2}\)\n$/m)
  })

  it('--crt-ttl 17520h shows as "2 years from now"; several roles give the cluster-name context', async () => {
    const r = await tc(['two.yaml', '--ca', pki.ca, '--ca-key', pki.caKey, '--crt-ttl', '17520h', '--roles', 'os:reader', '--roles', 'os:operator', '--json'])
    assert.equal(r.exitCode, 0, r.stderr)
    const doc = JSON.parse(r.stdout)
    assert.equal(doc.context, 'talos')
    assert.deepEqual(doc.roles, ['os:operator', 'os:reader'])
    assert.match(r.stderr, /warning: no --endpoints given/)
    const info = await runCli(['talosconfig', 'info', '--talosconfig', 'two.yaml'], {cwd: dir})
    assert.match(info.stdout, /^Roles: {15}os:operator, os:reader\nCertificate expires: 2 years from now /m)
  })

  it('takes the CA from a Talos secrets bundle (certs.os, ED25519 PRIVATE KEY label)', async () => {
    const caPem = await readFile(pki.ca, 'utf8')
    const keyPem = (await readFile(pki.caKey, 'utf8')).replaceAll('PRIVATE KEY', 'ED25519 PRIVATE KEY')
    const b64 = (s: string) => Buffer.from(s).toString('base64')
    await writeFile(join(dir, 'secrets.yaml'), `cluster:\n    id: x\n    secret: y\ncerts:\n    os:\n        crt: ${b64(caPem)}\n        key: ${b64(keyPem)}\n`)
    const r = await tc(['from-secrets.yaml', '--ca-from', 'secrets.yaml', '--context', 'prod', '--endpoints', '10.0.0.1'])
    assert.equal(r.exitCode, 0, r.stderr)
    const yaml = await readFile(join(dir, 'from-secrets.yaml'), 'utf8')
    assert.match(yaml, /^context: prod\n/)
    await writeFile(join(dir, 'secrets-issued.crt'), field(yaml, 'crt'))
    await openssl(['verify', '-CAfile', pki.ca, 'secrets-issued.crt'], dir)
  })

  it('refuses to overwrite an existing file', async () => {
    await writeFile(join(dir, 'taken'), 'keep\n')
    const r = await tc(['taken', '--ca', pki.ca, '--ca-key', pki.caKey])
    assert.equal(r.exitCode, 1)
    assert.equal(r.stderr, 'error: talosconfig file already exists: "taken" (choose another path or remove the file)\n')
    assert.equal(await readFile(join(dir, 'taken'), 'utf8'), 'keep\n')
  })

  it('bad input writes nothing: unknown role, bad TTL, no CA, CA key not matching', async () => {
    const other = await makeTalosPki(dir, {prefix: 'other-'})
    const cases: Array<[string[], number, RegExp]> = [
      [['--roles', 'os:admin,os:bogus'], 2, /^error: unknown roles: os:bogus \(known roles: /],
      [['--crt-ttl', 'soon'], 2, /^error: invalid --crt-ttl "soon"/],
      [['--crt-ttl', '0s'], 2, /^error: crt_ttl should be positive/],
      [['--ca-key', other.caKey, '--ca', pki.ca], 1, /key does not match/],
    ]
    for (const [args, code, message] of cases) {
      const base = args.includes('--ca') ? [] : ['--ca', pki.ca, '--ca-key', pki.caKey]
      const r = await tc(['bad.yaml', ...base, ...args])
      assert.equal(r.exitCode, code, `${args.join(' ')}: ${r.stderr}`)
      assert.match(r.stderr, message)
      assert.equal(await exists(join(dir, 'bad.yaml')), false)
    }
    const noCa = await tc(['bad.yaml'])
    assert.equal(noCa.exitCode, 2)
    assert.match(noCa.stderr, /no CA given \(pass --ca-from secrets.yaml, or --ca and --ca-key\)/)
    assert.equal(await exists(join(dir, 'bad.yaml')), false)
  })
})
