// The kubectl setup for `oidc get-token` in docs/oidc.md, run exactly as printed (only the placeholder issuer replaced):
// real kubectl 1.32 stores the exec entry, then `kubectl auth whoami` runs authctl as its plugin against
// `authctl serve` configured for the same issuer, with a real OpenID provider doing the login.
import assert from 'node:assert/strict'
import {chmod, mkdir, readFile, writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import type {RunningServer} from '../../../src/lib/server/index.js'
import {cliPath, repoRoot, runProgram} from '../../helpers/cli.js'
import {browse, type TestPki, type TestProvider} from '../../commands/oidc/provider.js'
import {AUTH_URL, DEVICE_URL, startProgram, testEnv} from '../../commands/oidc/process.js'
import {type OidcServeFixture, startOidcServe} from './serve-fixture.js'

const KUBECTL = '/usr/lib/google-cloud-sdk/bin/kubectl.1.32'
const PLACEHOLDER_ISSUER = 'https://issuer.example.com'

/** The `kubectl config set-credentials …` command of the OIDC docs page, as argv (continuations joined). */
async function readmeSetup(): Promise<string[]> {
  const section = await readFile(join(repoRoot, 'docs/oidc.md'), 'utf8')
  const block = /```sh\n([\s\S]*?)```/.exec(section)![1]
  const command = block.replace(/\\\n\s*/g, ' ').split('\n').find((l) => l.startsWith('kubectl config set-credentials'))!
  // The page's command has no quoting; a plain split is what the shell does with it.
  return command.trim().split(/\s+/).slice(1)
}

describe('oidc: the docs kubectl setup works as printed', function () {
  this.timeout(120_000)
  let tmp: {dir: string; cleanup: () => Promise<void>}
  let pki: TestPki
  let op: TestProvider
  let server: RunningServer
  let fixture: OidcServeFixture | undefined

  before(async () => {
    fixture = await startOidcServe('authctl-oidc-readme-')
    ;({op, pki, server, tmp} = fixture)
  })
  after(async () => {
    await fixture?.close()
  })

  it('kubectl config set-credentials as docs/oidc.md shows, then kubectl auth whoami is the logged-in user', async () => {
    // `authctl` on PATH, as after installing it; the issuer's CA trusted the way node trusts extra CAs.
    const bin = join(tmp.dir, 'bin')
    await mkdir(bin)
    await writeFile(join(bin, 'authctl'), `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(cliPath)} "$@"\n`)
    await chmod(join(bin, 'authctl'), 0o755)
    const kubeconfig = join(tmp.dir, 'kubeconfig')
    await writeFile(kubeconfig, JSON.stringify({
      apiVersion: 'v1', kind: 'Config', 'current-context': 'ref',
      clusters: [{cluster: {'certificate-authority-data': Buffer.from(server.caCertificate).toString('base64'), server: server.url}, name: 'ref'}],
      contexts: [{context: {cluster: 'ref', user: 'oidc'}, name: 'ref'}],
    }))
    const env = testEnv(tmp.dir, {KUBECACHEDIR: join(tmp.dir, 'kube-cache'), KUBECONFIG: kubeconfig, NODE_EXTRA_CA_CERTS: pki.caFile, PATH: `${bin}:${process.env.PATH}`})

    const setup = (await readmeSetup()).map((a) => a.replace(PLACEHOLDER_ISSUER, op.issuer))
    assert.ok(setup.some((a) => a.includes(op.issuer)), 'the page names the placeholder issuer')
    const set = await runProgram(KUBECTL, setup, {env})
    assert.equal(set.exitCode, 0, set.stderr)
    assert.equal(set.stdout, 'User "oidc" set.\n')
    const stored = JSON.parse((await runProgram(KUBECTL, ['config', 'view', '-o', 'json'], {env})).stdout).users[0].user.exec
    assert.deepEqual(stored.args, [
      'oidc', 'get-token', `--oidc-issuer-url=${op.issuer}`, '--oidc-client-id=kubernetes',
      '--oidc-extra-scope=email', '--oidc-extra-scope=groups', '--oidc-extra-scope=offline_access',
    ])

    // kubectl runs the plugin without a terminal and passes its stderr through: the person logs in from there.
    const whoami = startProgram(KUBECTL, ['auth', 'whoami', '-o', 'json'], env)
    const [, deviceUrl, authUrl] = await whoami.waitFor(new RegExp(`${DEVICE_URL.source}|${AUTH_URL.source}`))
    await browse(deviceUrl ?? authUrl, pki.ca)
    const result = await whoami.done
    assert.equal(result.exitCode, 0, result.stderr)
    const user = JSON.parse(result.stdout).status.userInfo
    assert.equal(user.username, 'alice@example.com')
    assert.deepEqual(user.groups, ['oidc:developers', 'oidc:oncall', 'system:authenticated'])
  })
})
