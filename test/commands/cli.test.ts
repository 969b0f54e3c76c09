import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'

import {repoRoot, runCli} from '../helpers/cli.js'

describe('authctl (built CLI): the contracts every command keeps', () => {
  it('--version prints name/version platform node', async () => {
    const {version} = JSON.parse(readFileSync(`${repoRoot}/package.json`, 'utf8'))
    const r = await runCli(['--version'])
    assert.equal(r.exitCode, 0)
    assert.equal(r.stdout, `authctl/${version} ${process.platform}-${process.arch} node-${process.version}\n`)
  })

  it('--help lists the topics', async () => {
    const r = await runCli(['--help'])
    assert.equal(r.exitCode, 0)
    assert.match(r.stdout, /TOPICS[\s\S]*talos/)
  })

  it('an unknown command is a one-line usage error with exit 2', async () => {
    const r = await runCli(['frobnicate'])
    assert.deepEqual([r.exitCode, r.stdout, r.stderr], [2, '', 'error: unknown command "frobnicate" (see authctl --help)\n'])
  })

  it('a bad flag value is a one-line usage error with exit 2, and --json adds one error document on stdout', async () => {
    const r = await runCli(['talos', 'can-i', 'Reboot', '--roles', 'os:admin', '--talos-version', 'x', '--json'])
    assert.equal(r.exitCode, 2)
    assert.equal(r.stderr.split('\n').filter(Boolean).length, 1)
    assert.deepEqual(JSON.parse(r.stdout).error.exitCode, 2)
  })

  it('an oclif parse error (unknown flag) keeps the contract', async () => {
    const r = await runCli(['talos', 'can-i', 'Reboot', '--no-such-flag'])
    assert.equal(r.exitCode, 2)
    assert.match(r.stderr, /^error: Nonexistent flag: --no-such-flag \(see --help\)\n$/)
  })
})
