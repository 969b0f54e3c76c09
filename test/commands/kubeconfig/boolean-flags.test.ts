// kubectl's --flag=true|false booleans (Go's ParseBool spellings) on both ways a command line runs: the lean runner
// (bin/run.cjs) and oclif (bin/dev.js, the sources through tsx). Each spelling must do what the bare flag, or its
// absence, does, and a value ParseBool refuses is a usage error on both.
import assert from 'node:assert/strict'
import {readFile, writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {normalizeBooleanArgv} from '../../../src/cli/boolean-flags.js'
import {cliPath, makeTempDir, repoRoot, runProgram} from '../../helpers/cli.js'
import {FIXTURE_CA_PEM} from '../../helpers/fixture-pems.js'

const KUBECONFIG = `apiVersion: v1
kind: Config
clusters:
- name: c
  cluster: {server: "https://127.0.0.1:6443", certificate-authority: ca.pem}
users:
- name: u
  user: {token: secret-token}
contexts:
- name: c
  context: {cluster: c, user: u}
current-context: c
`

describe('--flag=true|false booleans', function () {
  this.timeout(120_000)
  let dir: string
  let cleanup: () => Promise<void>
  before(async () => {
    ;({cleanup, dir} = await makeTempDir())
    await writeFile(join(dir, 'config'), KUBECONFIG)
    await writeFile(join(dir, 'ca.pem'), FIXTURE_CA_PEM)
  })
  after(() => cleanup())

  const paths = {
    lean: (args: string[]) => runProgram(process.execPath, [cliPath, ...args], {cwd: dir, env: {HOME: dir, KUBECONFIG: join(dir, 'config')}}),
    oclif: (args: string[]) => runProgram(process.execPath, ['--import', 'tsx', join(repoRoot, 'bin/dev.js'), ...args], {cwd: repoRoot, env: {HOME: dir, KUBECONFIG: join(dir, 'config')}}),
  }

  // [with a value, the same without one]
  const same: Array<[string[], string[]]> = [
    [['kubeconfig', 'view', '--raw=true', '-o', 'json'], ['kubeconfig', 'view', '--raw', '-o', 'json']],
    [['kubeconfig', 'view', '--raw=false', '-o', 'json'], ['kubeconfig', 'view', '-o', 'json']],
    [['kubeconfig', 'view', '--flatten=1', '--minify=t'], ['kubeconfig', 'view', '--flatten', '--minify']],
    [['kubeconfig', 'view', '--flatten=False'], ['kubeconfig', 'view']],
    [['kubeconfig', 'view', '-o', 'jsonpath={.nope}', '--allow-missing-template-keys=false'], ['kubeconfig', 'view', '-o', 'jsonpath={.nope}', '--no-allow-missing-template-keys']],
    [['kubeconfig', 'view', '-o', 'jsonpath={.nope}', '--allow-missing-template-keys=true'], ['kubeconfig', 'view', '-o', 'jsonpath={.nope}']],
  ]
  for (const [withValue, bare] of same) {
    it(`${withValue.slice(1).join(' ')} = ${bare.slice(1).join(' ')} on the lean and the oclif path`, async () => {
      const results = await Promise.all([paths.lean(withValue), paths.oclif(withValue), paths.lean(bare), paths.oclif(bare)])
      for (const r of results.slice(1)) {
        assert.equal(r.exitCode, results[0].exitCode, r.stderr)
        assert.equal(r.stdout, results[0].stdout)
        assert.equal(r.stderr, results[0].stderr)
      }
    })
  }

  it('set-cluster --embed-certs=true writes what --embed-certs writes, on both paths', async () => {
    const outputs: string[] = []
    for (const [run, flag] of [[paths.lean, '--embed-certs=true'], [paths.oclif, '--embed-certs=true'], [paths.lean, '--embed-certs']] as const) {
      await writeFile(join(dir, 'config'), KUBECONFIG)
      const r = await run(['kubeconfig', 'set-cluster', 'c', '--certificate-authority', join(dir, 'ca.pem'), flag])
      assert.equal(r.exitCode, 0, r.stderr)
      outputs.push(await readFile(join(dir, 'config'), 'utf8'))
    }
    assert.match(outputs[0], new RegExp(`certificate-authority-data: ${Buffer.from(FIXTURE_CA_PEM).toString('base64')}`))
    assert.equal(outputs[1], outputs[0])
    assert.equal(outputs[2], outputs[0])
  })

  it('a value ParseBool refuses is a usage error (exit 2) on both paths', async () => {
    for (const run of [paths.lean, paths.oclif]) {
      const r = await run(['kubeconfig', 'view', '--raw=maybe'])
      assert.equal(r.exitCode, 2, r.stderr)
      assert.match(r.stderr, /^error: /)
    }
  })

  it('rewrites only boolean flags, and nothing after --', () => {
    const flags = [{name: 'raw', type: 'boolean'}, {allowNo: true, name: 'keys', type: 'boolean'}, {name: 'output', type: 'option'}]
    assert.deepEqual(
      normalizeBooleanArgv(['--raw=true', '--keys=false', '--output=true', '--raw=0', '--keys=T', '--', '--raw=true'], flags),
      ['--raw', '--no-keys', '--output=true', '--keys', '--', '--raw=true'],
    )
    assert.deepEqual(normalizeBooleanArgv(['--raw=yes'], flags), ['--raw=yes'])
  })
})
