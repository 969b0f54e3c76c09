// `serve --objects` and `token verify --objects`: ServiceAccount tokens looked up against ServiceAccounts, Pods and
// Secrets the way kube-apiserver does, with real kubectl against a real serve process and the object file edited
// under it (each edit waits for the server's own "reloaded objects" line, not a fixed time).
import assert from 'node:assert/strict'
import {execFileSync} from 'node:child_process'
import {readFileSync, renameSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {makeTempDir, runCli, runProgram} from '../../helpers/cli.js'
import {startServe, type ServeProcess} from '../../helpers/serve-process.js'
import {makePki, type Pki} from './fixtures.js'

const KUBECTL = '/usr/lib/google-cloud-sdk/bin/kubectl.1.32'
const ISSUER = 'https://sa.example'
const DAY_AGO = new Date(Date.now() - 86_400_000).toISOString().replace(/\.\d+Z$/, 'Z')

interface World {
  sa?: {uid: string; deletionTimestamp?: string} | false
  pod?: {uid: string} | false
  secret?: {token: string} | false
}

/** A `kubectl get serviceaccounts,pods,secrets -A -o yaml`-shaped List. */
function objectsYaml(world: World, legacyToken: string): string {
  const items: string[] = []
  if (world.sa !== false) {
    const sa = world.sa ?? {uid: 'sa-uid'}
    items.push(`- apiVersion: v1\n  kind: ServiceAccount\n  metadata:\n    name: ci\n    namespace: dev\n    uid: ${sa.uid}\n${sa.deletionTimestamp ? `    deletionTimestamp: "${sa.deletionTimestamp}"\n` : ''}`)
  }
  if (world.pod !== false) {
    items.push(`- apiVersion: v1\n  kind: Pod\n  metadata:\n    name: web-1\n    namespace: dev\n    uid: ${(world.pod ?? {uid: 'pod-uid'}).uid}\n  spec:\n    serviceAccountName: ci\n`)
  }
  if (world.secret !== false) {
    const token = (world.secret ?? {token: legacyToken}).token
    items.push(`- apiVersion: v1\n  kind: Secret\n  metadata:\n    annotations:\n      kubernetes.io/service-account.name: ci\n      kubernetes.io/service-account.uid: sa-uid\n    name: ci-token\n    namespace: dev\n    uid: secret-uid\n  type: kubernetes.io/service-account-token\n  data:\n    token: ${Buffer.from(token).toString('base64')}\n`)
  }
  return `apiVersion: v1\nkind: List\nmetadata:\n  resourceVersion: ""\nitems:\n${items.join('')}`
}

describe('serve --objects: ServiceAccount token lookups as kube-apiserver makes them', function () {
  this.timeout(120_000)
  let tmp: Awaited<ReturnType<typeof makeTempDir>>
  let pki: Pki
  let serve: ServeProcess
  let podToken: string
  let legacyToken: string
  const objectsFile = () => join(tmp.dir, 'objects.yaml')
  const auditFile = () => join(tmp.dir, 'audit.log')

  const sign = async (args: string[]) => {
    const r = await runCli(['token', 'sign', '--key', join(tmp.dir, 'sa.key'), ...args])
    assert.equal(r.exitCode, 0, r.stderr)
    return r.stdout.trim()
  }

  /** Waits (bounded) until serve's log has more than `count` lines containing `text`. */
  async function logLines(text: string, count: number): Promise<void> {
    const deadline = Date.now() + 20_000
    while (serve.stderr().split('\n').filter((l) => l.includes(text)).length <= count) {
      if (Date.now() > deadline) throw new Error(`serve never logged ${JSON.stringify(text)}: ${serve.stderr()}`)
      await new Promise((resolve) => {
        const timer = setTimeout(resolve, deadline - Date.now())
        serve.child.stderr!.once('data', () => resolve(clearTimeout(timer)))
      })
    }
  }
  const occurrences = (text: string) => serve.stderr().split('\n').filter((l) => l.includes(text)).length

  /** Replaces the objects file whole (as editors and `kubectl get … > tmp && mv` do, so the server never reads half a
   * file) and waits for the server to load it. */
  function replace(text: string) {
    writeFileSync(`${objectsFile()}.new`, text)
    renameSync(`${objectsFile()}.new`, objectsFile())
  }
  async function edit(world: World) {
    const before = occurrences('reloaded objects')
    replace(objectsYaml(world, legacyToken))
    await logLines('reloaded objects', before)
  }

  const whoami = (token: string) => {
    writeFileSync(join(tmp.dir, 'kc'), `apiVersion: v1\nkind: Config\nclusters: [{name: r, cluster: {server: "${serve.url}", certificate-authority: ${pki.caCert}}}]\nusers: [{name: u, user: {token: "${token}"}}]\ncontexts: [{name: c, context: {cluster: r, user: u}}]\ncurrent-context: c\n`)
    return runProgram(KUBECTL, ['auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}'], {env: {KUBECACHEDIR: join(tmp.dir, 'cache'), KUBECONFIG: join(tmp.dir, 'kc')}})
  }
  const auditLines = () => readFileSync(auditFile(), 'utf8').split('\n').filter(Boolean)

  /** kubectl is refused with 401, the log and the request's audit event give `reason`. */
  async function refused(token: string, reason: string) {
    const before = auditLines().length
    const r = await whoami(token)
    assert.equal(r.exitCode, 1)
    assert.match(r.stderr, /error: You must be logged in to the server \(Unauthorized\)/)
    // The event is appended after the answer is sent: poll (bounded) for it.
    for (let i = 0; i < 200 && auditLines().length <= before; i++) await new Promise((resolve) => setTimeout(resolve, 25))
    const event = JSON.parse(auditLines()[before])
    assert.equal(event.responseStatus.code, 401)
    assert.ok(event.annotations['authentication.authctl.io/error'].includes(reason), `${JSON.stringify(event.annotations)}\n${serve.stderr()}`)
    assert.ok(serve.stderr().split('\n').some((l) => l.startsWith('authentication failed for POST /apis/authentication.k8s.io/v1/selfsubjectreviews') && l.includes(reason)), serve.stderr())
  }

  async function accepted(token: string) {
    const r = await whoami(token)
    assert.equal(r.exitCode, 0, r.stderr)
    assert.equal(r.stdout, 'system:serviceaccount:dev:ci')
  }

  before(async () => {
    tmp = await makeTempDir('authctl-serve-objects-')
    pki = makePki(tmp.dir)
    execFileSync('openssl', ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', 'sa.key'], {cwd: tmp.dir})
    execFileSync('openssl', ['pkey', '-in', 'sa.key', '-pubout', '-out', 'sa.pub'], {cwd: tmp.dir})
    podToken = await sign(['--issuer', ISSUER, '--service-account', 'dev:ci:sa-uid', '--pod', 'web-1:pod-uid'])
    legacyToken = await sign(['--legacy', '--service-account', 'dev:ci:sa-uid', '--secret', 'ci-token'])
    writeFileSync(objectsFile(), objectsYaml({}, legacyToken))
    serve = await startServe([
      '--tls-cert-file', pki.serverCert, '--tls-private-key-file', pki.serverKey, '--service-account-key-file', join(tmp.dir, 'sa.pub'),
      '--service-account-issuer', ISSUER, '--objects', objectsFile(), '--audit-log-path', auditFile(),
    ])
  })
  after(async () => {
    await serve?.stop()
    await tmp?.cleanup()
  })

  it('accepts a pod-bound token and a legacy token while their objects exist', async () => {
    await accepted(podToken)
    await accepted(legacyToken)
  })

  it('refuses a pod-bound token once the pod is gone from the objects file, or its uid changed', async () => {
    await edit({pod: false})
    await refused(podToken, 'service account token has been invalidated (could not retrieve bound pod dev/web-1 for service account dev/ci: pods "web-1" not found)')
    await edit({pod: {uid: 'pod-uid-2'}})
    await refused(podToken, 'pod UID (pod-uid-2) does not match service account pod ref claim (pod-uid)')
    await edit({})
    await accepted(podToken)
  })

  it('refuses bound and legacy tokens of a deleted ServiceAccount', async () => {
    await edit({sa: false})
    await refused(podToken, 'serviceaccounts "ci" not found')
    await refused(legacyToken, 'serviceaccounts "ci" not found')
    await edit({sa: {deletionTimestamp: DAY_AGO, uid: 'sa-uid'}})
    await refused(podToken, 'service account dev/ci has been deleted')
    await refused(legacyToken, 'ServiceAccount dev/ci has been deleted')
    await edit({sa: {uid: 'sa-uid-2'}})
    await refused(podToken, 'service account UID (sa-uid-2) does not match claim (sa-uid)')
    await edit({})
    await accepted(podToken)
  })

  it('refuses a legacy token whose Secret is gone or holds another token', async () => {
    await edit({secret: false})
    await refused(legacyToken, 'Token has been invalidated (could not retrieve token dev/ci-token for service account dev/ci: secrets "ci-token" not found)')
    await edit({secret: {token: 'another-token'}})
    await refused(legacyToken, 'Token does not match server\'s copy')
    await accepted(podToken)
    await edit({})
    await accepted(legacyToken)
  })

  it('keeps the previous objects when an edit is invalid, and says why', async () => {
    const before = occurrences('reloading objects failed')
    replace('apiVersion: v1\nkind: Pod\nmetadata:\n  name: web-1\n  namespace: dev\n')
    await logLines('reloading objects failed', before)
    assert.ok(serve.stderr().includes(`error: reloading objects failed, keeping the previous one: ${objectsFile()}: Pod "web-1": metadata.uid is missing`), serve.stderr())
    await accepted(podToken)
    await accepted(legacyToken)
  })

  it('refuses to start with a bad objects file: one line, exit 1', async () => {
    const bad = join(tmp.dir, 'bad.yaml')
    writeFileSync(bad, 'kind: ConfigMap\nmetadata: {name: x}\n')
    const r = await runCli(['serve', '--secure-port', '0', '--tls-cert-file', pki.serverCert, '--tls-private-key-file', pki.serverKey,
      '--service-account-key-file', join(tmp.dir, 'sa.pub'), '--objects', bad])
    assert.equal(r.exitCode, 1)
    assert.equal(r.stderr, `error: ${bad}: unsupported kind "ConfigMap" (expected ServiceAccount, Pod, Secret or Node)\n`)
  })

  describe('token verify --objects gives the same verdicts offline', () => {
    const verify = (token: string, world: World) => {
      const file = join(tmp.dir, 'verify-objects.yaml')
      writeFileSync(file, objectsYaml(world, legacyToken))
      return runCli(['token', 'verify', token, '--key', join(tmp.dir, 'sa.pub'), '--issuer', ISSUER, '--objects', file])
    }
    const cases: Array<[string, () => string, World, string | undefined]> = [
      ['a pod-bound token with its objects', () => podToken, {}, undefined],
      ['a legacy token with its Secret', () => legacyToken, {}, undefined],
      ['a pod-bound token, pod gone', () => podToken, {pod: false}, 'service account token has been invalidated (could not retrieve bound pod dev/web-1 for service account dev/ci: pods "web-1" not found)'],
      ['a pod-bound token, pod uid changed', () => podToken, {pod: {uid: 'pod-uid-2'}}, 'pod UID (pod-uid-2) does not match service account pod ref claim (pod-uid)'],
      ['a pod-bound token, ServiceAccount gone', () => podToken, {sa: false}, 'serviceaccounts "ci" not found'],
      ['a legacy token, Secret gone', () => legacyToken, {secret: false}, 'Token has been invalidated (could not retrieve token dev/ci-token for service account dev/ci: secrets "ci-token" not found)'],
    ]
    for (const [title, token, world, reason] of cases) {
      it(`${title}: ${reason ? 'invalid' : 'valid'}`, async () => {
        const r = await verify(token(), world)
        if (!reason) {
          assert.equal(r.exitCode, 0, r.stderr)
          assert.match(r.stdout, /ok {4}objects {4}the ServiceAccount and the objects the token is bound to exist/)
          return
        }
        assert.equal(r.exitCode, 1)
        assert.equal(r.stderr, `error: ${reason}\n`)
        assert.ok(r.stdout.includes(`FAIL  objects    ${reason}`), r.stdout)
      })
    }
  })
})
