// kubeconfig merge --dry-run: the diff's removed lines red and added lines green on a terminal (or --color always),
// plain when piped; untrusted names keep their control characters escaped either way.
import assert from 'node:assert/strict'
import {writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {makeTempDir, runCli} from '../../helpers/cli.js'
import {runOnTty} from '../../helpers/tty.js'

const TARGET = 'apiVersion: v1\nkind: Config\ncurrent-context: dev\nclusters:\n- name: dev\n  cluster:\n    server: https://dev:6443\ncontexts:\n- name: dev\n  context:\n    cluster: dev\n    user: u\nusers:\n- name: u\n  user:\n    token: t\n'
const INCOMING = 'apiVersion: v1\nkind: Config\nclusters:\n- name: "prod\\e[2J"\n  cluster:\n    server: https://prod:6443\ncontexts: []\nusers: []\n'
const RED = '\u001b[31m'
const GREEN = '\u001b[32m'

describe('kubeconfig merge --dry-run diff colour', () => {
  let dir: string
  let cleanup: () => Promise<void>
  let env: Record<string, string>
  before(async () => {
    ;({cleanup, dir} = await makeTempDir())
    await writeFile(join(dir, 'config'), TARGET)
    await writeFile(join(dir, 'incoming'), INCOMING)
    env = {KUBECONFIG: join(dir, 'config')}
  })
  after(() => cleanup())

  const args = () => ['kubeconfig', 'merge', join(dir, 'incoming'), '--dry-run']

  it('--color always: added lines green, nothing else coloured, the file\'s ESC shown as text', async () => {
    const r = await runCli([...args(), '--color', 'always'], {env})
    assert.equal(r.exitCode, 0, r.stderr)
    const added = r.stdout.split('\n').filter((l) => l.includes('+'))
    assert.ok(added.some((l) => l.startsWith(`${GREEN}+`) && l.includes('prod\\u001b[2J')), r.stdout)
    // The header lines stay plain; the only escapes are colour codes (the file's ESC is shown as \u001b).
    assert.match(r.stdout, new RegExp(`^--- ${join(dir, 'config')}\\n\\+\\+\\+ `))
    assert.equal(r.stdout.replace(/\u001b\[3[12]m|\u001b\[39m/g, '').includes('\u001b'), false)
    const plain = await runCli(args(), {env})
    assert.equal(r.stdout.replace(/\u001b\[3[12]m|\u001b\[39m/g, ''), plain.stdout)
  })

  it('on a pseudo-terminal: coloured; piped: plain', async () => {
    const tty = await runOnTty(args(), {cwd: dir, env})
    assert.equal(tty.exitCode, 0, tty.output)
    assert.ok(tty.output.includes(`${GREEN}+`), tty.output)
    const piped = await runCli(args(), {env: {...env, NO_COLOR: undefined}})
    assert.doesNotMatch(piped.stdout, /\u001b/)
    assert.match(piped.stdout, /^\+- name: "prod\\u001b\[2J"$/m)
  })

  it('removed lines red: overwriting a cluster replaces its server line', async () => {
    const incoming = join(dir, 'overwrite')
    await writeFile(incoming, 'apiVersion: v1\nkind: Config\nclusters:\n- name: dev\n  cluster:\n    server: https://other-dev:6443\n')
    const r = await runCli(['kubeconfig', 'merge', incoming, '--dry-run', '--on-conflict', 'overwrite', '--color', 'always'], {env})
    assert.equal(r.exitCode, 0, r.stderr)
    assert.ok(r.stdout.includes(`${RED}-    server: https://dev:6443\u001b[39m`), r.stdout)
    assert.ok(r.stdout.includes(`${GREEN}+    server: https://other-dev:6443\u001b[39m`), r.stdout)
  })
})
