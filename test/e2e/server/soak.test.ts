// Many clients, HTTP/1.1 and HTTP/2 mixed, for a while: every request answered correctly. 5 s in the suite;
// AUTHCTL_SOAK_SECONDS=60 for the long run.
import assert from 'node:assert/strict'
import {connect as h2connect, type ClientHttp2Session} from 'node:http2'
import {Agent, request} from 'node:https'
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {startServer, type RunningServer} from '../../../src/lib/server/index.js'
import {makeTempDir} from '../../helpers/cli.js'
import {makePki, type Pki} from './fixtures.js'

const SECONDS = Number(process.env.AUTHCTL_SOAK_SECONDS ?? 5)
const CLIENTS = 50
const SSAR = '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews'
const body = (i: number) => JSON.stringify({apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview',
  spec: {resourceAttributes: {namespace: i % 2 ? 'team-a' : 'team-b', resource: 'pods', verb: 'list'}}})

describe(`serve: ${CLIENTS} clients × ${SECONDS} s, HTTP/1.1 and HTTP/2 mixed`, function () {
  this.timeout((SECONDS + 60) * 1000)
  let tmp: Awaited<ReturnType<typeof makeTempDir>>
  let pki: Pki
  let server: RunningServer

  before(async () => {
    tmp = await makeTempDir('authctl-serve-soak-')
    pki = makePki(tmp.dir)
    writeFileSync(join(tmp.dir, 'tokens.csv'), 'soak-token,tina,u-1,dev\n')
    server = await startServer({
      clientCAFile: pki.caCert, policyObjects: [{kind: 'RoleBinding', metadata: {name: 'dev-view', namespace: 'team-a'},
        roleRef: {apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view'}, subjects: [{apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'dev'}]}],
      port: 0, reloadIntervalMs: 0, tlsCertFile: pki.serverCert, tlsKeyFile: pki.serverKey, tokenAuthFile: join(tmp.dir, 'tokens.csv'),
    })
  })
  after(async () => {
    await server?.close()
    await tmp?.cleanup()
  })

  it('0 errors; every answer is the right one', async () => {
    const ca = pki.read(pki.caCert)
    const cert = pki.read(pki.clients.jane.cert)
    const key = pki.read(pki.clients.jane.key)
    const errors: string[] = []
    let answered = 0
    const check = (i: number, code: number, text: string) => {
      const allowed = i % 2 === 1
      if (code !== 201 || JSON.parse(text).status.allowed !== allowed) errors.push(`${code} ${text.slice(0, 200)}`)
      else answered++
    }
    const end = Date.now() + SECONDS * 1000
    const h1Client = async (n: number) => {
      // Half of the HTTP/1.1 clients use the certificate, half the token.
      const agent = new Agent({ca, keepAlive: true, maxSockets: 1, ...(n % 2 ? {cert, key} : {})})
      for (let i = 0; Date.now() < end; i++) {
        await new Promise<void>((resolve) => {
          const req = request(`${server.url}${SSAR}`, {agent, headers: {'Content-Type': 'application/json', ...(n % 2 ? {} : {Authorization: 'Bearer soak-token'})}, method: 'POST'}, (res) => {
            let text = ''
            res.on('data', (d) => (text += d))
            res.on('end', () => {
              check(i, res.statusCode!, text)
              resolve()
            })
          })
          req.on('error', (e) => {
            errors.push(`h1: ${e.message}`)
            resolve()
          })
          req.end(body(i))
        })
      }
      agent.destroy()
    }
    const h2Client = async (n: number) => {
      const session: ClientHttp2Session = h2connect(server.url, {ca, ...(n % 2 ? {cert, key} : {})})
      session.on('error', (e) => errors.push(`h2 session: ${e.message}`))
      for (let i = 0; Date.now() < end; i++) {
        await new Promise<void>((resolve) => {
          const stream = session.request({':method': 'POST', ':path': SSAR, 'content-type': 'application/json', ...(n % 2 ? {} : {authorization: 'Bearer soak-token'})})
          let code = 0
          let text = ''
          stream.on('response', (h) => (code = Number(h[':status'])))
          stream.on('data', (d) => (text += d))
          stream.on('end', () => {
            check(i, code, text)
            resolve()
          })
          stream.on('error', (e) => {
            errors.push(`h2: ${e.message}`)
            resolve()
          })
          stream.end(body(i))
        })
      }
      session.close()
    }
    await Promise.all(Array.from({length: CLIENTS}, (_, n) => (n % 2 ? h2Client(n) : h1Client(n))))
    const served = server.requestsByProtocol()
    assert.deepEqual(errors.slice(0, 5), [])
    assert.ok(answered > CLIENTS * SECONDS, `${answered} answers`)
    assert.ok(served.h1 > 0 && served.h2 > 0, JSON.stringify(served))
  })
})
