// The completion scripts in real shells: bash and zsh load `authctl completion <shell>` and complete
// `authctl kubeconfig use-context p<TAB>` to the context names of a fixture kubeconfig, typed under tmux (keys sent,
// screen read). bash's completion function is also driven directly (COMP_LINE/COMP_POINT, as bash sets them).
// fish and PowerShell are not installed here: their scripts are checked where the shell exists, else checked to
// call the hidden back end.
import assert from 'node:assert/strict'
import {execFile} from 'node:child_process'
import {mkdir, symlink, writeFile} from 'node:fs/promises'
import {dirname, join} from 'node:path'
import {promisify} from 'node:util'

import {cliPath, makeTempDir, repoRoot, runCli, runProgram} from '../../helpers/cli.js'
import {screenWaiter} from '../../helpers/tty.js'

const exec = promisify(execFile)

const KUBECONFIG = `apiVersion: v1
kind: Config
clusters:
- name: c1
  cluster: {server: "https://127.0.0.1:6443"}
users:
- name: jane
  user: {token: t}
contexts:
- name: prod
  context: {cluster: c1, user: jane}
- name: prod-eu
  context: {cluster: c1, user: jane}
- name: staging
  context: {cluster: c1, user: jane}
current-context: staging
`

const onPath = async (program: string) => (await runProgram('sh', ['-c', `command -v ${program}`])).exitCode === 0

