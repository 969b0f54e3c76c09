// Self-signed serving certificate, file changes picked up by polling, and shutdown with a request in flight.
import assert from 'node:assert/strict'
import {writeFileSync} from 'node:fs'
import {request} from 'node:https'
import {join} from 'node:path'

import {startServer} from '../../../src/lib/server/index.js'
import {makeTempDir} from '../../helpers/cli.js'
import {call} from './client.js'

const SSR = '/apis/authentication.k8s.io/v1/selfsubjectreviews'

describe('serve: lifecycle', function () {
  this.timeout(30_000)
  let tmp: Awaited<ReturnType<typeof makeTempDir>>
  beforeEach(async () => (tmp = await makeTempDir('authctl-serve-life-')))
  afterEach(() => tmp.cleanup())

  it('serves a generated self-signed certificate and picks up token file edits without reload()', async () => {
    const tokens = join(tmp.dir, 'tokens.csv')
    writeFileSync(tokens, 'first,ann,u1\n')
    // The server reports each reload on its log: wait for that line instead of polling the endpoint.
    let reloaded: () => void
    const tokensReloaded = new Promise<void>((resolve) => (reloaded = resolve))
    const server = await startServer({log: (line) => line.startsWith('reloaded ') && reloaded(), port: 0, reloadIntervalMs: 50, tokenAuthFile: tokens})
    try {
      const ca = server.caCertificate
      assert.equal((await call(server.url, ca, {body: '{}', path: SSR, token: 'first'})).json.status.userInfo.username, 'ann')
      writeFileSync(tokens, 'second,ben,u2\n')
      await tokensReloaded
      const answer = (await call(server.url, ca, {body: '{}', path: SSR, token: 'second'})).json?.status?.userInfo?.username
      assert.equal(answer, 'ben')
      assert.equal((await call(server.url, ca, {body: '{}', path: SSR, token: 'first'})).code, 401)
    } finally {
      await server.close()
    }
  })

  it('close() lets a request in flight finish, then refuses new connections', async () => {
    // Anonymous may create reviews here, so the server reads the body it is sent.
    const server = await startServer({port: 0, reloadIntervalMs: 0, policyObjects: [{kind: 'ClusterRoleBinding',
      metadata: {name: 'anonymous-reviews'}, roleRef: {apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:basic-user'},
      subjects: [{apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'system:unauthenticated'}]}]})
    const ca = server.caCertificate
    // A request whose body arrives after close() has begun: with Expect: 100-continue the server says "continue"
    // once it has admitted the request and is about to read the body; close() starts then, the body follows.
    const inFlight = new Promise<number>((resolve, reject) => {
      const req = request(`${server.url}/apis/authorization.k8s.io/v1/selfsubjectaccessreviews`, {ca, headers: {'Content-Type': 'application/json', Expect: '100-continue'}, method: 'POST'}, (res) => {
        res.resume()
        res.on('end', () => resolve(res.statusCode!))
      })
      req.on('error', reject)
      req.on('continue', () => {
        closing = server.close()
        req.end('{"spec":{"nonResourceAttributes":{"path":"/x","verb":"get"}}}')
      })
      req.flushHeaders()
    })
    let closing: Promise<void> | undefined
    assert.equal(await inFlight, 201, 'the answer arrives')
    await closing
    await assert.rejects(call(server.url, ca, {path: '/healthz'}), /ECONNREFUSED/)
  })
})
