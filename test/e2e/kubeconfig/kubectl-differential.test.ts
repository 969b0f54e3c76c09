// authctl kubeconfig against the real kubectl 1.32 on generated file sets: same merged view, same table, and the
// set-* commands edit the same files with results kubectl reads identically.
import assert from 'node:assert/strict'
import {cp, readFile, stat, writeFile} from 'node:fs/promises'
import {delimiter, join} from 'node:path'

import {makeTempDir, runCli, runProgram} from '../../helpers/cli.js'
import {generateFileSet, isolatedEnv, KUBECTL} from './fixtures.js'

const SEEDS = [1, 2, 3, 4, 5, 6]

async function both(args: string[], kubectlArgs: string[], env: NodeJS.ProcessEnv, cwd?: string) {
  const [ours, theirs] = await Promise.all([runCli(['kubeconfig', ...args], {cwd, env}), runProgram(KUBECTL, ['config', ...kubectlArgs], {cwd, env})])
  return {ours, theirs}
}

describe('kubeconfig vs kubectl 1.32 (differential)', function () {
  this.timeout(120_000)
  let temp: Awaited<ReturnType<typeof makeTempDir>>
  beforeEach(async () => {
    temp = await makeTempDir('authctl-kc-diff-')
  })
  afterEach(async () => temp.cleanup())

  for (const seed of SEEDS) {
    it(`KUBECONFIG=a:b:c view --flatten -o json, view -o json, view, get-contexts, current-context agree (seed ${seed})`, async () => {
      const set = await generateFileSet(temp.dir, seed)
      const env = isolatedEnv(temp.dir, set.files.join(delimiter))
      for (const args of [['view', '--flatten', '-o', 'json'], ['view', '-o', 'json'], ['view', '--raw', '-o', 'json'], ['view'], ['get-contexts'], ['get-contexts', '-o', 'name'], ['current-context']]) {
        const {ours, theirs} = await both(args, args, env)
        assert.equal(ours.exitCode, theirs.exitCode, `${args.join(' ')}: exit ${ours.exitCode} vs ${theirs.exitCode}: ${ours.stderr}`)
        assert.equal(ours.stdout, theirs.stdout, `${args.join(' ')} output differs`)
      }
    })
  }

  it('view quotes names as kubectl does: Go integers in every base, timestamps, base-60, YAML 1.1 words', async () => {
    // Strings go-yaml resolves to another type (so kubectl quotes them) next to look-alikes it keeps plain.
    const names = ['0X0', '0o7', '0O7', '0_x0', '0_b1', '0b1', '0x1F', '07', '08', '1_0', '-0x1f', '+9223372036854775807',
      '0x1p-2', '1e3', '1.', '.5', '1:20', '190:20:30', '2001-12-14', '2001-2-4 1:59:43', '2001-12-14T21:59:43Z',
      '2001-12-14t21:59:43.10Z', 'on', 'Off', 'x0', 'a1:20', 'https://a:6443']
    const file = join(temp.dir, 'names.json')
    await writeFile(file, JSON.stringify({apiVersion: 'v1', clusters: [], contexts: names.map((name) => ({context: {cluster: 'c'}, name})), kind: 'Config', users: []}))
    const {ours, theirs} = await both(['view'], ['view'], isolatedEnv(temp.dir, file))
    assert.equal(theirs.exitCode, 0, theirs.stderr)
    assert.equal(ours.stdout, theirs.stdout)
  })

  it('view --minify --flatten and minify errors match', async () => {
    const set = await generateFileSet(temp.dir, 7)
    const env = isolatedEnv(temp.dir, set.files.join(delimiter))
    const {ours, theirs} = await both(['view', '--minify', '--flatten', '-o', 'json'], ['view', '--minify', '--flatten', '-o', 'json'], env)
    assert.equal(ours.exitCode, theirs.exitCode)
    assert.equal(ours.stdout, theirs.stdout)
    const missing = await both(['view', '--minify', '--context', 'nope'], ['view', '--minify', '--context', 'nope'], env)
    assert.equal(missing.ours.exitCode, 1)
    assert.equal(missing.theirs.exitCode, 1)
    assert.equal(missing.ours.stderr, missing.theirs.stderr)
  })

  // Each edit runs on two copies of the same file set, one per tool; then both results must look the same to
  // kubectl, and the same files must have changed.
  const edits: Array<{name: string; args: string[]; kubectl?: string[]}> = [
    {args: ['set-context', 'c1', '--namespace', 'edited'], name: 'set-context on an existing context'},
    {args: ['set-context', 'fresh', '--cluster', 'k1', '--user', 'u1'], name: 'set-context creating a context'},
    {args: ['set-cluster', 'k2', '--server', 'https://edited:6443'], name: 'set-cluster on an existing cluster'},
    {args: ['set-cluster', 'newk', '--server', 'https://n:6443', '--certificate-authority', 'sub/certs/ca.pem', '--embed-certs'], name: 'set-cluster --embed-certs'},
    {args: ['set-cluster', 'k3', '--certificate-authority', 'sub/certs/ca.pem'], name: 'set-cluster with a CA path'},
    {args: ['set-credentials', 'u2', '--token', 'tok'], name: 'set-credentials --token'},
    {args: ['set-credentials', 'u9', '--client-certificate', 'sub/certs/client.crt', '--client-key', 'sub/certs/client.key'], name: 'set-credentials with cert paths'},
    {args: ['set-credentials', 'u3', '--username', 'bob', '--password', 'pw'], name: 'set-credentials basic auth'},
    {args: ['set-credentials', 'u4', '--exec-command', 'gke', '--exec-api-version', 'client.authentication.k8s.io/v1beta1', '--exec-arg', 'x', '--exec-env', 'A=1'], name: 'set-credentials exec'},
    {args: ['use-context', 'c2'], name: 'use-context'},
    {args: ['rename-context', 'c3', 'renamed'], name: 'rename-context'},
    {args: ['delete-context', 'c4'], name: 'delete-context'},
  ]
  for (const edit of edits) {
    it(`${edit.name}: same files changed, same result for kubectl`, async () => {
      const set = await generateFileSet(join(temp.dir, 'ours'), 11)
      await cp(join(temp.dir, 'ours'), join(temp.dir, 'theirs'), {recursive: true})
      const lists = (side: string) => set.files.map((f) => f.replace(join(temp.dir, 'ours'), join(temp.dir, side)))
      const names = lists('ours').map((f) => f.slice(join(temp.dir, 'ours').length + 1))
      const envOf = (side: string) => isolatedEnv(join(temp.dir, side), names.slice(0, 2).join(delimiter))
      const before = await Promise.all(lists('ours').map((f) => readFile(f, 'utf8')))
      const ours = await runCli(['kubeconfig', ...edit.args], {cwd: join(temp.dir, 'ours'), env: envOf('ours')})
      const theirs = await runProgram(KUBECTL, ['config', ...(edit.kubectl ?? edit.args)], {cwd: join(temp.dir, 'theirs'), env: envOf('theirs')})
      assert.equal(ours.exitCode, theirs.exitCode, `exit ${ours.exitCode} vs ${theirs.exitCode}: ${ours.stderr} | ${theirs.stderr}`)
      assert.equal(ours.stdout, theirs.stdout)
      assert.equal(ours.stderr, theirs.stderr)
      const changed = async (side: string) =>
        (await Promise.all(lists(side).map(async (f, i) => ((await readFile(f, 'utf8').catch(() => '')) !== before[i] ? names[i] : '')))).filter(Boolean)
      assert.deepEqual(await changed('ours'), await changed('theirs'), 'different files edited')
      for (const args of [['view', '--raw', '-o', 'json'], ['get-contexts']]) {
        const a = await runProgram(KUBECTL, ['config', ...args], {cwd: join(temp.dir, 'ours'), env: envOf('ours')})
        const b = await runProgram(KUBECTL, ['config', ...args], {cwd: join(temp.dir, 'theirs'), env: envOf('theirs')})
        assert.equal(a.exitCode, 0, a.stderr)
        assert.equal(a.stdout.replaceAll(join(temp.dir, 'ours'), 'DIR'), b.stdout.replaceAll(join(temp.dir, 'theirs'), 'DIR'))
      }
    })
  }

  it('with neither KUBECONFIG file existing, a new entry creates the last file (0600), as kubectl does', async () => {
    const env = isolatedEnv(temp.dir, ['x.yaml', 'y.yaml'].join(delimiter))
    const ours = await runCli(['kubeconfig', 'set-cluster', 'k', '--server', 'https://s'], {cwd: temp.dir, env})
    assert.equal(ours.exitCode, 0, ours.stderr)
    assert.equal(ours.stdout, 'Cluster "k" set.\n')
    assert.equal((await stat(join(temp.dir, 'y.yaml'))).mode & 0o777, 0o600)
    await assert.rejects(stat(join(temp.dir, 'x.yaml')))
    const view = await runProgram(KUBECTL, ['config', 'view', '-o', 'json'], {cwd: temp.dir, env})
    assert.equal(JSON.parse(view.stdout).clusters[0].cluster.server, 'https://s')
  })

  it('error messages match kubectl for unknown contexts and missing flags', async () => {
    const set = await generateFileSet(temp.dir, 3)
    const env = isolatedEnv(temp.dir, set.files[0])
    for (const args of [['use-context', 'nope'], ['rename-context', 'nope', 'x'], ['delete-context', 'nope'], ['set-context'], ['get-contexts', 'nope']]) {
      const {ours, theirs} = await both(args, args, env)
      // Same message; a usage problem exits 2 in authctl where kubectl uses 1.
      assert.equal(ours.exitCode, args[0] === 'set-context' ? 2 : theirs.exitCode, args.join(' '))
      assert.equal(ours.stderr, theirs.stderr, args.join(' '))
    }
  })
})