describe('completion: scripts in real shells', function () {
  this.timeout(120_000)
  let dir: string
  let cleanup: () => Promise<void>
  let env: Record<string, string>
  let sessions = 0

  before(async () => {
    ;({cleanup, dir} = await makeTempDir())
    // `authctl` on PATH as npm installs it: a symlink to bin/run.cjs.
    await mkdir(join(dir, 'bin'))
    await symlink(cliPath, join(dir, 'bin', 'authctl'))
    await writeFile(join(dir, 'fixture.yaml'), KUBECONFIG)
    env = {HOME: dir, KUBECONFIG: join(dir, 'fixture.yaml'), PATH: `${join(dir, 'bin')}:${dirname(process.execPath)}:/usr/bin:/bin`}
    for (const shell of ['bash', 'zsh'] as const) {
      const {stdout} = await runCli(['completion', shell])
      await writeFile(join(dir, `completion.${shell}`), stdout)
    }
  })
  after(() => cleanup())

  /** An interactive shell in its own tmux server; `rc` is run first (the line a user puts in ~/.bashrc or ~/.zshrc). */
  async function shellSession(shell: string[], rc: string) {
    const socket = `authctl-completion-${process.pid}-${++sessions}`
    const tmux = (...a: string[]) => exec('tmux', ['-L', socket, '-f', '/dev/null', ...a], {cwd: dir, env: {...process.env, ...env}})
    const envArgs = Object.entries({...env, PS1: '$ ', PROMPT: '$ ', TERM: 'xterm-256color'}).map(([k, v]) => `${k}=${v}`)
    await tmux('new-session', '-d', '-x', '120', '-y', '30', '-c', dir, 'env', '-i', ...envArgs, ...shell)
    const waitFor = screenWaiter(tmux, 30_000)
    const keys = (...k: string[]) => tmux('send-keys', ...k)
    await keys('-l', rc)
    await keys('Enter')
    await keys('-l', 'echo loaded-$((6*7))')
    await keys('Enter')
    await waitFor(/loaded-42/)
    return {close: () => tmux('kill-server').then(() => undefined, () => undefined), keys, waitFor}
  }

  // listTabs: bash lists on the second TAB that changes nothing; zsh on the next TAB.
  for (const [shell, argv, rc, listTabs] of [
    ['bash', ['bash', '--norc', '--noprofile', '-i'], 'source <(authctl completion bash)', ['Tab', 'Tab']],
    ['zsh', ['zsh', '-f', '-i'], 'autoload -Uz compinit && compinit -u && source <(authctl completion zsh)', ['Tab']],
  ] as const) {
    it(`${shell}: use-context p<TAB> lists the fixture's p… contexts; st<TAB> completes the only match`, async function () {
      if (!(await onPath(shell))) this.skip()
      const session = await shellSession([...argv], rc)
      try {
        // Two matches: the first TAB completes their common prefix, the next lists them.
        await session.keys('-l', 'authctl kubeconfig use-context p')
        await session.keys('Tab')
        await session.waitFor(/use-context prod$/m)
        await session.keys(...listTabs)
        const listed = await session.waitFor(/prod-eu/)
        assert.match(listed, /\bprod\s+prod-eu\b/)
        assert.doesNotMatch(listed, /staging/)
        await session.keys('C-u')
        await session.keys('-l', 'clear; authctl kubeconfig use-context st')
        await session.keys('Tab')
        await session.waitFor(/use-context staging $/m)
      } finally {
        await session.close()
      }
    })
  }

  it('bash: the completion function, driven as bash drives it, honours --kubeconfig=FILE and names with colons', async () => {
    await writeFile(join(dir, 'other.yaml'), KUBECONFIG.replace('name: prod-eu', 'name: "arn:aws:eks:prod"'))
    const drive = (line: string) =>
      runProgram('bash', ['--norc', '-c', `source ${join(dir, 'completion.bash')}; COMP_LINE=$1; COMP_POINT=\${#COMP_LINE}; COMP_WORDBREAKS=$' \\t\\n"\\'><=;|&(:'; _authctl_complete; printf '%s\\n' "\${COMPREPLY[@]}"`, 'x', line], {cwd: dir, env})
    assert.deepEqual((await drive('authctl kubeconfig use-context p')).stdout.split('\n').filter(Boolean), ['prod', 'prod-eu'])
    assert.deepEqual((await drive('authctl kubeconfig use-context --kubeconfig=other.yaml a')).stdout.split('\n').filter(Boolean), ['arn:aws:eks:prod'])
    // bash has split the word at the last ':' already: the reply is the rest of the name.
    assert.deepEqual((await drive('authctl kubeconfig use-context --kubeconfig other.yaml arn:aws:')).stdout.split('\n').filter(Boolean), ['eks:prod'])
    assert.deepEqual((await drive('authctl kubeconfig set-context x --user=j')).stdout.split('\n').filter(Boolean), ['jane'])
  })

  it('zsh: the script parses (zsh -n)', async function () {
    if (!(await onPath('zsh'))) this.skip()
    const r = await runProgram('zsh', ['-n', join(dir, 'completion.zsh')])
    assert.equal(r.exitCode, 0, r.stderr)
  })

  for (const [shell, check] of [
    ['fish', ['fish', '--no-execute']],
    ['powershell', ['pwsh', '-NoProfile', '-Command', '$e=$null; [System.Management.Automation.Language.Parser]::ParseFile($args[0],[ref]$null,[ref]$e) | Out-Null; exit $e.Count']],
  ] as const) {
    it(`${shell}: the script calls the hidden back end and parses where ${check[0]} is installed`, async () => {
      const r = await runCli(['completion', shell])
      assert.equal(r.exitCode, 0, r.stderr)
      assert.match(r.stdout, /__complete/)
      assert.match(r.stdout, /\bauthctl\b/)
      if (await onPath(check[0])) {
        const file = join(dir, `completion.${shell}`)
        await writeFile(file, r.stdout)
        const parsed = await runProgram(check[0], [...check.slice(1), file])
        assert.equal(parsed.exitCode, 0, parsed.stderr)
      }
    })
  }

  it('an unknown shell is a usage error', async () => {
    const r = await runCli(['completion', 'tcsh'])
    assert.equal(r.exitCode, 2)
  })
})

