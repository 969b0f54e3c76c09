// auth can-i --exit-code-detail: 0 yes and 1 no from a real `authctl serve` on 127.0.0.1, and 3 (not kubectl's 1)
// when the server cannot be reached; without the flag the codes stay kubectl's.
import assert from 'node:assert/strict'
import {readFile, writeFile} from 'node:fs/promises'
import {createServer} from 'node:net'
import {join} from 'node:path'

import {makeTempDir, runCli} from '../../helpers/cli.js'
import {startServe, type ServeProcess} from '../../helpers/serve-process.js'

/** A 127.0.0.1 port that was just free and is now closed (nothing listens on it). */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const {port} = server.address() as {port: number}
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

describe('authctl auth can-i --exit-code-detail', function () {
  this.timeout(120_000)
  let tmp: Awaited<ReturnType<typeof makeTempDir>>
  let serve: ServeProcess
  let live: string
  let dead: string

  before(async () => {
    tmp = await makeTempDir('authctl-can-i-exit-')
    live = join(tmp.dir, 'live.kubeconfig')
    dead = join(tmp.dir, 'dead.kubeconfig')
    serve = await startServe(['--cert-dir', join(tmp.dir, 'certs'), '--write-kubeconfig', live])
    const text = await readFile(live, 'utf8')
    const port = new URL(serve.url).port
    assert.ok(text.includes(`127.0.0.1:${port}`))
    await writeFile(dead, text.replace(`127.0.0.1:${port}`, `127.0.0.1:${await closedPort()}`), {mode: 0o600})
  })
  after(async () => {
    await serve?.stop()
    await tmp?.cleanup()
  })

  it('answers 0 for yes and 1 for no, as without the flag', async () => {
    const yes = await runCli(['auth', 'can-i', 'get', 'pods', '--kubeconfig', live, '--exit-code-detail'])
    assert.equal(yes.stdout, 'yes\n')
    assert.equal(yes.exitCode, 0, yes.stderr)
    const no = await runCli(['auth', 'can-i', 'get', 'pods', '--kubeconfig', live, '--as', 'jane', '--exit-code-detail'])
    assert.equal(no.stdout, 'no\n')
    assert.equal(no.exitCode, 1, no.stderr)
  })

  it('exits 3 when the server is unreachable; kubectl\'s 1 without the flag', async () => {
    const plain = await runCli(['auth', 'can-i', 'get', 'pods', '--kubeconfig', dead])
    assert.equal(plain.exitCode, 1)
    assert.match(plain.stderr, /^error: The connection to the server 127\.0\.0\.1:\d+ was refused/)
    const detail = await runCli(['auth', 'can-i', 'get', 'pods', '--kubeconfig', dead, '--exit-code-detail'])
    assert.equal(detail.exitCode, 3)
    assert.equal(detail.stdout, '')
    assert.equal(detail.stderr, plain.stderr)
    const list = await runCli(['auth', 'can-i', '--list', '--kubeconfig', dead, '--exit-code-detail'])
    assert.equal(list.exitCode, 3)
  })

  it('--batch exits 3 when a check could not be answered', async () => {
    const batch = join(tmp.dir, 'checks.yaml')
    await writeFile(batch, '- {verb: get, resource: pods, expect: yes}\n')
    const ok = await runCli(['auth', 'can-i', '--batch', batch, '--kubeconfig', live, '--exit-code-detail'])
    assert.equal(ok.exitCode, 0, ok.stderr)
    const down = await runCli(['auth', 'can-i', '--batch', batch, '--kubeconfig', dead, '--exit-code-detail'])
    assert.equal(down.exitCode, 3, down.stderr)
  })

  it('usage errors stay exit 2', async () => {
    const r = await runCli(['auth', 'can-i', 'get', '--kubeconfig', live, '--exit-code-detail'])
    assert.equal(r.exitCode, 2)
  })
})
