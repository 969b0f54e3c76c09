// oidc setup on a terminal asks for a missing issuer URL and client ID (tmux send-keys against a real issuer on
// 127.0.0.1); off a terminal the missing flags stay a usage error and nothing is asked.
import assert from 'node:assert/strict'
import {join} from 'node:path'

import {makeTempDir, runCli} from '../../helpers/cli.js'
import {tmuxRun} from '../../helpers/tty.js'
import {makePki, startProvider, type TestPki, type TestProvider} from './provider.js'

describe('oidc setup questions', function () {
  this.timeout(60_000)
  let tmp: {dir: string; cleanup: () => Promise<void>}
  let pki: TestPki
  let op: TestProvider

  before(async () => {
    tmp = await makeTempDir('authctl-oidc-questions-')
    pki = makePki(tmp.dir)
    op = await startProvider(pki)
  })
  after(async () => {
    await op?.close()
    await tmp?.cleanup()
  })

  // Client credentials: the login needs no browser, so the whole run happens in the terminal.
  const rest = () => ['--oidc-client-secret', 'ci-secret', '--grant-type', 'client-credentials', '--certificate-authority', pki.caFile,
    '--token-cache-dir', join(tmp.dir, 'cache'), '--skip-kubeconfig', '--oidc-username-claim', 'sub', '--oidc-auth-request-extra-params', 'resource=urn:kubernetes']

  it('on a terminal: asks for the issuer URL, then the client ID, and runs with the answers', async () => {
    const s = await tmuxRun(['oidc', 'setup', ...rest()], {cwd: tmp.dir, env: {HOME: tmp.dir}})
    try {
      await s.waitFor(/OIDC issuer URL/)
      await s.keys('-l', op.issuer)
      await s.keys('Enter')
      await s.waitFor(/OAuth client ID/)
      await s.keys('-l', 'ci')
      await s.keys('Enter')
      const {exitCode, screen} = await s.exit(40_000)
      assert.equal(exitCode, 0, screen)
      assert.match(screen, /--oidc-client-id=ci/)
      assert.ok(screen.includes(`--oidc-issuer-url=${op.issuer}`), screen)
    } finally {
      await s.close()
    }
  })

  it('a flag answers its question in advance: only the missing one is asked', async () => {
    const s = await tmuxRun(['oidc', 'setup', '--oidc-issuer-url', op.issuer, ...rest()], {cwd: tmp.dir, env: {HOME: tmp.dir}})
    try {
      const screen = await s.waitFor(/OAuth client ID/)
      assert.doesNotMatch(screen, /issuer URL/)
      await s.keys('-l', 'ci')
      await s.keys('Enter')
      assert.equal((await s.exit(40_000)).exitCode, 0)
    } finally {
      await s.close()
    }
  })

  it('never asked when stdin or stdout is not a terminal: the missing flags are a usage error', async () => {
    const piped = await runCli(['oidc', 'setup', ...rest()], {input: `${op.issuer}\nci\n`})
    assert.deepEqual([piped.exitCode, piped.stdout], [2, ''])
    assert.equal(piped.stderr, 'error: The following errors occurred: Missing required flag oidc-client-id Missing required flag oidc-issuer-url (see --help)\n')
    const out = join(tmp.dir, 'out')
    const s = await tmuxRun(['oidc', 'setup', '--oidc-issuer-url', op.issuer, ...rest()], {cwd: tmp.dir, redirectStdout: out})
    try {
      const {exitCode, screen} = await s.exit()
      assert.equal(exitCode, 2)
      assert.match(screen, /Missing required flag oidc-client-id/)
      assert.doesNotMatch(screen, /OAuth client ID/)
    } finally {
      await s.close()
    }
  })
})
