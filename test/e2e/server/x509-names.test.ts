// Certificate → user exactly as kube-apiserver maps it (Go's pkix.Name, CommonNameUserConversion): serve's
// SelfSubjectReview and `pki inspect` against Go's own reading of the same certificate.
import assert from 'node:assert/strict'

import {startServer, type RunningServer} from '../../../src/lib/server/index.js'
import {makeTempDir, runCli} from '../../helpers/cli.js'
import {goName} from '../../helpers/go-x509.js'
import {CA_EXT, CLIENT_EXT, OpensslLab} from '../pki/openssl-lab.js'
import {call} from './client.js'

// [certificate name, openssl -subj (-utf8; "+" joins attributes into one multi-valued RDN, "\+" is a literal plus)]
const subjects: [string, string][] = [
  ['two-cns', '/CN=first/O=dev/CN=second'],
  ['commas', '/CN=doe, jane/O=ops, sre/O=dev'],
  ['plus-and-quotes', '/CN=a\\+b "quoted"/O=x\\+y/O="q"'],
  ['utf8', '/CN=Zoë 日本/O=équipe/O=チーム'],
  ['multi-valued', '/O=dev+CN=alice/O=qa'],
  ['multi-valued-two-o', '/CN=bob/O=a+O=b'],
  ['backslash-semicolon', '/CN=x\\\\y;z/O=<team>'],
  ['empty-cn', '/O=dev/OU=ops'],
]

describe('x509 names: serve and pki inspect map certificates to users as kube-apiserver does', function () {
  this.timeout(60_000)
  let tmp: Awaited<ReturnType<typeof makeTempDir>>
  let lab: OpensslLab
  let server: RunningServer

  before(async () => {
    tmp = await makeTempDir('authctl-x509-names-')
    lab = new OpensslLab(tmp.dir)
    await lab.cert('ca', {ext: CA_EXT, subject: '/CN=names-ca'})
    await lab.cert('server', {ext: ['subjectAltName=IP:127.0.0.1', 'extendedKeyUsage=serverAuth'], issuer: 'ca', subject: '/CN=serve'})
    for (const [name, subject] of subjects) await lab.cert(name, {ext: CLIENT_EXT, issuer: 'ca', subject, utf8: true})
    server = await startServer({clientCAFile: lab.path('ca.crt'), port: 0, reloadIntervalMs: 0, tlsCertFile: lab.path('server.crt'), tlsKeyFile: lab.path('server.key')})
  })
  after(async () => {
    await server?.close()
    await tmp?.cleanup()
  })

  for (const [name, subject] of subjects) {
    it(`${name}: ${subject}`, async () => {
      const go = await goName(lab.path(`${name}.crt`))
      const review = await call(server.url, lab.read('ca.crt'), {body: '{}', cert: lab.read(`${name}.crt`), key: lab.read(`${name}.key`),
        path: '/apis/authentication.k8s.io/v1/selfsubjectreviews'})
      const inspect = await runCli(['pki', 'inspect', lab.path(`${name}.crt`), '--json'])
      const text = await runCli(['pki', 'inspect', lab.path(`${name}.crt`)])
      if (go.user === '') {
        // No CN: not an x509 user; kube-apiserver falls through to anonymous, who may not create reviews.
        assert.equal(review.code, 403, review.text)
        assert.match(review.json.message, /User "system:anonymous" cannot create resource "selfsubjectreviews"/)
        assert.equal(JSON.parse(inspect.stdout).kubernetes, null)
        assert.doesNotMatch(text.stdout, /Kubernetes:/)
        return
      }
      assert.equal(review.code, 201, review.text)
      const user = review.json.status.userInfo
      assert.equal(user.username, go.user)
      assert.deepEqual(user.groups, [...go.groups, 'system:authenticated'])
      assert.deepEqual(JSON.parse(inspect.stdout).kubernetes, {groups: go.groups, user: go.user})
      // The text line shows the same values (quotes and backslashes aside, which the renderer escapes).
      const line = text.stdout.split('\n').map((l) => l.trim()).find((l) => l.startsWith('Kubernetes:'))
      if (!/["\\]/.test(go.user + go.groups.join(''))) assert.equal(line?.replace(/^Kubernetes:\s+/, ''), `user "${go.user}", groups [${go.groups.join(', ')}]`)
    })
  }
})
