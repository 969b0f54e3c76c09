// TLS session resumption keeps a chained client's identity: OpenSSL restores only the leaf of a resumed session, so
// the server must still judge the chain the client presented (leaf + intermediate, client CA = root only).
import assert from 'node:assert/strict'
import {execFile, execFileSync} from 'node:child_process'
import {writeFileSync} from 'node:fs'
import {Agent, request} from 'node:https'
import {join} from 'node:path'
import type {TLSSocket} from 'node:tls'
import {promisify} from 'node:util'

import {startServer, type RunningServer} from '../../../src/lib/server/index.js'
import {makeTempDir} from '../../helpers/cli.js'
import {makePki, type Pki} from './fixtures.js'

const openssl = (args: string[], cwd: string) => execFileSync('openssl', args, {cwd, stdio: ['ignore', 'pipe', 'pipe']})

describe('serve: resumed TLS sessions keep the client chain', function () {
  this.timeout(60_000)
  let tmp: Awaited<ReturnType<typeof makeTempDir>>
  let pki: Pki
  let server: RunningServer
  let chainPem: string
  let leafKey: string

  before(async () => {
    tmp = await makeTempDir('authctl-serve-resume-')
    pki = makePki(tmp.dir)
    const dir = tmp.dir
    openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'inter.key'], dir)
    openssl(['req', '-new', '-key', 'inter.key', '-subj', '/CN=team-intermediate', '-out', 'inter.csr'], dir)
    writeFileSync(join(dir, 'inter.ext'), 'basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign\n')
    openssl(['x509', '-req', '-in', 'inter.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '1', '-extfile', 'inter.ext', '-out', 'inter.crt'], dir)
    openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'chained.key'], dir)
    openssl(['req', '-new', '-key', 'chained.key', '-subj', '/O=dev/CN=chained', '-out', 'chained.csr'], dir)
    writeFileSync(join(dir, 'chained.ext'), 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n')
    openssl(['x509', '-req', '-in', 'chained.csr', '-CA', 'inter.crt', '-CAkey', 'inter.key', '-CAcreateserial', '-days', '1', '-extfile', 'chained.ext', '-out', 'chained.crt'], dir)
    chainPem = pki.read(join(dir, 'chained.crt')) + pki.read(join(dir, 'inter.crt'))
    leafKey = pki.read(join(dir, 'chained.key'))
    server = await startServer({clientCAFile: pki.caCert, port: 0, reloadIntervalMs: 0, tlsCertFile: pki.serverCert, tlsKeyFile: pki.serverKey})
  })
  after(async () => {
    await server?.close()
    await tmp?.cleanup()
  })

  /** One request on a new connection (the agent reuses TLS sessions, never connections). */
  const whoami = (agent: Agent) => new Promise<{code: number; user?: string; reused: boolean}>((resolve, reject) => {
    const req = request(`${server.url}/apis/authentication.k8s.io/v1/selfsubjectreviews`, {agent, headers: {'Content-Type': 'application/json'}, method: 'POST'}, (res) => {
      const reused = (res.socket as TLSSocket).isSessionReused()
      let text = ''
      res.on('data', (d) => (text += d))
      res.on('end', () => resolve({code: res.statusCode!, reused, user: res.statusCode === 201 ? JSON.parse(text).status.userInfo.username : undefined}))
    })
    req.on('error', reject)
    req.end('{"apiVersion":"authentication.k8s.io/v1","kind":"SelfSubjectReview"}')
  })

  for (const version of ['TLSv1.2', 'TLSv1.3'] as const) {
    it(`${version}: a leaf + intermediate client keeps its identity over 5 resumed connections`, async () => {
      const agent = new Agent({ca: pki.read(pki.caCert), cert: chainPem, keepAlive: false, key: leafKey, maxCachedSessions: 4, maxVersion: version, minVersion: version})
      const answers = []
      for (let i = 0; i < 6; i++) answers.push(await whoami(agent))
      agent.destroy()
      assert.deepEqual(answers.map((a) => [a.code, a.user]), Array(6).fill([201, 'chained']))
      assert.equal(answers[0].reused, false)
      assert.deepEqual(answers.slice(1).map((a) => a.reused), Array(5).fill(true), 'the later connections resumed the TLS session')
    })
  }

  it('curl --cert chain -H "Connection: close" URL URL URL → 201 three times', async () => {
    writeFileSync(join(tmp.dir, 'chain.pem'), chainPem)
    const url = `${server.url}/apis/authentication.k8s.io/v1/selfsubjectreviews`
    const {stdout} = await promisify(execFile)('curl', ['-s', '--cacert', pki.caCert, '--cert', join(tmp.dir, 'chain.pem'), '--key', join(tmp.dir, 'chained.key'), '-H', 'Connection: close',
      '-H', 'Content-Type: application/json', '-d', '{}', '-w', '%{http_code}\\n', '--http1.1', '-o', '/dev/null', url, '-o', '/dev/null', url, '-o', '/dev/null', url], {encoding: 'utf8'})
    assert.equal(stdout, '201\n201\n201\n')
  })
})
