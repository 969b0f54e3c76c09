// The kubeconfig commands as a user runs them: comments kept, writes back to the origin file, bad input writes
// nothing, locks wait and report stale ones.
import assert from 'node:assert/strict'
import {mkdir, readFile, stat, utimes, writeFile, unlink} from 'node:fs/promises'
import {delimiter, join} from 'node:path'

import {makeTempDir, runCli, runProgram} from '../../helpers/cli.js'
import {tempFilesOf, waitUntil} from '../../helpers/files.js'
import {FIXTURE_CA_PEM, FIXTURE_CLIENT_CERT_PEM, FIXTURE_CLIENT_KEY_PEM} from '../../helpers/fixture-pems.js'

const KUBECTL = '/usr/lib/google-cloud-sdk/bin/kubectl.1.32'

const BASE = `# team clusters, edited by hand
apiVersion: v1
kind: Config
current-context: dev
clusters:
- name: dev # the laptop one
  cluster:
    server: https://127.0.0.1:6443
contexts:
- name: dev
  context:
    cluster: dev
    user: dev
users:
- name: dev
  user:
    token: abc
`

describe('authctl kubeconfig editing commands', function () {
  this.timeout(60_000)
  let temp: Awaited<ReturnType<typeof makeTempDir>>
  let file: string
  let env: NodeJS.ProcessEnv
  beforeEach(async () => {
    temp = await makeTempDir('authctl-kc-edit-')
    file = join(temp.dir, 'config')
    await writeFile(file, BASE)
    env = {HOME: temp.dir, KUBECACHEDIR: join(temp.dir, '.cache'), KUBECONFIG: file}
  })
  afterEach(async () => temp.cleanup())

  it('keeps comments and key order when editing, and kubectl reads the result', async () => {
    const r = await runCli(['kubeconfig', 'set-context', 'dev', '--namespace', 'apps'], {env})
    assert.equal(r.exitCode, 0, r.stderr)
    assert.equal(r.stdout, 'Context "dev" modified.\n')
    const text = await readFile(file, 'utf8')
    assert.match(text, /^# team clusters, edited by hand\napiVersion: v1\nkind: Config\ncurrent-context: dev\n/)
    assert.match(text, /- name: dev # the laptop one\n/)
    assert.match(text, /    namespace: apps\n/)
    const k = await runProgram(KUBECTL, ['config', 'get-contexts'], {env})
    assert.equal(k.stdout, 'CURRENT   NAME   CLUSTER   AUTHINFO   NAMESPACE\n*         dev    dev       dev        apps\n')
  })

  it('set-credentials embeds certificates and token replaces basic auth; --json returns the result', async () => {
    await writeFile(join(temp.dir, 'c.crt'), FIXTURE_CLIENT_CERT_PEM)
    await writeFile(join(temp.dir, 'c.key'), FIXTURE_CLIENT_KEY_PEM)
    let r = await runCli(['kubeconfig', 'set-credentials', 'dev', '--username', 'u', '--password', 'p'], {env})
    assert.equal(r.stdout, 'User "dev" set.\n')
    r = await runCli(['kubeconfig', 'set-credentials', 'dev', '--client-certificate', 'c.crt', '--client-key', 'c.key', '--embed-certs', '--token', 't2', '--json'], {cwd: temp.dir, env})
    assert.equal(r.exitCode, 0, r.stderr)
    assert.deepEqual(JSON.parse(r.stdout).files, [file])
    const view = JSON.parse((await runProgram(KUBECTL, ['config', 'view', '--raw', '-o', 'json'], {env})).stdout)
    const b64 = (s: string) => Buffer.from(s).toString('base64')
    assert.deepEqual(view.users[0].user, {'client-certificate-data': b64(FIXTURE_CLIENT_CERT_PEM), 'client-key-data': b64(FIXTURE_CLIENT_KEY_PEM), token: 't2'})
  })

  it('--embed-certs parses first: a truncated PEM, a key of another certificate or an encrypted key is refused, nothing written', async () => {
    const w = (name: string, text: string) => writeFile(join(temp.dir, name), text)
    await w('jane.crt', FIXTURE_CLIENT_CERT_PEM)
    await w('jane.key', FIXTURE_CLIENT_KEY_PEM)
    await w('truncated.crt', FIXTURE_CLIENT_CERT_PEM.slice(0, 300))
    await w('cut-body.crt', FIXTURE_CLIENT_CERT_PEM.replace(/\n[A-Za-z0-9+/=]+\n-----END/, '\n-----END'))
    await w('ca.crt', FIXTURE_CA_PEM)
    await w('not-a-ca.pem', FIXTURE_CLIENT_KEY_PEM)
    const {execFileSync} = await import('node:child_process')
    execFileSync('openssl', ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', join(temp.dir, 'other.key')])
    execFileSync('openssl', ['pkey', '-in', join(temp.dir, 'jane.key'), '-aes256', '-passout', 'pass:x', '-out', join(temp.dir, 'enc.key')])
    const before = await readFile(file, 'utf8')
    const cases: Array<[string[], RegExp]> = [
      [['set-credentials', 'z', '--client-certificate', 'truncated.crt', '--client-key', 'jane.key', '--embed-certs'], /^error: invalid client-certificate "truncated\.crt": truncated PEM/],
      [['set-credentials', 'z', '--client-certificate', 'cut-body.crt', '--client-key', 'jane.key', '--embed-certs'], /^error: invalid client-certificate "cut-body\.crt": /],
      [['set-credentials', 'z', '--client-certificate', 'jane.crt', '--client-key', 'other.key', '--embed-certs'], /^error: client-key "other\.key" does not match client-certificate "jane\.crt" \(CN=fixture-user, O=dev\) \(pass the key/],
      [['set-credentials', 'z', '--client-certificate', 'jane.crt', '--client-key', 'enc.key', '--embed-certs'], /^error: client-key "enc\.key" is encrypted, which kubectl cannot use/],
      [['set-credentials', 'z', '--client-certificate', 'jane.key', '--embed-certs'], /^error: invalid client-certificate "jane\.key": expected only CERTIFICATE blocks/],
      [['set-cluster', 'dev', '--certificate-authority', 'not-a-ca.pem', '--embed-certs'], /^error: invalid certificate-authority "not-a-ca\.pem": expected only CERTIFICATE blocks/],
      [['set-cluster', 'dev', '--certificate-authority', 'truncated.crt', '--embed-certs'], /^error: invalid certificate-authority "truncated\.crt": truncated PEM/],
    ]
    for (const [args, message] of cases) {
      const r = await runCli(['kubeconfig', ...args], {cwd: temp.dir, env})
      assert.equal(r.exitCode, 1, args.join(' '))
      assert.match(r.stderr, message, args.join(' '))
      assert.equal(r.stdout, '')
      assert.equal(await readFile(file, 'utf8'), before, args.join(' '))
    }
    // A key embedded alone is checked against the certificate already embedded in the entry.
    let r = await runCli(['kubeconfig', 'set-credentials', 'z', '--client-certificate', 'jane.crt', '--client-key', 'jane.key', '--embed-certs'], {cwd: temp.dir, env})
    assert.equal(r.exitCode, 0, r.stderr)
    r = await runCli(['kubeconfig', 'set-credentials', 'z', '--client-key', 'other.key', '--embed-certs'], {cwd: temp.dir, env})
    assert.equal(r.exitCode, 1)
    assert.match(r.stderr, /^error: client-key "other\.key" does not match client-certificate \(already embedded\)/)
    r = await runCli(['kubeconfig', 'set-cluster', 'dev', '--certificate-authority', 'ca.crt', '--embed-certs'], {cwd: temp.dir, env})
    assert.equal(r.exitCode, 0, r.stderr)
    const view = JSON.parse((await runProgram(KUBECTL, ['config', 'view', '--raw', '-o', 'json'], {env})).stdout)
    assert.equal(Buffer.from(view.clusters[0].cluster['certificate-authority-data'], 'base64').toString(), FIXTURE_CA_PEM)
  })

  it('set-credentials --exec-api-version v1 writes an entry kubectl accepts (interactiveMode defaulted)', async () => {
    const r = await runCli(['kubeconfig', 'set-credentials', 'eks', '--exec-command', 'aws', '--exec-api-version', 'client.authentication.k8s.io/v1', '--exec-arg', 'eks', '--exec-arg', 'get-token', '--exec-env', 'AWS_PROFILE=p'], {env})
    assert.equal(r.exitCode, 0, r.stderr)
    const view = JSON.parse((await runProgram(KUBECTL, ['config', 'view', '-o', 'json'], {env})).stdout)
    assert.deepEqual(view.users.find((u: any) => u.name === 'eks').user.exec, {
      apiVersion: 'client.authentication.k8s.io/v1', args: ['eks', 'get-token'], command: 'aws', env: [{name: 'AWS_PROFILE', value: 'p'}], interactiveMode: 'IfAvailable', provideClusterInfo: false,
    })
  })

  it('delete-context --cascade removes the cluster and user only when no other context uses them', async () => {
    await runCli(['kubeconfig', 'set-context', 'dev2', '--cluster', 'dev', '--user', 'other'], {env})
    await runCli(['kubeconfig', 'set-credentials', 'other', '--token', 'x'], {env})
    const r = await runCli(['kubeconfig', 'delete-context', 'dev2', '--cascade'], {env})
    assert.equal(r.exitCode, 0, r.stderr)
    assert.equal(r.stdout, `deleted context dev2 from ${file}\ndeleted user other from ${file}\n`)
    const view = JSON.parse((await runProgram(KUBECTL, ['config', 'view', '-o', 'json'], {env})).stdout)
    assert.deepEqual(view.clusters.map((c: any) => c.name), ['dev'])
    assert.deepEqual(view.users.map((c: any) => c.name), ['dev'])
    const current = await runCli(['kubeconfig', 'delete-context', 'dev'], {env})
    assert.equal(current.stderr, 'warning: this removed your active context, use "kubectl config use-context" to select a different one\n')
  })

  it('rename-context stays in the origin file and moves current-context', async () => {
    const other = join(temp.dir, 'other.yaml')
    await writeFile(other, 'contexts:\n- name: far\n  context: {cluster: dev, user: dev}\n')
    const twoEnv = {...env, KUBECONFIG: [file, other].join(delimiter)}
    let r = await runCli(['kubeconfig', 'rename-context', 'far', 'near'], {env: twoEnv})
    assert.equal(r.stdout, 'Context "far" renamed to "near".\n')
    assert.match(await readFile(other, 'utf8'), /name: near/)
    assert.doesNotMatch(await readFile(file, 'utf8'), /near/)
    r = await runCli(['kubeconfig', 'rename-context', 'dev', 'main'], {env: twoEnv})
    assert.match(await readFile(file, 'utf8'), /current-context: main/)
    assert.equal((await runCli(['kubeconfig', 'current-context'], {env: twoEnv})).stdout, 'main\n')
  })

  const badInputs: Array<[string, string, RegExp]> = [
    ['malformed YAML', 'clusters: [\n', /^error: error loading config file ".*config": yaml: /],
    ['a wrong type', 'clusters:\n- name: a\n  cluster:\n    server: [1]\n', /^error: error loading config file ".*config": clusters\[0\]\.cluster\.server: expected a string, got list/],
    ['duplicate names', 'contexts:\n- name: a\n  context: {cluster: x}\n- name: a\n  context: {cluster: y}\n', /^error: error loading config file ".*config": duplicate context name "a" in contexts/],
    ['bad base64', 'users:\n- name: a\n  user:\n    client-key-data: "%%%"\n', /illegal base64 data/],
  ]
  for (const [what, text, message] of badInputs) {
    it(`${what}: every command fails with a clear error and the file is unchanged`, async () => {
      await writeFile(file, text)
      const before = await stat(file)
      for (const args of [['set-context', 'x', '--namespace', 'n'], ['use-context', 'a'], ['get-contexts'], ['view'], ['merge', file, '--into', join(temp.dir, 'target')]]) {
        const r = await runCli(['kubeconfig', ...args], {env})
        assert.equal(r.exitCode, 1, `${args[0]}: ${r.stderr}`)
        assert.match(r.stderr, message, args[0])
      }
      assert.equal(await readFile(file, 'utf8'), text)
      assert.equal((await stat(file)).mtimeMs, before.mtimeMs)
      await assert.rejects(stat(join(temp.dir, 'target')))
    })
  }

  it('missing referenced files: clear errors, nothing written', async () => {
    let r = await runCli(['kubeconfig', 'set-cluster', 'dev', '--certificate-authority', 'nope.pem', '--embed-certs'], {cwd: temp.dir, env})
    assert.equal(r.stderr, 'error: could not stat certificate-authority file nope.pem: stat nope.pem: no such file or directory\n')
    r = await runCli(['kubeconfig', 'set-credentials', 'dev', '--client-certificate', 'nope.crt'], {cwd: temp.dir, env})
    assert.equal(r.exitCode, 0) // a path is stored as given (absolute), like kubectl
    r = await runCli(['kubeconfig', 'view', '--flatten'], {env})
    assert.equal(r.exitCode, 1)
    assert.equal(r.stderr, `error: open ${join(temp.dir, 'nope.crt')}: no such file or directory\n`)
    const before = await readFile(file, 'utf8')
    r = await runCli(['kubeconfig', 'merge', join(temp.dir, 'missing.yaml')], {env})
    assert.equal(r.exitCode, 1)
    assert.match(r.stderr, /missing\.yaml/)
    assert.equal(await readFile(file, 'utf8'), before)
  })

  it('waits for a held lock, and reports a lock older than a minute as stale with its path', async () => {
    const lock = `${file}.lock`
    await writeFile(lock, '')
    let settled = false
    const pending = runCli(['kubeconfig', 'set-context', 'dev', '--namespace', 'waited'], {env}).finally(() => (settled = true))
    // The writer puts its owner record beside the lock before linking it into place, and keeps it while it waits.
    await waitUntil(async () => (await tempFilesOf(lock)).length > 0 || settled, 'the writer waiting at the lock')
    assert.equal(settled, false, 'the writer waits while the lock is held')
    await unlink(lock)
    const r = await pending
    assert.equal(r.exitCode, 0, r.stderr)
    assert.match(await readFile(file, 'utf8'), /namespace: waited/)
    await writeFile(lock, '')
    const old = new Date(Date.now() - 120_000)
    await utimes(lock, old, old)
    const stale = await runCli(['kubeconfig', 'set-context', 'dev', '--namespace', 'never'], {env})
    assert.equal(stale.exitCode, 1)
    assert.match(stale.stderr, new RegExp(`^error: lock file "${lock.replaceAll('.', '\\.')}" is stale \\(created 2m`))
    assert.doesNotMatch(await readFile(file, 'utf8'), /never/)
  })

  it('creates a missing --kubeconfig file with mode 0600 and keeps an existing file\'s mode', async () => {
    const fresh = join(temp.dir, 'dir', 'new.yaml')
    await mkdir(join(temp.dir, 'dir'))
    const r = await runCli(['kubeconfig', 'set-cluster', 'k', '--server', 'https://k', '--kubeconfig', fresh], {env})
    assert.equal(r.exitCode, 0, r.stderr)
    assert.equal((await stat(fresh)).mode & 0o777, 0o600)
    const {chmod} = await import('node:fs/promises')
    await chmod(file, 0o644)
    await runCli(['kubeconfig', 'use-context', 'dev'], {env})
    assert.equal((await stat(file)).mode & 0o777, 0o644)
  })
  it('creates the missing directories of a kubeconfig it edits (0700), as kubectl does; `new --out` needs an existing directory', async () => {
    const nested = join(temp.dir, 'a', 'b', 'config')
    const r = await runCli(['kubeconfig', 'set-context', 'x', '--cluster', 'k', '--kubeconfig', nested], {env})
    assert.equal(r.exitCode, 0, r.stderr)
    assert.equal((await stat(join(temp.dir, 'a'))).mode & 0o777, 0o700)
    const k = await runProgram(KUBECTL, ['config', 'get-contexts', '-o', 'name', '--kubeconfig', nested], {env})
    assert.equal(k.stdout, 'x\n')
    const ca = await runCli(['pki', 'ca', '--name', 'ca'], {cwd: temp.dir})
    assert.equal(ca.exitCode, 0, ca.stderr)
    const out = join(temp.dir, 'nonexist', 'alice.kubeconfig')
    const n = await runCli(['kubeconfig', 'new', '--ca', 'ca.crt', '--ca-key', 'ca.key', '--user', 'alice', '--server', 'https://k:6443', '--out', out], {cwd: temp.dir, env})
    assert.equal(n.exitCode, 1)
    assert.equal(n.stderr, `error: cannot write ${JSON.stringify(out)}: directory ${JSON.stringify(join(temp.dir, 'nonexist'))} does not exist (create it first, or choose another path)\n`)
    await assert.rejects(stat(join(temp.dir, 'nonexist')))
  })
})
