// Encryption at rest end to end: the built CLI on age files that Debian's age wrote, and age -d on what it wrote back.
import assert from 'node:assert/strict'
import {mkdir, readdir, readFile, writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {ageFormat} from '../../../src/lib/files/age.js'
import {cliPath, makeTempDir, runCli, runProgram} from '../../helpers/cli.js'
import {ageDecrypt, ageEncrypt, type AgeKey, keygen, watchForMarker} from '../../helpers/age.js'
import {KUBECTL} from '../kubeconfig/fixtures.js'

const MARKER = 'plaintext-marker-e2e'

const KUBECONFIG = `apiVersion: v1
kind: Config
clusters:
- cluster:
    server: https://10.0.0.1:6443
    insecure-skip-tls-verify: true
  name: prod
contexts:
- context:
    cluster: prod
    user: admin
  name: admin@prod
- context:
    cluster: prod
    user: admin
    namespace: ${MARKER}
  name: other
current-context: admin@prod
users:
- name: admin
  user:
    token: ${MARKER}-token
`

describe('authctl on age-encrypted credential files (judged by the age CLI)', function () {
  this.timeout(120_000)
  let dir: string
  let cleanup: () => Promise<void>
  let alice: AgeKey
  let bob: AgeKey
  let env: NodeJS.ProcessEnv
  const cli = (args: string[], extra: NodeJS.ProcessEnv = {}) => runCli(args, {cwd: dir, env: {...env, ...extra}})
  const ok = async (args: string[], extra: NodeJS.ProcessEnv = {}) => {
    const r = await cli(args, extra)
    assert.equal(r.exitCode, 0, `authctl ${args.join(' ')}: ${r.stderr}`)
    return r
  }
  const isAge = async (file: string) => ageFormat(await readFile(join(dir, file)))

  beforeEach(async () => {
    ;({cleanup, dir} = await makeTempDir('authctl-age-e2e-'))
    alice = await keygen(dir, 'alice')
    bob = await keygen(dir, 'bob')
    // HOME points into the temp dir: the SOPS default identity file is not the tester's.
    env = {AUTHCTL_AGE_IDENTITY_FILE: alice.identityFile, HOME: dir, KUBECONFIG: '', TALOSCONFIG: ''}
  })
  afterEach(() => cleanup())

  it('kubeconfig view reads what age -e wrote as kubectl reads the plaintext; use-context and set-* keep it encrypted', async () => {
    await ageEncrypt(KUBECONFIG, join(dir, 'config'), [alice.recipient])
    await writeFile(join(dir, 'plain'), KUBECONFIG)
    const theirs = await runProgram(KUBECTL, ['config', 'view', '--kubeconfig', 'plain', '--raw'], {cwd: dir})
    const ours = await ok(['kubeconfig', 'view', '--kubeconfig', 'config', '--raw'])
    assert.equal(ours.stdout, theirs.stdout)
    await ok(['kubeconfig', 'use-context', 'other', '--kubeconfig', 'config'])
    await ok(['kubeconfig', 'set-cluster', 'dev', '--server', 'https://10.0.0.2:6443', '--kubeconfig', 'config'])
    await ok(['kubeconfig', 'set-credentials', 'dev-user', '--token', 'abc', '--kubeconfig', 'config'])
    await ok(['kubeconfig', 'set-context', 'dev', '--cluster', 'dev', '--user', 'dev-user', '--kubeconfig', 'config'])
    assert.equal(await isAge('config'), 'binary')
    const after = await ageDecrypt(join(dir, 'config'), alice.identityFile)
    await writeFile(join(dir, 'plain'), after)
    const view = await runProgram(KUBECTL, ['config', 'view', '--kubeconfig', 'plain', '-o', 'jsonpath={.current-context} {.clusters[*].name} {.users[*].name} {.contexts[*].name}'], {cwd: dir})
    assert.equal(view.stdout, 'other dev prod admin dev-user admin@prod dev other')
    assert.deepEqual((await readdir(dir)).sort(), ['alice.txt', 'bob.txt', 'config', 'plain'])
  })

  it('pki inspect and issue with an age-encrypted CA key; talosconfig new, contexts and merge keep armored targets encrypted', async () => {
    await ok(['pki', 'ca', '--profile', 'talos', '--name', 'os'])
    // The CA key, encrypted by age and the plain one removed.
    await ageEncrypt(await readFile(join(dir, 'os.key')), join(dir, 'os.key.age'), [alice.recipient])
    await runProgram('rm', [join(dir, 'os.key')])
    await ageEncrypt(await readFile(join(dir, 'os.crt')), join(dir, 'os.crt.age'), [alice.recipient], true)
    const inspected = JSON.parse((await ok(['pki', 'inspect', 'os.crt.age', '--json'])).stdout)
    assert.match(JSON.stringify(inspected), /talos/)
    await ok(['pki', 'issue', '--profile', 'talos-client', '--roles', 'os:reader', '--name', 'reader', '--ca', 'os.crt', '--ca-key', 'os.key.age'])
    const verify = await runProgram('openssl', ['verify', '-CAfile', 'os.crt', 'reader.crt'], {cwd: dir})
    assert.equal(verify.exitCode, 0, verify.stderr)
    // An encrypted output replaced with --force stays encrypted.
    await ok(['encrypt', 'reader.key', '--identity', alice.identityFile])
    await ok(['pki', 'issue', '--profile', 'talos-client', '--roles', 'os:reader', '--name', 'reader', '--ca', 'os.crt', '--ca-key', 'os.key.age', '--force'])
    assert.equal(await isAge('reader.key'), 'binary')
    assert.match(await ageDecrypt(join(dir, 'reader.key'), alice.identityFile), /PRIVATE KEY/)

    await ok(['talosconfig', 'new', 'talosconfig', '--ca', 'os.crt', '--ca-key', 'os.key.age', '--context', 'prod', '--endpoints', '10.0.0.1'])
    await ok(['encrypt', 'talosconfig', '--armor', '--encrypt-to', alice.recipient])
    assert.equal(await isAge('talosconfig'), 'armor')
    await ok(['talosconfig', 'new', 'incoming', '--ca', 'os.crt', '--ca-key', 'os.key.age', '--context', 'staging', '--endpoints', '10.0.0.9'])
    await ageEncrypt(await readFile(join(dir, 'incoming')), join(dir, 'incoming.age'), [alice.recipient])
    const contexts = await ok(['talosconfig', 'contexts', '--talosconfig', 'talosconfig'])
    assert.match(contexts.stdout, /prod/)
    await ok(['talosconfig', 'merge', 'incoming.age', '--talosconfig', 'talosconfig'])
    assert.equal(await isAge('talosconfig'), 'armor')
    const merged = await ageDecrypt(join(dir, 'talosconfig'), alice.identityFile)
    assert.match(merged, /context: prod/)
    assert.match(merged, /staging:/)
    const listed = JSON.parse((await ok(['talosconfig', 'contexts', '--talosconfig', 'talosconfig', '--json'])).stdout)
    assert.match(JSON.stringify(listed), /staging/)
  })

  it('a wrong identity is one line on stderr, exit 1, and nothing is written', async () => {
    await ageEncrypt(KUBECONFIG, join(dir, 'config'), [bob.recipient])
    const before = await readFile(join(dir, 'config'))
    for (const args of [['kubeconfig', 'use-context', 'other', '--kubeconfig', 'config'], ['kubeconfig', 'view', '--kubeconfig', 'config'], ['decrypt', 'config']]) {
      const r = await cli(args)
      assert.equal(r.exitCode, 1, r.stderr)
      assert.equal(r.stdout, '')
      const lines = r.stderr.trimEnd().split('\n')
      assert.equal(lines.length, 1, r.stderr)
      assert.match(lines[0], /^error: cannot decrypt (kubeconfig )?"[^"]*config": no identity in "[^"]*alice.txt" matches its recipients \(use the identity it was encrypted to; /)
    }
    assert.deepEqual(await readFile(join(dir, 'config')), before)
    assert.deepEqual((await readdir(dir)).sort(), ['alice.txt', 'bob.txt', 'config'])
  })

  it('encrypt and decrypt: age -d reads what encrypt wrote, decrypt reads what age -e -a wrote; --json, --output and -o -', async () => {
    await writeFile(join(dir, 'secret.yaml'), KUBECONFIG)
    const enc = JSON.parse((await ok(['encrypt', 'secret.yaml', '--encrypt-to', alice.recipient, '--encrypt-to', bob.recipient, '--json'])).stdout)
    assert.deepEqual(enc, {encrypted: true, file: 'secret.yaml', output: 'secret.yaml', recipients: [alice.recipient, bob.recipient]})
    assert.equal(await ageDecrypt(join(dir, 'secret.yaml'), bob.identityFile), KUBECONFIG)
    assert.equal(await ageDecrypt(join(dir, 'secret.yaml'), alice.identityFile), KUBECONFIG)
    const again = await cli(['encrypt', 'secret.yaml'])
    assert.equal(again.exitCode, 1)
    assert.match(again.stderr, /^error: "secret.yaml" is already age-encrypted \(to change its recipients/)

    await ageEncrypt(KUBECONFIG, join(dir, 'armored'), [bob.recipient], true)
    const shown = await ok(['decrypt', 'armored', '--identity', bob.identityFile, '-o', '-'])
    assert.equal(shown.stdout, KUBECONFIG)
    assert.equal(await isAge('armored'), 'armor')
    const out = JSON.parse((await ok(['decrypt', 'armored', '--identity', bob.identityFile, '--output', 'clear.yaml', '--json'])).stdout)
    assert.deepEqual(out, {encrypted: false, file: 'armored', output: 'clear.yaml'})
    assert.equal(await readFile(join(dir, 'clear.yaml'), 'utf8'), KUBECONFIG)
    await ok(['decrypt', 'armored', '--identity', bob.identityFile])
    assert.equal(await readFile(join(dir, 'armored'), 'utf8'), KUBECONFIG)
    const plain = await cli(['decrypt', 'armored'])
    assert.equal(plain.exitCode, 1)
    assert.equal(plain.stderr, 'error: "armored" is not age-encrypted\n')
    const usage = await cli(['encrypt', 'armored', '--encrypt-to', 'ssh-ed25519 AAAA'])
    assert.equal(usage.exitCode, 2, usage.stderr)
  })

  it('an age-encrypted key file is refused for embedding, not embedded as ciphertext; the reference is kept as is', async () => {
    await ok(['pki', 'ca', '--name', 'ca'])
    await ok(['pki', 'issue', '--profile', 'kubernetes-user', '--ca', 'ca.crt', '--user', 'alice', '--name', 'alice'])
    await ok(['encrypt', 'alice.key', '--identity', alice.identityFile])
    await writeFile(join(dir, 'config'), 'apiVersion: v1\nkind: Config\n')
    const before = await readFile(join(dir, 'config'))
    const r = await cli(['kubeconfig', 'set-credentials', 'alice', '--client-certificate', 'alice.crt', '--client-key', 'alice.key', '--embed-certs', '--kubeconfig', 'config'])
    assert.equal(r.exitCode, 1)
    assert.match(r.stderr, /^error: client-key file \S*alice.key is age-encrypted and cannot be embedded yet \([^\n]*\)\n$/)
    assert.deepEqual(await readFile(join(dir, 'config')), before)
    await ok(['kubeconfig', 'set-credentials', 'alice', '--client-certificate', 'alice.crt', '--client-key', 'alice.key', '--kubeconfig', 'config'])
    const flat = await cli(['kubeconfig', 'view', '--flatten', '--kubeconfig', 'config'])
    assert.equal(flat.exitCode, 1)
    assert.match(flat.stderr, /age-encrypted and cannot be embedded yet/)
  })

  it('start-up is unchanged for plain files: the age library is required only for an age file', async () => {
    const trace = join(dir, 'trace.cjs')
    await writeFile(trace, `const M = require('module'); const load = M._load
M._load = function (request, ...rest) { if (/age-encryption/.test(request)) process.stderr.write('loaded age-encryption\\n'); return load.call(this, request, ...rest) }`)
    await writeFile(join(dir, 'plain'), KUBECONFIG)
    await ageEncrypt(KUBECONFIG, join(dir, 'config'), [alice.recipient])
    const traced = (file: string) => runProgram(process.execPath, ['--require', trace, cliPath, 'kubeconfig', 'current-context', '--kubeconfig', file], {cwd: dir, env})
    const plain = await traced('plain')
    assert.equal(plain.stdout, 'admin@prod\n')
    assert.doesNotMatch(plain.stderr, /loaded age-encryption/)
    const encrypted = await traced('config')
    assert.equal(encrypted.stdout, 'admin@prod\n')
    assert.match(encrypted.stderr, /loaded age-encryption/)
  })

  it('refuses a SOPS-encrypted kubeconfig with one line', async () => {
    await writeFile(join(dir, 'config'), 'users: ENC[AES256_GCM,data:AA==,iv:AA==,tag:AA==,type:str]\nsops:\n    age:\n        - recipient: x\n    mac: ENC[AES256_GCM,data:AA==,iv:AA==,tag:AA==,type:str]\n')
    const r = await cli(['kubeconfig', 'view', '--kubeconfig', 'config'])
    assert.equal(r.exitCode, 1)
    assert.match(r.stderr, /^error: kubeconfig "config" is SOPS-encrypted, which authctl does not read yet \([^\n]*\)\n$/)
  })

  it('no plaintext file appears in the kubeconfig directory or TMPDIR while set-context rewrites an encrypted kubeconfig', async () => {
    const home = join(dir, 'kube')
    const tmp = join(dir, 'tmp')
    await mkdir(home)
    await mkdir(tmp)
    const edits = (file: string) => async () => {
      for (let i = 0; i < 5; i++) await ok(['kubeconfig', 'set-context', `c${i}`, '--namespace', `${MARKER}-${i}`, '--kubeconfig', file], {TMPDIR: tmp})
    }
    // Control: the same edits of a plain kubeconfig are seen by the watcher.
    await writeFile(join(home, 'plain'), 'apiVersion: v1\nkind: Config\n')
    assert.ok((await watchForMarker([home, tmp], MARKER, edits(join(home, 'plain')))).length > 0)
    await runProgram('rm', [join(home, 'plain')])
    await ageEncrypt('apiVersion: v1\nkind: Config\n', join(home, 'config'), [alice.recipient])
    assert.deepEqual(await watchForMarker([home, tmp], MARKER, edits(join(home, 'config'))), [])
    assert.match(await ageDecrypt(join(home, 'config'), alice.identityFile), new RegExp(`namespace: ${MARKER}-4`))
  })
})
