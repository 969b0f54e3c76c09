import assert from 'node:assert/strict'
import {chmod, mkdir, readFile, stat, writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {cliPath, makeTempDir, runCli, runProgram} from '../../helpers/cli.js'
import {browse, makePki, startHttps, startProvider, type TestPki, type TestProvider} from './provider.js'
import {AUTH_URL, startCli, testEnv} from './process.js'

describe('oidc setup', function () {
  this.timeout(60_000)
  let tmp: {dir: string; cleanup: () => Promise<void>}
  let pki: TestPki
  let op: TestProvider
  let cacheDir: string

  before(async () => {
    tmp = await makeTempDir('authctl-oidc-setup-')
    pki = makePki(tmp.dir)
    op = await startProvider(pki)
    cacheDir = join(tmp.dir, 'cache')
  })
  after(async () => {
    await op?.close()
    await tmp?.cleanup()
  })

  const args = (extra: string[]) => ['oidc', 'setup', '--oidc-issuer-url', op.issuer, '--oidc-client-id', 'kubernetes', '--grant-type', 'authcode',
    '--certificate-authority', pki.caFile, '--token-cache-dir', cacheDir, '--listen-address', '127.0.0.1:0', '--oidc-extra-scope', 'email,groups', ...extra]

  it('logs in, prints the claims and the user kube-apiserver derives with the claim flags, and writes the kubeconfig user', async () => {
    const kubeconfig = join(tmp.dir, 'kubeconfig')
    const run = startCli(args(['--oidc-username-claim', 'email', '--oidc-groups-claim', 'groups', '--oidc-groups-prefix', 'oidc:', '--kubeconfig', kubeconfig]), testEnv(tmp.dir))
    const [, url] = await run.waitFor(AUTH_URL)
    await browse(url, pki.ca)
    const result = await run.done
    assert.equal(result.exitCode, 0, result.stderr)
    assert.match(result.stdout, /^issuer +https:\/\/127\.0\.0\.1:\d+\n/)
    assert.match(result.stdout, /JWKS +1 key at https:\/\/127\.0\.0\.1:\d+\/jwks\n/)
    assert.match(result.stdout, /"email": "alice@example\.com"/)
    assert.match(result.stdout, /kube-apiserver flags:\n {2}--oidc-issuer-url=https:\/\/127\.0\.0\.1:\d+\n {2}--oidc-client-id=kubernetes\n {2}--oidc-ca-file=\S+issuer-ca\.crt\n {2}--oidc-username-claim=email\n {2}--oidc-groups-claim=groups\n {2}--oidc-groups-prefix=oidc:\n/)
    assert.match(result.stdout, /username +alice@example\.com\n +groups +oidc:developers, oidc:oncall\n/)
    assert.match(result.stdout, /User "oidc" set\. \(\S+kubeconfig; the same as: kubectl config set-credentials oidc --exec-api-version=client\.authentication\.k8s\.io\/v1 --exec-interactive-mode=IfAvailable --exec-command=authctl --exec-arg=oidc --exec-arg=get-token --exec-arg=--oidc-issuer-url=https:\/\/127\.0\.0\.1:\d+ --exec-arg=--oidc-client-id=kubernetes --exec-arg=--oidc-extra-scope=email --exec-arg=--oidc-extra-scope=groups --exec-arg=--grant-type=authcode/)
    assert.equal((await stat(kubeconfig)).mode & 0o777, 0o600)

    // Real kubectl reads the user back and runs it: the API it talks to receives the cached id_token.
    const view = await runProgram('/usr/lib/google-cloud-sdk/bin/kubectl.1.32', ['--kubeconfig', kubeconfig, 'config', 'view', '-o', 'jsonpath={.users[0].user.exec}'])
    assert.equal(view.exitCode, 0, view.stderr)
    const exec = JSON.parse(view.stdout)
    assert.equal(exec.command, 'authctl')
    assert.equal(exec.apiVersion, 'client.authentication.k8s.io/v1')
    assert.equal(exec.interactiveMode, 'IfAvailable')
    assert.deepEqual(exec.args.slice(0, 2), ['oidc', 'get-token'])
    const seen: string[] = []
    const api = await startHttps(pki, (req, res) => {
      seen.push(String(req.headers.authorization))
      res.end('{}')
    })
    const bin = join(tmp.dir, 'bin')
    await mkdir(bin, {recursive: true})
    await writeFile(join(bin, 'authctl'), `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(cliPath)} "$@"\n`)
    await chmod(join(bin, 'authctl'), 0o755)
    try {
      const kube = ['--kubeconfig', kubeconfig]
      for (const cmd of [['config', 'set-cluster', 'c', `--server=${api.url}`, `--certificate-authority=${pki.caFile}`], ['config', 'set-context', 'c', '--cluster=c', '--user=oidc'], ['config', 'use-context', 'c']]) {
        assert.equal((await runProgram('/usr/lib/google-cloud-sdk/bin/kubectl.1.32', [...kube, ...cmd])).exitCode, 0)
      }
      const env = testEnv(tmp.dir, {KUBECACHEDIR: join(tmp.dir, 'kube-cache'), PATH: `${bin}:${process.env.PATH}`})
      const got = await runProgram('/usr/lib/google-cloud-sdk/bin/kubectl.1.32', [...kube, 'get', '--raw', '/api/probe'], {env})
      assert.equal(got.exitCode, 0, got.stderr)
      const cached = JSON.parse(result.stdout.match(/id_token claims:\n([\s\S]*?\n\})\n/)![1])
      const sent = JSON.parse(Buffer.from(seen.find((h) => h.startsWith('Bearer '))!.slice(7).split('.')[1], 'base64url').toString())
      assert.equal(sent.sub, cached.sub)
      assert.equal(sent.iat, cached.iat, 'the token setup logged in with')
    } finally {
      await api.close()
    }
  })

  it('uses the cached login; with the default claim the username gets the "<issuer>#" prefix (--json)', async () => {
    const result = await runCli(args(['--json', '--skip-kubeconfig']), {env: testEnv(tmp.dir)})
    assert.equal(result.exitCode, 0, result.stderr)
    assert.doesNotMatch(result.stderr, /Open this URL/)
    const doc = JSON.parse(result.stdout)
    assert.deepEqual(doc.user, {groups: [], username: `${op.issuer}#alice`})
    assert.equal(doc.kubeconfigUser.name, 'oidc')
    assert.equal(doc.kubeconfigUser.user.exec.command, 'authctl')
    assert.equal(doc.claims.sub, 'alice')
  })

  it('says why kube-apiserver would reject the token (exit 1) and writes no kubeconfig', async () => {
    const kubeconfig = join(tmp.dir, 'rejected-kubeconfig')
    const result = await runCli(args(['--oidc-required-claim', 'hd=example.com', '--kubeconfig', kubeconfig]), {env: testEnv(tmp.dir)})
    assert.equal(result.exitCode, 1)
    assert.match(result.stdout, /kube-apiserver would reject this token: oidc: required claim hd not present in ID token\n$/)
    await assert.rejects(readFile(kubeconfig), /ENOENT/)
  })
})
