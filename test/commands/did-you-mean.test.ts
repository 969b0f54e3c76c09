import assert from 'node:assert/strict'
import {writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {makeTempDir, runCli} from '../helpers/cli.js'
import {tmuxRun} from '../helpers/tty.js'

const KUBECONFIG = `apiVersion: v1
kind: Config
current-context: dev
clusters: [{name: c, cluster: {server: "https://127.0.0.1:6443"}}]
users: [{name: u, user: {token: abc}}]
contexts: [{name: dev, context: {cluster: c, user: u}}, {name: prod, context: {cluster: c, user: u}}]
`

describe('did you mean: mistyped topics, commands, contexts, Talos methods', () => {
  let dir: string
  let cleanup: () => Promise<void>
  before(async () => {
    ;({cleanup, dir} = await makeTempDir())
    await writeFile(join(dir, 'kubeconfig'), KUBECONFIG)
    await writeFile(join(dir, 'talosconfig'), 'context: dev\ncontexts:\n  dev: {endpoints: [10.0.0.1]}\n  prod: {endpoints: [10.0.0.2]}\n')
  })
  after(() => cleanup())

  it('a mistyped topic names the topic meant, exit 2, nothing on stdout', async () => {
    const r = await runCli(['kubeconfg'])
    assert.deepEqual([r.exitCode, r.stdout, r.stderr], [2, '', 'error: unknown command "kubeconfg" (did you mean "kubeconfig"? see authctl --help)\n'])
  })

  it('a mistyped command names the command meant within its topic', async () => {
    const r = await runCli(['kubeconfig', 'use-contxt', 'prod'])
    assert.equal(r.exitCode, 2)
    assert.match(r.stderr, /^error: unknown command "kubeconfig use-contxt prod" \(did you mean "kubeconfig use-context"\? see authctl --help\)\n$/)
    const talos = await runCli(['talosconfig', 'contxts'])
    assert.match(talos.stderr, /\(did you mean "talosconfig contexts"\? see authctl talosconfig --help\)/)
  })

  it('nothing close: no suggestion, only the help hint', async () => {
    const r = await runCli(['frobnicate'])
    assert.equal(r.stderr, 'error: unknown command "frobnicate" (see authctl --help)\n')
  })

  it('--json: the usage error is also the JSON error document on stdout', async () => {
    const r = await runCli(['kubeconfg', '--json'])
    assert.equal(r.exitCode, 2)
    assert.deepEqual(JSON.parse(r.stdout), {
      error: {code: 'USAGE', exitCode: 2, hint: 'did you mean "kubeconfig"? see authctl --help', message: 'unknown command "kubeconfg"'},
    })
    const missing = await runCli(['kubeconfig', 'use-context', '--json'])
    assert.equal(missing.exitCode, 2)
    assert.equal(JSON.parse(missing.stdout).error.code, 'USAGE')
  })

  it('a mistyped context name: kubectl\'s error plus the context meant (kubeconfig and talosconfig)', async () => {
    const r = await runCli(['kubeconfig', 'use-context', 'prdo', '--kubeconfig', join(dir, 'kubeconfig')])
    assert.deepEqual([r.exitCode, r.stderr], [1, 'error: no context exists with the name: "prdo" (did you mean "prod"?)\n'])
    const t = await runCli(['talosconfig', 'context', 'prdo', '--talosconfig', join(dir, 'talosconfig')])
    assert.equal(t.stderr, 'error: context "prdo" is not defined (did you mean "prod"? see `authctl talosconfig contexts`)\n')
  })

  it('a mistyped Talos API method, in the form it was typed', async () => {
    const r = await runCli(['talos', 'can-i', 'Rebot', '--roles', 'os:operator'])
    assert.equal(r.exitCode, 2)
    assert.equal(r.stderr, 'error: unknown Talos API method "Rebot" (did you mean "Reboot"? give the full name, e.g. /machine.MachineService/Reboot)\n')
    const full = await runCli(['talos', 'can-i', '/machine.MachineService/Rebot', '--roles', 'os:operator'])
    // A full name is taken as given (machined would see it); unknown full names are denied, not suggested.
    assert.notEqual(full.exitCode, 0)
    const service = await runCli(['talos', 'can-i', 'MachineService/Rebot', '--roles', 'os:operator'])
    assert.match(service.stderr, /did you mean "MachineService\/Reboot"\?/)
  })

  describe('on a terminal, @oclif/plugin-not-found offers to run the suggestion', () => {
    it('answering no gives the usage error (exit 2)', async () => {
      const s = await tmuxRun(['talos', 'can-ii', 'Reboot', '--roles', 'os:reader'], {cwd: dir})
      try {
        await s.waitFor(/Did you mean talos can-i\?/)
        await s.keys('n', 'Enter')
        const {exitCode, screen} = await s.exit()
        assert.equal(exitCode, 2)
        assert.match(screen, /error: unknown command "talos can-ii Reboot" \(did you mean "talos can-i"\?/)
      } finally {
        await s.close()
      }
    })

    it('a mistyped topic is not a command to run: no question, the usage error at once', async () => {
      const s = await tmuxRun(['kubeconfg'], {cwd: dir})
      try {
        const {exitCode, screen} = await s.exit()
        assert.equal(exitCode, 2)
        assert.doesNotMatch(screen, /Did you mean kubeconfig/)
        assert.match(screen, /error: unknown command "kubeconfg" \(did you mean "kubeconfig"\?/)
      } finally {
        await s.close()
      }
    })

    it('answering yes runs it', async () => {
      const s = await tmuxRun(['kubeconfig', 'current-contxt', '--kubeconfig', join(dir, 'kubeconfig')], {cwd: dir})
      try {
        await s.waitFor(/Did you mean kubeconfig current-context\?/)
        await s.keys('y', 'Enter')
        const {exitCode, screen} = await s.exit()
        assert.equal(exitCode, 0)
        assert.match(screen, /^dev$/m)
      } finally {
        await s.close()
      }
    })
  })
})
