// `authctl serve` as a process: start, answer, stop gracefully on SIGTERM; usage and file errors.
import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {call} from '../../e2e/server/client.js'
import {makePki, type Pki} from '../../e2e/server/fixtures.js'
import {cliPath, makeTempDir, runCli} from '../../helpers/cli.js'

describe('authctl serve (built CLI)', function () {
  this.timeout(60_000)
  let tmp: Awaited<ReturnType<typeof makeTempDir>>
  let pki: Pki
  before(async () => {
    tmp = await makeTempDir('authctl-serve-cmd-')
    pki = makePki(tmp.dir)
    writeFileSync(join(tmp.dir, 'tokens.csv'), 't1,tina,u1\n')
    writeFileSync(join(tmp.dir, 'policy.yaml'), 'kind: ClusterRoleBinding\nmetadata: {name: tina-view}\nsubjects: [{kind: User, name: tina}]\nroleRef: {kind: ClusterRole, name: view}\n')
  })
  after(() => tmp?.cleanup())

  it('serves with --config plus flags, prints the URL as JSON, stops on SIGTERM with exit 0', async () => {
    writeFileSync(join(tmp.dir, 'server.yaml'), `token-auth-file: ${join(tmp.dir, 'tokens.csv')}\nanonymous-auth: "false"\nsecure-port: 0\n`)
    const child = spawn(process.execPath, [cliPath, 'serve', '--config', join(tmp.dir, 'server.yaml'), '--tls-cert-file', pki.serverCert,
      '--tls-private-key-file', pki.serverKey, '--audit-log-path', join(tmp.dir, 'audit.log'), '--policy', join(tmp.dir, 'policy.yaml'), '--json'], {stdio: ['ignore', 'pipe', 'pipe']})
    let stderr = ''
    child.stderr.on('data', (d) => (stderr += d))
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
    try {
      const first = await new Promise<string>((resolve, reject) => {
        let out = ''
        child.stdout.on('data', (d) => {
          out += d
          if (out.includes('\n')) resolve(out.split('\n')[0])
        })
        child.on('exit', () => reject(new Error(`exited early: ${stderr}`)))
      })
      const {url} = JSON.parse(first)
      assert.match(url, /^https:\/\/127\.0\.0\.1:\d+$/)
      const ca = pki.read(pki.caCert)
      const ok = await call(url, ca, {body: '{}', path: '/apis/authentication.k8s.io/v1/selfsubjectreviews', token: 't1'})
      assert.equal(ok.json.status.userInfo.username, 'tina')
      const review = JSON.stringify({spec: {resourceAttributes: {namespace: 'x', resource: 'pods', verb: 'list'}}})
      const can = await call(url, ca, {body: review, path: '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', token: 't1'})
      assert.deepEqual(can.json.status, {allowed: true, reason: 'RBAC: allowed by ClusterRoleBinding "tina-view" of ClusterRole "view" to User "tina"'})
      const anon = await call(url, ca, {path: '/version'})
      assert.equal(anon.code, 401, 'anonymous-auth: "false" from the config file applies')
    } finally {
      child.kill('SIGTERM')
    }
    assert.equal(await exited, 0)
    assert.match(stderr, /serving on https:\/\/127\.0\.0\.1:\d+\n/)
    assert.match(stderr, /received SIGTERM, shutting down/)
  })

  it('usage errors exit 2; a missing file exits 1 naming it', async () => {
    const port = await runCli(['serve', '--secure-port', 'abc'])
    assert.equal(port.exitCode, 2)
    assert.match(port.stderr, /^error: invalid --secure-port "abc"/)
    const file = await runCli(['serve', '--secure-port', '0', '--token-auth-file', join(tmp.dir, 'nope.csv'), '--tls-cert-file', pki.serverCert, '--tls-private-key-file', pki.serverKey])
    assert.equal(file.exitCode, 1)
    assert.match(file.stderr, /nope\.csv/)
    writeFileSync(join(tmp.dir, 'bad.yaml'), 'frobnicate: 1\n')
    const unknown = await runCli(['serve', '--config', join(tmp.dir, 'bad.yaml')])
    assert.equal(unknown.exitCode, 2)
    assert.match(unknown.stderr, /unknown setting "frobnicate" in --config/)
  })
})
