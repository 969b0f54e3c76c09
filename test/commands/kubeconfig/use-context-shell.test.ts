import assert from 'node:assert/strict'
import {readFile, readdir, stat, writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {cliPath, makeTempDir, runCli, runProgram} from '../../helpers/cli.js'

// Two files in KUBECONFIG, the second holding the contexts' credentials: the per-shell file must chain them, not copy.
const MAIN = `apiVersion: v1
kind: Config
current-context: dev
clusters: [{name: c, cluster: {server: "https://127.0.0.1:6443"}}]
contexts: [{name: dev, context: {cluster: c, user: u}}, {name: prod, context: {cluster: c, user: u, namespace: live}}]
`
const CREDENTIALS = 'apiVersion: v1\nkind: Config\nusers: [{name: u, user: {token: s3cret-token}}]\n'

describe('kubeconfig use-context NAME --shell: a per-shell current context (real bash and kubectl)', () => {
  let dir: string
  let cleanup: () => Promise<void>
  let env: NodeJS.ProcessEnv
  before(async () => {
    ;({cleanup, dir} = await makeTempDir())
    env = {HOME: dir, KUBECONFIG: `${join(dir, 'config')}:${join(dir, 'credentials')}`}
  })
  let runs = 0
  beforeEach(async () => {
    env.XDG_RUNTIME_DIR = join(dir, `run${++runs}`)
    await writeFile(join(dir, 'config'), MAIN)
    await writeFile(join(dir, 'credentials'), CREDENTIALS)
  })
  after(() => cleanup())

  const bash = (script: string) => runProgram('bash', ['-c', `set -e\nauthctl() { ${JSON.stringify(process.execPath)} ${JSON.stringify(cliPath)} "$@"; }\n${script}`], {cwd: dir, env})

  it('after eval, kubectl uses NAME with the original credentials; the shared file keeps its current-context', async () => {
    const r = await bash(`eval "$(authctl kubeconfig use-context prod --shell)"
kubectl config current-context
kubectl config view --raw --minify -o jsonpath='{.contexts[0].context.namespace} {.users[0].user.token}{"\\n"}'
echo "$KUBECONFIG"`)
    assert.equal(r.exitCode, 0, r.stderr)
    const [current, minified, exported] = r.stdout.trim().split('\n')
    assert.equal(current, 'prod')
    assert.equal(minified, 'live s3cret-token')
    assert.equal(r.stderr, 'Switched to context "prod" in this shell.\n')
    assert.match(await readFile(join(dir, 'config'), 'utf8'), /^current-context: dev$/m)
    const [file, ...chained] = exported.split(':')
    assert.deepEqual(chained, [join(dir, 'config'), join(dir, 'credentials')])
    assert.equal(file.startsWith(join(env.XDG_RUNTIME_DIR!, 'authctl', 'shell') + '/'), true)
    assert.equal((await stat(file)).mode & 0o777, 0o600)
    // Only current-context: no secrets copied.
    assert.equal(await readFile(file, 'utf8'), 'apiVersion: v1\nkind: Config\ncurrent-context: "prod"\n')
    // Another shell (the unchanged environment) still sees the shared file's context.
    const other = await runProgram('kubectl', ['config', 'current-context'], {cwd: dir, env})
    assert.equal(other.stdout, 'dev\n')
  })

  it('switching again in the same shell rewrites its one private file; kubectl use-context there stays in the shell too', async () => {
    const r = await bash(`eval "$(authctl kubeconfig use-context prod --shell)"
first=$KUBECONFIG
eval "$(authctl kubeconfig use-context dev --shell)"
[ "$first" = "$KUBECONFIG" ] && echo same
kubectl config current-context
kubectl config use-context prod >/dev/null
kubectl config current-context`)
    assert.equal(r.exitCode, 0, r.stderr)
    assert.equal(r.stdout, 'same\ndev\nprod\n')
    assert.match(await readFile(join(dir, 'config'), 'utf8'), /^current-context: dev$/m)
    assert.equal((await readdir(join(env.XDG_RUNTIME_DIR!, 'authctl', 'shell'))).length, 1)
  })

  it('an unknown context writes nothing and prints nothing to eval', async () => {
    const r = await runCli(['kubeconfig', 'use-context', 'prdo', '--shell'], {cwd: dir, env})
    assert.deepEqual([r.exitCode, r.stdout, r.stderr], [1, '', 'error: no context exists with the name: "prdo" (did you mean "prod"?)\n'])
  })
})
