// `authctl serve` with no TLS files: its generated CA and serving certificate land in --cert-dir and are reused on
// the next start; --write-kubeconfig gives an admin kubeconfig that real kubectl uses at once, as kind does.
import assert from 'node:assert/strict'
import {readFile, stat} from 'node:fs/promises'
import {join} from 'node:path'

import {kubectlBinary} from '../../e2e/kube/compare.js'
import {makeTempDir, runProgram} from '../../helpers/cli.js'
import {type ServeProcess, startServe} from '../../helpers/serve-process.js'

const KUBECTL = kubectlBinary('1.32') ?? 'kubectl'

describe('authctl serve out of the box (--cert-dir, --write-kubeconfig)', function () {
  this.timeout(120_000)
  let dir: string
  let cleanup: () => Promise<void>
  let serve: ServeProcess | undefined
  const kubectl = (kubeconfig: string, ...args: string[]) =>
    runProgram(KUBECTL, args, {env: {KUBECACHEDIR: join(dir, 'cache'), KUBECONFIG: kubeconfig}})

  before(async () => {
    ;({cleanup, dir} = await makeTempDir('authctl-serve-box-'))
  })
  afterEach(async () => {
    await serve?.stop()
    serve = undefined
  })
  after(() => cleanup?.())

  it('writes an admin kubeconfig kubectl uses at once; a second start reuses the cert dir', async () => {
    const certDir = join(dir, 'certs')
    const kc = join(dir, 'kc')
    serve = await startServe(['--cert-dir', certDir, '--write-kubeconfig', kc])
    assert.match(serve.stderr(), /wrote admin kubeconfig .*kc/)
    const whoami = await kubectl(kc, 'auth', 'whoami', '-o', 'json')
    assert.equal(whoami.exitCode, 0, whoami.stderr)
    const {extra: _, ...user} = JSON.parse(whoami.stdout).status.userInfo
    assert.deepEqual(user, {groups: ['system:masters', 'system:authenticated'], username: 'admin'})
    const can = await kubectl(kc, 'auth', 'can-i', 'delete', 'nodes')
    assert.equal(can.stdout, 'yes\n')
    assert.equal((await stat(join(certDir, 'apiserver.key'))).mode & 0o777, 0o600)
    assert.equal((await stat(join(certDir, 'client-ca.key'))).mode & 0o777, 0o600)
    assert.equal((await stat(kc)).mode & 0o777, 0o600)
    const files = async () => Promise.all(['ca.crt', 'apiserver.crt', 'apiserver.key', 'client-ca.crt'].map((f) => readFile(join(certDir, f), 'utf8')))
    const first = await files()
    assert.equal(await serve.stop(), 0)

    // The next start keeps the same CAs: the kubeconfig written before still verifies the server.
    serve = await startServe(['--cert-dir', certDir, '--write-kubeconfig', kc])
    assert.match(serve.stderr(), /using the serving certificate in /)
    assert.deepEqual(await files(), first)
    const again = await kubectl(kc, 'auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}')
    assert.equal(again.stdout, 'admin', again.stderr)
  })

  it('without --cert-dir, uses the state directory ($XDG_STATE_HOME/authctl/serve)', async () => {
    const state = join(dir, 'state')
    serve = await startServe(['--write-kubeconfig', join(dir, 'kc2')], {env: {XDG_STATE_HOME: state}})
    assert.ok((await readFile(join(state, 'authctl', 'serve', 'ca.crt'), 'utf8')).startsWith('-----BEGIN CERTIFICATE-----'))
    const whoami = await kubectl(join(dir, 'kc2'), 'auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}')
    assert.equal(whoami.stdout, 'admin', whoami.stderr)
  })
})
