import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {mkdir, readdir, readFile, stat, symlink, writeFile} from 'node:fs/promises'
import {createServer, type AddressInfo} from 'node:net'
import {dirname, join} from 'node:path'

import {cliPath, makeTempDir, repoRoot, runCli, runProgram} from '../helpers/cli.js'

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

  describe('"Next:" lines run as printed from where the user is', function () {
    this.timeout(60_000)
    // The user's shell: PATH without authctl (a checkout after `npm ci && npm run build`).
    const shellEnv = (extra: NodeJS.ProcessEnv = {}) => ({HOME: dir, PATH: dirname(process.execPath) + ':/usr/bin:/bin', ...extra})
    const nextLines = (stdout: string) => stdout.slice(stdout.indexOf('Next:\n') + 6).split('\n').map((l) => l.trim()).filter(Boolean)
    const freePort = () => new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const {port} = probe.address() as AddressInfo
        probe.close(() => resolve(port))
      })
    })

    it('from the checkout: ./bin/run.cjs …, and every line works in a shell without authctl on PATH', async () => {
      const sandbox = join(dir, 'my sandbox')
      const port = await freePort()
      const q = await runProgram(process.execPath, ['./bin/run.cjs', 'quickstart', '--dir', sandbox, '--server', `https://127.0.0.1:${port}`], {cwd: repoRoot, env: shellEnv()})
      assert.equal(q.exitCode, 0, q.stderr)
      const [serve, exportLine, ...checks] = nextLines(q.stdout)
      assert.match(serve, /^\.\/bin\/run\.cjs serve --config '.*my sandbox\/server\.yaml'$/)
      assert.ok(checks.every((l) => l.startsWith('./bin/run.cjs ')), checks.join('\n'))
      // The serve line in one shell (exec: the pid is the server's, stopped below), the rest in another.
      const server = spawn('sh', ['-c', `exec ${serve}`], {cwd: repoRoot, env: shellEnv(), stdio: ['ignore', 'pipe', 'pipe']})
      try {
        await new Promise<void>((resolve, reject) => {
          let out = ''
          const seen = (d: Buffer) => {
            out += d
            if (/serving on/.test(out)) resolve()
          }
          server.stdout.on('data', seen)
          server.stderr.on('data', seen)
          server.on('exit', (code) => reject(new Error(`serve exited ${code}: ${out}`)))
        })
        for (const line of checks) {
          const r = await runProgram('sh', ['-c', `${exportLine}\n${line}`], {cwd: repoRoot, env: shellEnv()})
          assert.equal(r.exitCode, 0, `${line}: ${r.stderr}`)
        }
      } finally {
        server.kill()
      }
    })

    it('with authctl on PATH: authctl …; from another directory: the script\'s absolute path', async () => {
      const bin = join(dir, 'bin')
      await mkdir(bin)
      await symlink(cliPath, join(bin, 'authctl'))
      const onPath = await runProgram(process.execPath, [cliPath, 'quickstart', '--dir', join(dir, 'a')], {cwd: dir, env: shellEnv({PATH: `${bin}:${shellEnv().PATH}`})})
      assert.ok(nextLines(onPath.stdout).filter((l) => !l.startsWith('export')).every((l) => l.startsWith('authctl ')), onPath.stdout)
      const elsewhere = await runProgram(process.execPath, [cliPath, 'quickstart', '--dir', join(dir, 'b')], {cwd: dir, env: shellEnv()})
      const talos = nextLines(elsewhere.stdout).at(-1)!
      assert.ok(talos.startsWith(`${cliPath} talosconfig info`), talos)
      const r = await runProgram('sh', ['-c', talos], {cwd: dir, env: shellEnv()})
      assert.match(r.stdout, /^Roles: +os:operator$/m)
    })
  })
})