describe('completion: the __complete back end', function () {
  this.timeout(60_000)
  let dir: string
  let cleanup: () => Promise<void>
  before(async () => {
    ;({cleanup, dir} = await makeTempDir())
    const context = (name: string) => `    ${name}:\n        endpoints: [10.5.0.2]\n        ca: ""\n        crt: ""\n        key: ""\n`
    await writeFile(join(dir, 'talosconfig'), `context: talos-a\ncontexts:\n${context('talos-a')}${context('talos-b')}${context('other')}`)
    await writeFile(join(dir, 'env-talosconfig'), `context: from-env\ncontexts:\n${context('from-env')}`)
  })
  after(() => cleanup())

  const answer = async (args: string[], env: Record<string, string> = {}) => {
    const r = await runCli(['__complete', ...args], {cwd: dir, env: {HOME: dir, ...env}})
    assert.equal(r.exitCode, 0, r.stderr)
    return r.stdout
  }

  it('talosconfig contexts from --talosconfig, else TALOSCONFIG', async () => {
    assert.equal(await answer(['talosconfig', 'context', '--talosconfig', 'talosconfig', 't']), 'talos-a\ntalos-b\n:4\n')
    assert.equal(await answer(['talos', 'can-i', '--context', ''], {TALOSCONFIG: join(dir, 'env-talosconfig')}), 'from-env\n:4\n')
  })

  it('a file that is not a kubeconfig offers nothing and says nothing', async () => {
    const r = await runCli(['__complete', 'kubeconfig', 'use-context', ''], {cwd: dir, env: {HOME: dir, KUBECONFIG: join(dir, 'talosconfig')}})
    assert.equal(r.stdout, ':4\n')
    assert.equal(r.stderr, '')
  })

  it('runs on the lean path: its own bundle only, never oclif, and yaml only for talosconfig names', async () => {
    // The preload lists, at exit, the dist modules and whether oclif was loaded (all lean bundles are CommonJS).
    const preload = join(dir, 'preload.cjs')
    await writeFile(preload, `process.on('exit', () => {
  const loaded = Object.keys(require.cache)
  process.stderr.write('\\nOCLIF ' + loaded.some((k) => k.includes('/@oclif/')) + ' DIST ' + loaded.filter((k) => k.includes('/dist/')).map((k) => k.slice(k.lastIndexOf('/dist/') + 6)).sort().join(' ') + '\\n')
})
`)
    // Block style, as kubectl writes it: read without the yaml library (flow style needs it, as for every command).
    await writeFile(join(dir, 'kubeconfig'), 'apiVersion: v1\nkind: Config\ncontexts:\n- name: prod\n  context:\n    cluster: c\n    user: u\n')
    const loads = async (args: string[]) => {
      const r = await runProgram(process.execPath, ['--require', preload, cliPath, '__complete', ...args], {cwd: dir, env: {HOME: dir, KUBECONFIG: join(dir, 'kubeconfig')}})
      assert.equal(r.exitCode, 0, r.stderr)
      return {answer: r.stdout, loaded: /OCLIF (\w+) DIST (.*)$/m.exec(r.stderr)!.slice(1).join(' ')}
    }
    assert.deepEqual(await loads(['kubeconfig', 'use-context', 'p']), {answer: 'prod\n:4\n', loaded: 'false lean/__complete.cjs'})
    assert.deepEqual(await loads(['talosconfig', 'context', '--talosconfig', 'talosconfig', 'o']), {answer: 'other\n:4\n', loaded: 'false lean/__complete.cjs lean/yaml.cjs'})
  })

  it('answers the same through oclif (bin/dev.js), where the flags of the command being completed are not its own', async () => {
    const args = ['__complete', 'talosconfig', 'context', '--talosconfig', join(dir, 'talosconfig'), 't']
    const r = await runProgram(process.execPath, ['--import', 'tsx', join(repoRoot, 'bin/dev.js'), ...args], {cwd: repoRoot, env: {HOME: dir}})
    assert.equal(r.exitCode, 0, r.stderr)
    assert.equal(r.stdout, 'talos-a\ntalos-b\n:4\n')
  })

  it('file names are left to the shell where a path is due', async () => {
    assert.equal(await answer(['pki', 'inspect', '']), ':0\n')
    assert.equal(await answer(['kubeconfig', 'view', '--kubeconfig=']), ':0\n')
  })
})
