// kubectl 1.32's remaining config commands against authctl's on two copies of one generated KUBECONFIG=a:b set:
// get-clusters, get-users, delete-cluster, delete-user, set, unset and current-context --context must print the
// same (stdout and stderr), exit the same, change the same files, and leave files that kubectl reads identically.
import assert from 'node:assert/strict'
import {cp, readFile} from 'node:fs/promises'
import {delimiter, join} from 'node:path'

import {makeTempDir, runCli, runProgram} from '../../helpers/cli.js'
import {generateFileSet, isolatedEnv, KUBECTL} from './fixtures.js'

// Where kubectl prints a Go pointer (a map of entries, a navigation step's type), authctl prints 0x… .
const pointers = (text: string) => text.replace(/0x[0-9a-f]+/g, '0x…')

const CASES: string[][] = [
  ['get-clusters'],
  ['get-users'],
  ['get-users', 'ignored', 'args'],
  ['current-context', '--context', 'c2'],
  ['delete-cluster', 'k1'],
  ['delete-cluster', 'nope'],
  ['delete-user', 'u2'],
  ['delete-user', 'nope'],
  ['set', 'clusters.k1.server', 'https://edited:6443'],
  ['set', 'clusters.fresh.server', 'https://fresh:6443'],
  ['set', 'clusters.10.0.0.1.server', 'https://dotted:6443'],
  ['set', 'clusters.k2.certificate-authority', '../relative/ca.pem'],
  ['set', 'clusters.k2.certificate-authority-data', 'aGVsbG8='],
  ['set', 'clusters.k2.certificate-authority-data', 'aGVsbG8'],
  ['set', 'clusters.k2.certificate-authority-data', 'not base64!'],
  ['set', 'clusters.k2.certificate-authority-data', 'raw bytes', '--set-raw-bytes'],
  ['set', 'clusters.k2.certificate-authority-data', 'raw bytes', '--set-raw-bytes=true'],
  ['set', 'clusters.k2.certificate-authority-data', 'aGVsbG8=', '--set-raw-bytes=false'],
  ['set', 'clusters.k3.insecure-skip-tls-verify', 'true'],
  ['set', 'clusters.k3.insecure-skip-tls-verify', 'maybe'],
  ['set', 'users.u1.token', 'new-token'],
  ['set', 'users.u1.act-as', 'admin'],
  ['set', 'users.u1.as', 'admin'],
  ['set', 'users.u1.act-as-groups', 'g'],
  ['set', 'users.u1.exec.command', 'x'],
  ['set', 'users.u1.act-as-user-extra.k', 'v'],
  ['set', 'users.u1.act-as-user-extra', 'v'],
  ['set', 'contexts.c1.namespace', 'team-b'],
  ['set', 'contexts.brand-new.cluster', 'k1'],
  ['set', 'current-context', 'c3'],
  ['set', 'preferences.colors', 'true'],
  ['set', 'preferences.nope', 'x'],
  ['set', 'preferences', 'x'],
  ['set', 'kind', 'Other'],
  ['set', 'nope', 'x'],
  ['set', 'clusters', 'x'],
  ['set', 'clusters.k1', 'x'],
  ['set', 'clusters.k1.server.deeper', 'x'],
  ['set', 'clusters.k1.server', ''],
  ['unset', 'clusters.k1'],
  ['unset', 'clusters.not-there'],
  ['unset', 'clusters.not-there.server'],
  ['unset', 'users'],
  ['unset', 'users.u1.token'],
  ['unset', 'users.u1.exec'],
  ['unset', 'contexts.c1.namespace'],
  ['unset', 'current-context'],
  ['unset', 'preferences'],
  ['unset', 'extensions'],
  ['unset', 'nope'],
  ['unset', ''],
]

