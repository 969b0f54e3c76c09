import assert from 'node:assert/strict'
import {readdir, readFile, stat, writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {makeTempDir, runCli, runProgram} from '../helpers/cli.js'

const kubectl = '/usr/lib/google-cloud-sdk/bin/kubectl.1.32'

describe('authctl quickstart (built CLI)', () => {
  let dir: string
  let cleanup: () => Promise<void>
  beforeEach(async () => ({cleanup, dir} = await makeTempDir()))
  afterEach(() => cleanup())

  it('creates a sandbox that kubectl and openssl accept, with secrets 0600', async () => {
    const sandbox = join(dir, 'qs')
    const r = await runCli(['quickstart', '--dir', sandbox, '--json'])
    assert.equal(r.exitCode, 0, r.stderr)
    const doc = JSON.parse(r.stdout)
    assert.deepEqual(doc.identities.map((i: {context: string}) => i.context), ['admin', 'jane', 'reader', 'ci'])
    for (const secret of ['ca.key', 'server.key', 'admin.key', 'jane.key', 'sa.key', 'tokens.csv', 'ci.token', 'kubeconfig']) {
      assert.equal((await stat(join(sandbox, secret))).mode & 0o777, 0o600, secret)
    }
    const contexts = await runProgram(kubectl, ['config', 'get-contexts', '-o', 'name'], {env: {KUBECONFIG: join(sandbox, 'kubeconfig')}})
    assert.equal(contexts.stdout, 'admin\nci\njane\nreader\n')
    for (const user of ['admin', 'jane']) {
      const v = await runProgram('openssl', ['verify', '-purpose', 'sslclient', '-CAfile', join(sandbox, 'ca.crt'), join(sandbox, `${user}.crt`)])
      assert.equal(v.exitCode, 0, v.stderr)
    }
    const server = await runProgram('openssl', ['verify', '-purpose', 'sslserver', '-CAfile', join(sandbox, 'ca.crt'), join(sandbox, 'server.crt')])
    assert.equal(server.exitCode, 0, server.stderr)
    const subject = await runProgram('openssl', ['x509', '-noout', '-subject', '-in', join(sandbox, 'admin.crt')])
    assert.match(subject.stdout, /O ?= ?system:masters, CN ?= ?admin/)
    const talos = await runCli(['talosconfig', 'contexts', '--talosconfig', join(sandbox, 'talosconfig'), '--json'])
    assert.equal(talos.exitCode, 0, talos.stderr)
    const info = await runCli(['talosconfig', 'info', '--talosconfig', join(sandbox, 'talosconfig'), '--context', 'operator'])
    assert.match(info.stdout, /^Roles: +os:operator$/m)
  })

  it('refuses to overwrite an existing sandbox without --force, writing nothing', async () => {
    await writeFile(join(dir, 'ca.key'), 'mine')
    const r = await runCli(['quickstart', '--dir', dir])
    assert.equal(r.exitCode, 1)
    assert.match(r.stderr, /^error: .*ca\.key" already exists \(use --force to overwrite\)\n$/)
    assert.deepEqual(await readdir(dir), ['ca.key'])
    assert.equal(await readFile(join(dir, 'ca.key'), 'utf8'), 'mine')
    assert.equal((await runCli(['quickstart', '--dir', dir, '--force'])).exitCode, 0)
    assert.notEqual(await readFile(join(dir, 'ca.key'), 'utf8'), 'mine')
  })

  it('rejects a non-https server URL', async () => {
    const r = await runCli(['quickstart', '--dir', dir, '--server', 'http://127.0.0.1:6443'])
    assert.equal(r.exitCode, 2)
    assert.deepEqual(await readdir(dir), [])
  })
})
