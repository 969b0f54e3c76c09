import assert from 'node:assert/strict'
import {chmodSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {type ClientDeps, KubeClient} from '../../../src/lib/kube/client.js'
import type {Connection, ExecConfig} from '../../../src/lib/kube/connection.js'
import {clearExecCache, execCredential} from '../../../src/lib/kube/exec.js'
import {whoami} from '../../../src/lib/kube/whoami.js'
import {makeTempDir} from '../../helpers/cli.js'
import {type FakeApi, makePki, type Pki, startFakeApi} from './fixtures.js'

// A real credential plugin: a node script that logs each run (argv, env, KUBERNETES_EXEC_INFO) to a file and prints
// what its PLUGIN_OUTPUT env var asks for.
const pluginSource = `#!/usr/bin/env node
const fs = require('node:fs')
fs.appendFileSync(process.env.PLUGIN_LOG, JSON.stringify({argv: process.argv.slice(2), info: JSON.parse(process.env.KUBERNETES_EXEC_INFO), team: process.env.TEAM}) + '\\n')
process.stderr.write('plugin: fetching credentials\\n')
const mode = process.env.PLUGIN_MODE || 'token'
const apiVersion = process.env.PLUGIN_API_VERSION
const runs = fs.readFileSync(process.env.PLUGIN_LOG, 'utf8').trim().split('\\n').length
if (mode === 'fail') process.exit(3)
if (mode === 'garbage') { process.stdout.write('not json'); process.exit(0) }
if (mode === 'nostatus') { process.stdout.write(JSON.stringify({kind: 'ExecCredential', apiVersion})); process.exit(0) }
if (mode === 'certonly') { process.stdout.write(JSON.stringify({kind: 'ExecCredential', apiVersion, status: {clientCertificateData: 'x'}})); process.exit(0) }
const status = mode === 'cert'
  ? {clientCertificateData: fs.readFileSync(process.env.CERT, 'utf8'), clientKeyData: fs.readFileSync(process.env.KEY, 'utf8')}
  : {token: 'tok-' + runs}
if (process.env.PLUGIN_EXPIRY) status.expirationTimestamp = process.env.PLUGIN_EXPIRY
process.stdout.write(JSON.stringify({kind: 'ExecCredential', apiVersion: process.env.PLUGIN_RETURN_VERSION || apiVersion, status}))
`

describe('kube exec credential plugins (real script plugins)', function () {
  this.timeout(60_000)
  let tmp: Awaited<ReturnType<typeof makeTempDir>>
  let pki: Pki
  let api: FakeApi
  let plugin: string
  let logFile: string
  let n = 0
  let clock: Date
  let stderr: string[]
  const clients: KubeClient[] = []

  before(async () => {
    tmp = await makeTempDir('authctl-exec-')
    pki = makePki(tmp.dir)
    plugin = join(tmp.dir, 'plugin.js')
    writeFileSync(plugin, pluginSource)
    chmodSync(plugin, 0o755)
    const tokens: Record<string, {username: string; groups: string[]}> = {}
    for (let i = 1; i < 10; i++) tokens[`tok-${i}`] = {groups: ['exec'], username: `exec-user-${i}`}
    api = await startFakeApi(pki, {tokens})
  })
  beforeEach(() => {
    clearExecCache()
    logFile = join(tmp.dir, `runs-${++n}.log`)
    clock = new Date('2026-06-01T00:00:00Z')
    stderr = []
  })
  afterEach(() => {
    for (const c of clients.splice(0)) c.close()
  })
  after(async () => {
    await api?.close()
    await tmp?.cleanup()
  })

  const runs = () => readFileSync(logFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l))
  function deps(env: Record<string, string> = {}): ClientDeps {
    return {env: {...process.env, PLUGIN_LOG: logFile, ...env}, now: () => clock, stderr: (t) => stderr.push(t), stdinIsTty: false}
  }
  function conn(exec: Partial<ExecConfig>, extra: Partial<Connection> = {}): Connection {
    return {authInfoName: 'exec-user', caPem: pki.caPem, exec: {apiVersion: 'client.authentication.k8s.io/v1', command: plugin, interactiveMode: 'Never', ...exec}, server: api.url, ...extra}
  }
  function client(c: Connection, env: Record<string, string> = {}) {
    const k = new KubeClient(c, deps(env))
    clients.push(k)
    return k
  }

  it('v1: token plugin with args, env and KUBERNETES_EXEC_INFO (provideClusterInfo), stderr passed through', async () => {
    const c = conn({args: ['get-token', '--x'], env: [{name: 'TEAM', value: 'blue'}], provideClusterInfo: true}, {tlsServerName: 'localhost'})
    const r = await whoami(client(c, {PLUGIN_API_VERSION: 'client.authentication.k8s.io/v1'}))
    assert.ok(r.confirmed)
    assert.equal(r.review.status.userInfo.username, 'exec-user-1')
    const [run] = runs()
    assert.deepEqual(run.argv, ['get-token', '--x'])
    assert.equal(run.team, 'blue')
    assert.deepEqual(run.info, {
      apiVersion: 'client.authentication.k8s.io/v1',
      kind: 'ExecCredential',
      spec: {cluster: {'certificate-authority-data': Buffer.from(pki.caPem).toString('base64'), config: null, server: api.url, 'tls-server-name': 'localhost'}, interactive: false},
    })
    assert.equal(stderr.join(''), 'plugin: fetching credentials\n')
  })

  it('v1beta1: client certificate plugin; interactiveMode defaults to IfAvailable; no cluster info unless asked', async () => {
    const c = conn({apiVersion: 'client.authentication.k8s.io/v1beta1', interactiveMode: undefined})
    const r = await whoami(client(c, {CERT: pki.clientCertFile, KEY: pki.clientKeyFile, PLUGIN_API_VERSION: 'client.authentication.k8s.io/v1beta1', PLUGIN_MODE: 'cert'}))
    assert.ok(r.confirmed)
    assert.equal(r.review.status.userInfo.username, 'jane')
    assert.deepEqual(runs()[0].info, {apiVersion: 'client.authentication.k8s.io/v1beta1', kind: 'ExecCredential', spec: {interactive: false}})
  })

  it('caches the credential in-process until expirationTimestamp, then runs the plugin again', async () => {
    const env = {PLUGIN_API_VERSION: 'client.authentication.k8s.io/v1', PLUGIN_EXPIRY: '2026-06-01T00:10:00Z'}
    const k = client(conn({}), env)
    const first = await whoami(k)
    const again = await whoami(k)
    assert.equal(runs().length, 1)
    clock = new Date('2026-06-01T00:10:01Z')
    const later = await whoami(k)
    assert.equal(runs().length, 2)
    assert.ok(first.confirmed && again.confirmed && later.confirmed)
    assert.equal(first.review.status.userInfo.username, 'exec-user-1')
    assert.equal(again.review.status.userInfo.username, 'exec-user-1')
    assert.equal(later.review.status.userInfo.username, 'exec-user-2')
  })

  it('after a 401 the next call runs the plugin again (the failed request is not retried)', async () => {
    const rejecting = await startFakeApi(pki, {tokens: {}})
    try {
      const k = new KubeClient(conn({}, {server: rejecting.url}), deps({PLUGIN_API_VERSION: 'client.authentication.k8s.io/v1'}))
      await assert.rejects(whoami(k), {message: 'You must be logged in to the server (Unauthorized)'})
      assert.equal(rejecting.requests.length, 1)
      assert.equal(runs().length, 1)
      await assert.rejects(whoami(k))
      assert.equal(runs().length, 2)
      k.close()
    } finally {
      await rejecting.close()
    }
  })

  it("missing binary: kubectl's message with the install hint", async () => {
    const k = client(conn({command: 'authctl-no-such-plugin', installHint: 'install it with: brew install no-such-plugin'}))
    const before = api.requests.length
    await assert.rejects(whoami(k), (error: any) => {
      assert.equal(error.message, 'Unable to connect to the server: getting credentials: exec: executable authctl-no-such-plugin not found')
      assert.match(error.hint, /credential plugin that is not installed.*brew install no-such-plugin/)
      return true
    })
    assert.equal(api.requests.length, before, 'no request is sent without credentials')
  })

  it('non-zero exit: exec: executable X failed with exit code N', async () => {
    await assert.rejects(whoami(client(conn({}), {PLUGIN_MODE: 'fail'})), {
      message: `Unable to connect to the server: getting credentials: exec: executable ${plugin} failed with exit code 3`,
    })
  })

  it("bad output: client-go's validation messages", async () => {
    const v1 = 'client.authentication.k8s.io/v1'
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{PLUGIN_API_VERSION: v1, PLUGIN_MODE: 'garbage'}, /getting credentials: decoding stdout: /],
      [{PLUGIN_API_VERSION: v1, PLUGIN_MODE: 'nostatus'}, /getting credentials: exec plugin didn't return a status field$/],
      [{PLUGIN_API_VERSION: v1, PLUGIN_MODE: 'certonly'}, /getting credentials: exec plugin returned only certificate or key, not both$/],
      [
        {PLUGIN_API_VERSION: v1, PLUGIN_RETURN_VERSION: 'client.authentication.k8s.io/v1beta1'},
        /exec plugin is configured to use API version client\.authentication\.k8s\.io\/v1, plugin returned version client\.authentication\.k8s\.io\/v1beta1$/,
      ],
    ]
    for (const [env, message] of cases) {
      clearExecCache()
      await assert.rejects(execCredential(conn({}), deps(env)), {message})
    }
  })

  it('interactive modes: Always needs a terminal; v1 requires interactiveMode', async () => {
    await assert.rejects(execCredential(conn({interactiveMode: 'Always'}), deps()), {
      message: 'Unable to connect to the server: getting credentials: exec plugin cannot support interactive mode: standard input is not a terminal',
    })
    await assert.rejects(execCredential(conn({interactiveMode: undefined}), deps()), {
      message: 'interactiveMode must be specified for exec-user to use exec authentication plugin',
    })
    await assert.rejects(execCredential(conn({apiVersion: 'client.authentication.k8s.io/v2'}), deps()), {
      message: 'Unable to connect to the server: getting credentials: exec plugin: invalid apiVersion "client.authentication.k8s.io/v2"',
    })
  })

  it('IfAvailable with a terminal marks the request interactive', async () => {
    const d = {...deps({PLUGIN_API_VERSION: 'client.authentication.k8s.io/v1'}), stdinIsTty: true}
    await execCredential(conn({interactiveMode: 'IfAvailable'}), d)
    assert.equal(runs()[0].info.spec.interactive, true)
  })

  it('is skipped when the user also has a token', async () => {
    const r = await whoami(client(conn({}, {token: 'tok-5'})))
    assert.ok(r.confirmed)
    assert.equal(r.review.status.userInfo.username, 'exec-user-5')
    assert.throws(() => readFileSync(logFile))
  })
})
