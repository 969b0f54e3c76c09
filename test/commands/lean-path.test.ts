import assert from 'node:assert/strict'
import {writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {cliPath, makeTempDir, runProgram} from '../helpers/cli.js'

// Start-up is a feature: ordinary command lines must run on the lean path, which never imports oclif (~90 ms).
// A preload reports at exit whether any @oclif module was loaded into the process.
const PRELOAD = `import {createRequire} from 'node:module'
const require = createRequire(import.meta.url)
process.on('exit', () => { if (Object.keys(require.cache).some((k) => k.includes('/@oclif/'))) process.stderr.write('\\nOCLIF-LOADED\\n') })
`

describe('lean start-up path: ordinary command lines never load oclif', () => {
  let dir: string
  let cleanup: () => Promise<void>
  const run = (args: string[]) =>
    runProgram(process.execPath, ['--import', join(dir, 'preload.mjs'), cliPath, ...args], {cwd: dir, env: {KUBECONFIG: join(dir, 'kubeconfig')}})

  before(async () => {
    ;({cleanup, dir} = await makeTempDir())
    await writeFile(join(dir, 'preload.mjs'), PRELOAD)
    assert.equal((await run(['pki', 'ca', '--name', 'ca'])).exitCode, 0)
  })
  after(() => cleanup())

  const lean: string[][] = [
    ['pki', 'issue', '--profile', 'kubernetes-user', '--ca', 'ca.crt', '--user', 'alice', '--group', 'dev', '--group', 'ops', '--name', 'alice'],
    ['pki', 'issue', '--profile', 'talos-client', '--ca', 'ca.crt', '--roles', 'os:reader,os:operator', '--name', 'talos'],
    ['pki', 'issue', '--profile', 'server', '--ca', 'ca.crt', '--cn', 'api', '--dns', 'a.example', '--ip', '127.0.0.1', '--name', 'server'],
    ['pki', 'inspect', 'alice.crt', '--json'],
    ['kubeconfig', 'set-cluster', 'dev', '--server', 'https://127.0.0.1:6443'],
    ['kubeconfig', 'set-context', 'dev', '--cluster', 'dev', '--user', 'dev'],
    ['kubeconfig', 'use-context', 'dev'],
    ['kubeconfig', 'current-context'],
    ['kubeconfig', 'get-contexts'],
  ]
  for (const args of lean) {
    it(args.join(' '), async () => {
      const r = await run(args)
      assert.equal(r.exitCode, 0, r.stderr)
      assert.doesNotMatch(r.stderr, /OCLIF-LOADED/)
    })
  }

  it('the preload does notice oclif (help goes through it)', async () => {
    const r = await run(['pki', 'issue', '--help'])
    assert.equal(r.exitCode, 0)
    assert.match(r.stderr, /OCLIF-LOADED/)
  })
})
