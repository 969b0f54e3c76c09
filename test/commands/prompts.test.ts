import assert from 'node:assert/strict'
import {readFile, writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {makeTempDir, runCli} from '../helpers/cli.js'
import {tmuxRun} from '../helpers/tty.js'

const KUBECONFIG = `apiVersion: v1
kind: Config
current-context: dev
clusters: [{name: c, cluster: {server: "https://127.0.0.1:6443"}}]
users: [{name: u, user: {token: abc}}]
contexts: [{name: dev, context: {cluster: c, user: u}}, {name: prod, context: {cluster: c, user: u}}, {name: stage, context: {cluster: c, user: u}}]
`
const TALOSCONFIG = 'context: stage\ncontexts:\n    prod:\n        endpoints: []\n    prod-1:\n        endpoints: []\n    stage:\n        endpoints: []\n'

describe('prompts (@inquirer/prompts): on a terminal only, each answerable by its flag or argument', () => {
  let dir: string
  let cleanup: () => Promise<void>
  const kubeconfig = () => join(dir, 'kubeconfig')
  const talosconfig = () => join(dir, 'talosconfig')
  before(async () => {
    ;({cleanup, dir} = await makeTempDir())
  })
  beforeEach(async () => {
    await writeFile(kubeconfig(), KUBECONFIG)
    await writeFile(talosconfig(), TALOSCONFIG)
  })
  after(() => cleanup())

  it('kubeconfig use-context with no name on a terminal: pick from the contexts, starting at the current one', async () => {
    const s = await tmuxRun(['kubeconfig', 'use-context', '--kubeconfig', kubeconfig()], {cwd: dir})
    try {
      await s.waitFor(/Switch to context[\s\S]*❯ dev[\s\S]*prod[\s\S]*stage/)
      await s.keys('Down', 'Down')
      await s.waitFor(/❯ stage/)
      await s.keys('Enter')
      const {exitCode, screen} = await s.exit()
      assert.equal(exitCode, 0, screen)
      assert.match(screen, /Switched to context "stage"\./)
      assert.match(await readFile(kubeconfig(), 'utf8'), /^current-context: stage$/m)
    } finally {
      await s.close()
    }
  })

  it('talosconfig context with no name on a terminal: pick one', async () => {
    const s = await tmuxRun(['talosconfig', 'context', '--talosconfig', talosconfig()], {cwd: dir})
    try {
      await s.waitFor(/❯ stage/)
      await s.keys('Up', 'Up')
      await s.waitFor(/❯ prod\s*$/m)
      await s.keys('Enter')
      assert.equal((await s.exit()).exitCode, 0)
      assert.match(await readFile(talosconfig(), 'utf8'), /^context: prod$/m)
    } finally {
      await s.close()
    }
  })

  it('talosconfig remove on a terminal asks for each match: deny one, confirm the other; the current one is skipped', async () => {
    const s = await tmuxRun(['talosconfig', 'remove', '*', '--talosconfig', talosconfig()], {cwd: dir})
    try {
      await s.waitFor(/remove context "prod"\? \(y\/N\)/)
      await s.keys('n', 'Enter')
      await s.waitFor(/remove context "prod-1"\? \(y\/N\)/)
      await s.keys('y', 'Enter')
      const {exitCode, screen} = await s.exit()
      assert.equal(exitCode, 0, screen)
      assert.match(screen, /skipping removal of current context "stage"/)
      assert.equal(await readFile(talosconfig(), 'utf8'), 'context: stage\ncontexts:\n    prod:\n        endpoints: []\n    stage:\n        endpoints: []\n')
    } finally {
      await s.close()
    }
  })

  it('never shown when stdin or stdout is not a terminal: the missing argument is named, removal needs -y', async () => {
    const pick = await runCli(['kubeconfig', 'use-context', '--kubeconfig', kubeconfig()])
    assert.deepEqual([pick.exitCode, pick.stdout, pick.stderr], [2, '', 'error: Missing 1 required arg: name context name (see --help)\n'])
    const talos = await runCli(['talosconfig', 'context', '--talosconfig', talosconfig()])
    assert.deepEqual([talos.exitCode, talos.stderr], [2, 'error: Missing 1 required arg: name context name (see --help)\n'])
    const remove = await runCli(['talosconfig', 'remove', 'prod', '--talosconfig', talosconfig()], {input: 'y\n'})
    assert.equal(remove.exitCode, 2)
    assert.match(remove.stderr, /pass -y\/--noconfirm/)
    assert.equal(await readFile(talosconfig(), 'utf8'), TALOSCONFIG)
  })

  it('stdin a terminal but stdout piped: still no question (a script capturing the output never waits)', async () => {
    const out = join(dir, 'out')
    const s = await tmuxRun(['kubeconfig', 'use-context', '--kubeconfig', kubeconfig()], {cwd: dir, redirectStdout: out})
    try {
      const {exitCode, screen} = await s.exit()
      assert.equal(exitCode, 2)
      assert.match(screen, /error: Missing 1 required arg: name context name/)
      assert.doesNotMatch(screen, /Switch to context/)
    } finally {
      await s.close()
    }
  })
})
