// --identity, --encrypt-to and --recipients-file on the kubeconfig, talosconfig, pki and doctor commands: identities
// named on the command line only (no AUTHCTL_AGE_IDENTITY_FILE, no SOPS default), judged by Debian's age and openssl.
import assert from 'node:assert/strict'
import {readdir, readFile, rm, writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {get} from 'node:https'

import {ageFormat} from '../../../src/lib/files/age.js'
import {startServer} from '../../../src/lib/server/index.js'
import {makeTempDir, runCli, runProgram} from '../../helpers/cli.js'
import {ageDecrypt, ageEncrypt, type AgeKey, keygen} from '../../helpers/age.js'
import {KUBECTL} from '../kubeconfig/fixtures.js'

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
current-context: admin@prod
users:
- name: admin
  user:
    token: secret-token
`

describe('age flags on the credential commands (identities from --identity only)', function () {
  this.timeout(120_000)
  let dir: string
  let cleanup: () => Promise<void>
  let alice: AgeKey
  let bob: AgeKey
  // No identity in the environment, and HOME has no SOPS keys file: only --identity can open a file.
  const env = () => ({AUTHCTL_AGE_IDENTITY_FILE: '', AUTHCTL_AGE_RECIPIENTS_FILE: '', HOME: dir, KUBECONFIG: '', SOPS_AGE_KEY_FILE: '', TALOSCONFIG: '', XDG_CONFIG_HOME: ''})
  const cli = (args: string[]) => runCli(args, {cwd: dir, env: env()})
  const ok = async (args: string[]) => {
    const r = await cli(args)
    assert.equal(r.exitCode, 0, `authctl ${args.join(' ')}: ${r.stderr}`)
    return r
  }
  const fails = async (args: string[], pattern: RegExp) => {
    const r = await cli(args)
    assert.equal(r.exitCode, 1, `authctl ${args.join(' ')} should fail: ${r.stdout}${r.stderr}`)
    assert.equal(r.stderr.trimEnd().split('\n').length, 1, r.stderr)
    assert.match(r.stderr, pattern)
  }
  const isAge = async (file: string) => ageFormat(await readFile(join(dir, file)))
  const NO_IDENTITY = /^error: no age identity found /
  const WRONG_IDENTITY = /^error: cannot decrypt .*no identity in "[^"]*alice\.txt" matches its recipients/

  beforeEach(async () => {
    ;({cleanup, dir} = await makeTempDir('authctl-age-flags-'))
    alice = await keygen(dir, 'alice')
    bob = await keygen(dir, 'bob')
  })
  afterEach(() => cleanup())

  it('kubeconfig view, get-contexts, set-context, use-context and merge open encrypted kubeconfigs with --identity and keep them encrypted', async () => {
    await ageEncrypt(KUBECONFIG, join(dir, 'config'), [alice.recipient])
    await writeFile(join(dir, 'plain'), KUBECONFIG)
    await fails(['kubeconfig', 'view', '--kubeconfig', 'config', '--raw'], NO_IDENTITY)
    const theirs = await runProgram(KUBECTL, ['config', 'view', '--kubeconfig', 'plain', '--raw'], {cwd: dir})
    const ours = await ok(['kubeconfig', 'view', '--kubeconfig', 'config', '--raw', '--identity', 'alice.txt'])
    assert.equal(ours.stdout, theirs.stdout)
    assert.match((await ok(['kubeconfig', 'get-contexts', '--kubeconfig', 'config', '--identity', 'alice.txt'])).stdout, /admin@prod/)
    await ok(['kubeconfig', 'set-context', 'dev', '--cluster', 'prod', '--user', 'admin', '--kubeconfig', 'config', '--identity', 'alice.txt'])
    assert.equal(await isAge('config'), 'binary')
    assert.match(await ageDecrypt(join(dir, 'config'), alice.identityFile), /name: dev/)
    // --encrypt-to replaces the recipients: afterwards only bob opens it.
    await ok(['kubeconfig', 'use-context', 'dev', '--kubeconfig', 'config', '--identity', 'alice.txt', '--encrypt-to', bob.recipient])
    assert.match(await ageDecrypt(join(dir, 'config'), bob.identityFile), /current-context: dev/)
    await fails(['kubeconfig', 'current-context', '--kubeconfig', 'config', '--identity', 'alice.txt'], WRONG_IDENTITY)
    assert.equal((await ok(['kubeconfig', 'current-context', '--kubeconfig', 'config', '--identity', 'bob.txt'])).stdout, 'dev\n')
    // merge: an encrypted source (alice's) into the encrypted target (bob's), both opened by --identity.
    await ageEncrypt(KUBECONFIG.replaceAll('prod', 'extra').replace('admin@extra', 'admin@staging').replaceAll('name: admin', 'name: ops').replace('user: admin', 'user: ops'), join(dir, 'extra'), [alice.recipient])
    await ok(['kubeconfig', 'merge', 'extra', '--into', 'config', '--identity', 'alice.txt', '--identity', 'bob.txt'])
    assert.match(await ageDecrypt(join(dir, 'config'), bob.identityFile), /name: extra/)
  })

  it('talosconfig contexts, endpoint, talos whoami and can-i read an encrypted talosconfig with --identity', async () => {
    await ok(['pki', 'ca', '--profile', 'talos', '--name', 'os'])
    await ok(['talosconfig', 'new', 'talosconfig', '--ca', 'os.crt', '--ca-key', 'os.key', '--context', 'prod', '--endpoints', '10.0.0.1', '--roles', 'os:reader'])
    await ageEncrypt(await readFile(join(dir, 'talosconfig')), join(dir, 'talosconfig'), [alice.recipient], true)
    await fails(['talosconfig', 'contexts', '--talosconfig', 'talosconfig'], NO_IDENTITY)
    assert.match((await ok(['talosconfig', 'contexts', '--talosconfig', 'talosconfig', '--identity', 'alice.txt'])).stdout, /prod/)
    await ok(['talosconfig', 'endpoint', '10.0.0.7', '--talosconfig', 'talosconfig', '--identity', 'alice.txt'])
    assert.equal(await isAge('talosconfig'), 'armor')
    assert.match(await ageDecrypt(join(dir, 'talosconfig'), alice.identityFile), /10\.0\.0\.7/)
    const whoami = JSON.parse((await ok(['talos', 'whoami', '--offline', '--talosconfig', 'talosconfig', '--identity', 'alice.txt', '--json'])).stdout)
    assert.match(JSON.stringify(whoami), /os:reader/)
    const r = await ok(['talos', 'can-i', 'Version', '--talosconfig', 'talosconfig', '--identity', 'alice.txt'])
    assert.match(r.stdout, /yes/)
  })

  it('pki issue signs with an age-encrypted CA key opened by --identity; openssl verifies the result', async () => {
    await ok(['pki', 'ca', '--name', 'ca'])
    await ageEncrypt(await readFile(join(dir, 'ca.key')), join(dir, 'ca.key.age'), [alice.recipient])
    await rm(join(dir, 'ca.key'))
    const issue = ['pki', 'issue', '--profile', 'kubernetes-user', '--user', 'jane', '--group', 'dev', '--name', 'jane', '--ca', 'ca.crt', '--ca-key', 'ca.key.age']
    await fails(issue, NO_IDENTITY)
    assert.deepEqual((await readdir(dir)).filter((f) => f.startsWith('jane')), [])
    await ok([...issue, '--identity', 'alice.txt'])
    const verify = await runProgram('openssl', ['verify', '-CAfile', 'ca.crt', 'jane.crt'], {cwd: dir})
    assert.equal(verify.exitCode, 0, verify.stderr)
    assert.equal(await isAge('jane.key'), undefined)
  })

  it('pki ca --encrypt-to writes a key that age -d opens, with the certificate and fingerprint in plain text', async () => {
    await ok(['pki', 'ca', '--name', 'ca', '--encrypt-to', alice.recipient])
    assert.equal(await isAge('ca.key'), 'binary')
    assert.equal(await isAge('ca.crt'), undefined)
    assert.equal(await isAge('ca.sha256'), undefined)
    const key = await ageDecrypt(join(dir, 'ca.key'), alice.identityFile)
    await writeFile(join(dir, 'ca.key.plain'), key, {mode: 0o600})
    const check = await runProgram('openssl', ['x509', '-in', 'ca.crt', '-noout', '-pubkey'], {cwd: dir})
    const fromKey = await runProgram('openssl', ['pkey', '-in', 'ca.key.plain', '-pubout'], {cwd: dir})
    assert.equal(check.stdout, fromKey.stdout)
    // --recipients-file on pki key, the same way.
    await writeFile(join(dir, 'team.txt'), `# team\n${bob.recipient}\n`)
    await ok(['pki', 'key', '--out', 'bob.key', '--recipients-file', 'team.txt'])
    assert.match(await ageDecrypt(join(dir, 'bob.key'), bob.identityFile), /PRIVATE KEY/)
  })

  it('doctor checks an encrypted kubeconfig whose client key is encrypted too, with --identity', async () => {
    await ok(['pki', 'ca', '--name', 'ca'])
    await ok(['pki', 'issue', '--profile', 'kubernetes-user', '--user', 'jane', '--name', 'jane', '--ca', 'ca.crt'])
    await ageEncrypt(await readFile(join(dir, 'jane.key')), join(dir, 'jane.key.age'), [alice.recipient])
    await rm(join(dir, 'jane.key'))
    const config = `apiVersion: v1
kind: Config
clusters:
- cluster:
    server: https://127.0.0.1:1
    certificate-authority: ca.crt
  name: c
contexts:
- context:
    cluster: c
    user: jane
  name: jane@c
current-context: jane@c
users:
- name: jane
  user:
    client-certificate: jane.crt
    client-key: jane.key.age
`
    await ageEncrypt(config, join(dir, 'config'), [alice.recipient])
    await fails(['doctor', '--offline', '--kubeconfig', 'config'], NO_IDENTITY)
    const r = await cli(['doctor', '--offline', '--kubeconfig', 'config', '--identity', 'alice.txt', '--json'])
    const report = JSON.parse(r.stdout)
    const checks = report.contexts[0].checks as Array<{name: string; status: string; message: string}>
    assert.equal(report.ok, true, JSON.stringify(checks))
    assert.equal(r.exitCode, 0)
    const keyCheck = checks.find((c) => c.name === 'client key matches certificate')
    assert.equal(keyCheck?.status, 'pass', JSON.stringify(checks))
    assert.equal(checks.find((c) => c.name === 'client certificate CA')?.status, 'pass')
  })

  it('pki issue --encrypt-to writes an encrypted server key; serve opens it with the age identity and serves TLS with it', async () => {
    await ok(['pki', 'ca', '--name', 'ca'])
    await ok(['pki', 'issue', '--profile', 'server', '--cn', 'localhost', '--ip', '127.0.0.1', '--name', 'srv', '--ca', 'ca.crt', '--encrypt-to', alice.recipient])
    assert.equal(await isAge('srv.key'), 'binary')
    assert.equal(await isAge('srv.crt'), undefined)
    const options = {certDir: join(dir, 'serve'), host: '127.0.0.1', port: 0, tlsCertFile: join(dir, 'srv.crt'), tlsKeyFile: join(dir, 'srv.key')}
    await assert.rejects(startServer({...options, age: {env: {HOME: dir}}}), /no age identity found/)
    const server = await startServer({...options, age: {env: {HOME: dir}, identityFiles: [alice.identityFile]}})
    try {
      const ca = await readFile(join(dir, 'ca.crt'))
      const status = await new Promise<number>((resolve, reject) => {
        get(`${server.url}/version`, {ca}, (res) => {
          res.resume()
          resolve(res.statusCode ?? 0)
        }).on('error', reject)
      })
      assert.equal(status, 200)
    } finally {
      await server.close()
    }
  })

  it('auth whoami authenticates with an encrypted kubeconfig whose client key is encrypted, opened by --identity', async () => {
    await ok(['pki', 'ca', '--name', 'ca'])
    await ok(['pki', 'issue', '--profile', 'kubernetes-user', '--user', 'jane', '--group', 'dev', '--name', 'jane', '--ca', 'ca.crt', '--encrypt-to', alice.recipient])
    assert.equal(await isAge('jane.key'), 'binary')
    const server = await startServer({certDir: join(dir, 'serve'), clientCAFile: join(dir, 'ca.crt'), host: '127.0.0.1', port: 0})
    try {
      await writeFile(join(dir, 'server-ca.crt'), server.caCertificate)
      await ageEncrypt(`apiVersion: v1
kind: Config
clusters:
- cluster: {server: "${server.url}", certificate-authority: server-ca.crt}
  name: c
contexts:
- context: {cluster: c, user: jane}
  name: jane@c
current-context: jane@c
users:
- name: jane
  user: {client-certificate: jane.crt, client-key: jane.key}
`, join(dir, 'config'), [alice.recipient], true)
      await fails(['auth', 'whoami', '--kubeconfig', 'config'], NO_IDENTITY)
      const review = JSON.parse((await ok(['auth', 'whoami', '--kubeconfig', 'config', '--identity', 'alice.txt', '-o', 'json'])).stdout)
      assert.equal(review.status.userInfo.username, 'jane')
      assert.deepEqual(review.status.userInfo.groups, ['dev', 'system:authenticated'])
    } finally {
      await server.close()
    }
  })
})
