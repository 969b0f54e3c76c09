// Concurrent writers and killed writers: the lock serialises read-modify-write, the atomic replace means a reader
// never sees a partial file.
import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {cp, readFile, rm, writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {cliPath, makeTempDir, runCli, runProgram} from '../../helpers/cli.js'
import {toKubectlYaml} from '../../../src/lib/kubeconfig/emit-yaml.js'

const KUBECTL = '/usr/lib/google-cloud-sdk/bin/kubectl.1.32'

function bigConfig(prefix: string, n: number) {
  const range = Array.from({length: n}, (_, i) => i)
  return toKubectlYaml({
    apiVersion: 'v1',
    clusters: range.map((i) => ({cluster: {'certificate-authority-data': Buffer.alloc(600, i).toString('base64'), server: `https://${prefix}${i}:6443`}, name: `${prefix}${i}`})),
    contexts: range.map((i) => ({context: {cluster: `${prefix}${i}`, user: `${prefix}${i}`}, name: `${prefix}${i}`})),
    'current-context': '',
    kind: 'Config',
    users: range.map((i) => ({name: `${prefix}${i}`, user: {token: `t${i}`}})),
  })
}

describe('authctl kubeconfig concurrency and crash safety', function () {
  this.timeout(120_000)
  let temp: Awaited<ReturnType<typeof makeTempDir>>
  beforeEach(async () => {
    temp = await makeTempDir('authctl-kc-conc-')
  })
  afterEach(async () => temp.cleanup())

  it('20 processes running set-context and merge on one file at once: all 20 updates land, the file parses', async () => {
    const file = join(temp.dir, 'config')
    await writeFile(file, 'apiVersion: v1\nkind: Config\nclusters:\n- name: k\n  cluster:\n    server: https://k\n')
    const env = {HOME: temp.dir, KUBECACHEDIR: join(temp.dir, '.cache'), KUBECONFIG: file}
    const runs = []
    for (let i = 0; i < 20; i++) {
      if (i % 2 === 0) runs.push(runCli(['kubeconfig', 'set-context', `ctx${i}`, '--cluster', 'k', '--namespace', `ns${i}`], {env}))
      else {
        const source = join(temp.dir, `src${i}.yaml`)
        await writeFile(source, `contexts:\n- name: ctx${i}\n  context:\n    cluster: k\n    user: u${i}\nusers:\n- name: u${i}\n  user:\n    token: t${i}\n`)
        runs.push(runCli(['kubeconfig', 'merge', source, '--into', file], {env}))
      }
    }
    const results = await Promise.all(runs)
    for (const r of results) assert.equal(r.exitCode, 0, r.stderr)
    const k = await runProgram(KUBECTL, ['config', 'get-contexts', '-o', 'name'], {env})
    assert.equal(k.exitCode, 0, k.stderr)
    assert.deepEqual(k.stdout.trim().split('\n').sort(), Array.from({length: 20}, (_, i) => `ctx${i}`).sort())
    const view = JSON.parse((await runProgram(KUBECTL, ['config', 'view', '-o', 'json'], {env})).stdout)
    assert.equal(view.users.length, 10)
  })

  it('a writer killed mid-write leaves the old or the new file, never a truncated one', async () => {
    const file = join(temp.dir, 'config')
    const source = join(temp.dir, 'big.yaml')
    await writeFile(file, bigConfig('old', 1500))
    await writeFile(source, bigConfig('new', 1500))
    const old = await readFile(file, 'utf8')
    // The complete result, from an uninterrupted run on a copy.
    const copy = join(temp.dir, 'copy')
    await cp(file, copy)
    const done = await runCli(['kubeconfig', 'merge', source, '--into', copy], {env: {HOME: temp.dir}})
    assert.equal(done.exitCode, 0, done.stderr)
    const complete = await readFile(copy, 'utf8')
    const outcomes = new Set<string>()
    for (const delay of [150, 300, 450, 600, 750, 900, 1100, 1300]) {
      await writeFile(file, old)
      const child = spawn(process.execPath, [cliPath, 'kubeconfig', 'merge', source, '--into', file], {env: {...process.env, HOME: temp.dir}, stdio: 'ignore'})
      // Listen from the start: a merge that finishes before the kill must not leave us waiting for its exit.
      const exited = new Promise((r) => child.once('exit', r))
      await new Promise((r) => setTimeout(r, delay))
      child.kill('SIGKILL')
      await exited
      const now = await readFile(file, 'utf8')
      assert.ok(now === old || now === complete, `truncated or mixed file after a kill at ${delay} ms (${now.length} bytes)`)
      outcomes.add(now === old ? 'old' : 'new')
      // A killed writer leaves its lock behind, as kubectl's does; the user removes it.
      await rm(`${file}.lock`, {force: true})
    }
    assert.ok(outcomes.size >= 1)
  })
})
