// kube-apiserver's validation table (k8s.io/apiserver/pkg/apis/apiserver/validation tests) through `authn validate`:
// the same configurations, the same error strings, every error one per line.
import assert from 'node:assert/strict'
import {writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {VALIDATION_TABLE as TABLE} from '../../helpers/authn-tables.js'
import {type CliResult, makeTempDir, runCli} from '../../helpers/cli.js'

describe('authn validate: kube-apiserver validation table', function () {
  this.timeout(300_000)
  let dir: string
  let cleanup: () => Promise<void>
  const results = new Map<string, CliResult>()

  // The CLI runs are independent: run them two at a time up front, then assert per case.
  before(async () => {
    ;({cleanup, dir} = await makeTempDir('authctl-authn-validate-'))
    const queue = TABLE.map(([name, config], i) => async () => {
      const file = join(dir, `case-${i}.yaml`)
      await writeFile(file, JSON.stringify(config))
      results.set(name, await runCli(['authn', 'validate', file]))
    })
    const worker = async () => {
      for (let job = queue.shift(); job; job = queue.shift()) await job()
    }
    await Promise.all([worker(), worker()])
  })
  after(() => cleanup())

  it('has at least 30 configurations with errors', () => {
    assert.ok(TABLE.filter(([, , want]) => want.length > 0).length >= 30)
  })

  for (const [name, , want] of TABLE) {
    it(`${name} → ${want.length === 0 ? 'valid' : want[0].split('\n')[0]}`, () => {
      const r = results.get(name)!
      if (want.length === 0) {
        assert.equal(r.exitCode, 0, r.stdout + r.stderr)
        assert.match(r.stdout, /: valid (AuthenticationConfiguration|AuthorizationConfiguration) \(apiserver\.config\.k8s\.io\/v/)
        return
      }
      assert.equal(r.exitCode, 1, r.stdout + r.stderr)
      assert.equal(r.stdout, want.map((w) => `${w}\n`).join(''))
      assert.match(r.stderr, /^error: .*: \d+ errors? in Authori[sz]ationConfiguration\n$|^error: .*: \d+ errors? in AuthenticationConfiguration\n$/)
    })
  }
})