describe('config commands vs kubectl 1.32 (differential)', function () {
  this.timeout(300_000)
  let temp: Awaited<ReturnType<typeof makeTempDir>>
  before(async () => {
    temp = await makeTempDir('authctl-kc-cmds-')
  })
  after(async () => temp.cleanup())

  for (const [n, args] of CASES.entries()) {
    it(`${args.map((a) => (a === '' ? '""' : a)).join(' ')}: same output, exit code and files`, async () => {
      const root = join(temp.dir, String(n))
      const set = await generateFileSet(join(root, 'ours'), 11)
      await cp(join(root, 'ours'), join(root, 'theirs'), {recursive: true})
      const names = set.files.map((f) => f.slice(join(root, 'ours').length + 1)).slice(0, 2)
      const envOf = (side: string) => isolatedEnv(join(root, side), names.join(delimiter))
      const before = await Promise.all(names.map((f) => readFile(join(root, 'ours', f), 'utf8')))
      const ours = await runCli(['kubeconfig', ...args], {cwd: join(root, 'ours'), env: envOf('ours')})
      const theirs = await runProgram(KUBECTL, ['config', ...args], {cwd: join(root, 'theirs'), env: envOf('theirs')})
      assert.equal(ours.exitCode, theirs.exitCode, `exit ${ours.exitCode} vs ${theirs.exitCode}: ${ours.stderr} | ${theirs.stderr}`)
      const lines = (text: string) => (args[0] === 'get-clusters' ? text.split('\n').sort().join('\n') : text) // kubectl: map order
      assert.equal(lines(ours.stdout), lines(theirs.stdout))
      assert.equal(ours.stderr, pointers(theirs.stderr))
      const changed = async (side: string) =>
        (await Promise.all(names.map(async (f, i) => ((await readFile(join(root, side, f), 'utf8').catch(() => '')) !== before[i] ? f : '')))).filter(Boolean)
      // `unset preferences` makes kubectl rewrite the first file with the same content (Go: a nil map is not DeepEqual
      // to an empty one); authctl leaves a file alone when nothing in it changes.
      if (args.join(' ') !== 'unset preferences') assert.deepEqual(await changed('ours'), await changed('theirs'), 'different files edited')
      for (const view of [['view', '--raw', '-o', 'json'], ['get-contexts']]) {
        const a = await runProgram(KUBECTL, ['config', ...view], {cwd: join(root, 'ours'), env: envOf('ours')})
        const b = await runProgram(KUBECTL, ['config', ...view], {cwd: join(root, 'theirs'), env: envOf('theirs')})
        assert.equal(a.exitCode, 0, a.stderr)
        assert.equal(a.stdout, b.stdout, `kubectl ${view.join(' ')} differs on the results`)
      }
    })
  }

  it('get-contexts -o json|yaml (authctl only; kubectl refuses them here) list what kubectl lists', async () => {
    const set = await generateFileSet(join(temp.dir, 'get-contexts'), 3)
    const env = isolatedEnv(temp.dir, set.files.join(delimiter))
    const names = await runProgram(KUBECTL, ['config', 'get-contexts', '-o', 'name'], {env})
    const current = await runProgram(KUBECTL, ['config', 'current-context'], {env})
    const refused = await runProgram(KUBECTL, ['config', 'get-contexts', '-o', 'json'], {env})
    assert.equal(refused.exitCode, 1)
    const json = await runCli(['kubeconfig', 'get-contexts', '-o', 'json'], {env})
    assert.equal(json.exitCode, 0, json.stderr)
    const document = JSON.parse(json.stdout)
    assert.deepEqual(document.contexts.map((c: {name: string}) => c.name).join('\n') + '\n', names.stdout)
    assert.equal(document.currentContext, current.stdout.trim())
    const marked = document.contexts.filter((c: {current: boolean}) => c.current).map((c: {name: string}) => c.name)
    assert.deepEqual(marked, names.stdout.split('\n').includes(current.stdout.trim()) ? [current.stdout.trim()] : [])
    const yaml = await runCli(['kubeconfig', 'get-contexts', '-o', 'yaml'], {env})
    assert.equal(yaml.exitCode, 0, yaml.stderr)
    assert.match(yaml.stdout, /^contexts:\n/m)
    const wide = await runCli(['kubeconfig', 'get-contexts', '-o', 'wide'], {env})
    assert.equal(wide.exitCode, 2)
  })

  it('each file read alone after unset current-context and set preferences: the same file carries the change', async () => {
    const root = join(temp.dir, 'per-file')
    const set = await generateFileSet(join(root, 'ours'), 5)
    await cp(join(root, 'ours'), join(root, 'theirs'), {recursive: true})
    const names = set.files.map((f) => f.slice(join(root, 'ours').length + 1))
    const env = (side: string) => isolatedEnv(join(root, side), names.join(delimiter))
    for (const args of [['unset', 'current-context'], ['set', 'preferences.colors', 'true'], ['set', 'current-context', 'c9']]) {
      const ours = await runCli(['kubeconfig', ...args], {cwd: join(root, 'ours'), env: env('ours')})
      const theirs = await runProgram(KUBECTL, ['config', ...args], {cwd: join(root, 'theirs'), env: env('theirs')})
      assert.equal(ours.exitCode, theirs.exitCode, ours.stderr)
      for (const name of names) {
        const read = (side: string) => runProgram(KUBECTL, ['config', 'view', '--raw', '-o', 'json', '--kubeconfig', name], {cwd: join(root, side), env: env(side)})
        const [a, b] = await Promise.all([read('ours'), read('theirs')])
        assert.equal(a.stdout, b.stdout, `${args.join(' ')}: ${name} differs`)
      }
    }
  })
})
