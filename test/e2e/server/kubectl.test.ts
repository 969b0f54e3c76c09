// The real kubectl binaries against `authctl serve` (in-process): whoami, can-i, --list, --as/--as-group.
import assert from 'node:assert/strict'
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {startServer, type RunningServer} from '../../../src/lib/server/index.js'
import {makeTempDir, runCli, runProgram} from '../../helpers/cli.js'
import {KUBECTL_DIR, KUBECTL_VERSIONS as VERSIONS, makePki, type Pki} from './fixtures.js'

const policy = `
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: dev-view, namespace: team-a}
subjects: [{kind: Group, name: dev}]
roleRef: {kind: ClusterRole, name: view}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: web-reader, namespace: team-a}
rules:
- {apiGroups: [apps], resources: [deployments], verbs: [get], resourceNames: [web, api]}
- {apiGroups: [""], resources: [pods/log], verbs: [get]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: tina-web, namespace: team-a}
subjects: [{kind: User, name: tina}]
roleRef: {kind: Role, name: web-reader}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: impersonate-bob}
rules:
- {apiGroups: [""], resources: [users], verbs: [impersonate], resourceNames: [bob]}
- {apiGroups: [""], resources: [groups], verbs: [impersonate], resourceNames: [dev]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: jane-impersonates-bob}
subjects: [{kind: User, name: jane}]
roleRef: {kind: ClusterRole, name: impersonate-bob}
`

describe('serve: real kubectl against the reference server', function () {
  this.timeout(120_000)
  let tmp: Awaited<ReturnType<typeof makeTempDir>>
  let pki: Pki
  let server: RunningServer
  let janeCredentialId: string

  before(async () => {
    tmp = await makeTempDir('authctl-serve-kubectl-')
    pki = makePki(tmp.dir)
    writeFileSync(join(tmp.dir, 'tokens.csv'), 'tina-token,tina,u-123,"ops,qa"\n')
    writeFileSync(join(tmp.dir, 'policy.yaml'), policy)
    server = await startServer({
      clientCAFile: pki.caCert, policyPaths: [join(tmp.dir, 'policy.yaml')], port: 0, reloadIntervalMs: 0,
      tlsCertFile: pki.serverCert, tlsKeyFile: pki.serverKey, tokenAuthFile: join(tmp.dir, 'tokens.csv'),
    })
    const b64 = (p: string) => Buffer.from(pki.read(p)).toString('base64')
    writeFileSync(join(tmp.dir, 'kubeconfig'), `apiVersion: v1
kind: Config
clusters:
- {name: ref, cluster: {server: "${server.url}", certificate-authority-data: ${b64(pki.caCert)}}}
users:
- {name: jane, user: {client-certificate-data: ${b64(pki.clients.jane.cert)}, client-key-data: ${b64(pki.clients.jane.key)}}}
- {name: tina, user: {token: tina-token}}
- {name: bad, user: {token: wrong-token}}
contexts:
- {name: jane, context: {cluster: ref, user: jane, namespace: team-a}}
- {name: tina, context: {cluster: ref, user: tina, namespace: team-a}}
- {name: bad, context: {cluster: ref, user: bad}}
current-context: jane
`)
    const {createHash, X509Certificate} = await import('node:crypto')
    janeCredentialId = createHash('sha256').update(new X509Certificate(pki.read(pki.clients.jane.cert)).raw).digest('hex')
  })
  after(async () => {
    await server?.close()
    await tmp?.cleanup()
  })

  it('offline `rbac can-i` on the policy file gives the answers real kubectl gets from the server', async function () {
    const version = VERSIONS.at(-1)
    if (!version) this.skip()
    const env = {KUBECACHEDIR: join(tmp.dir, 'cache-offline'), KUBECONFIG: join(tmp.dir, 'kubeconfig')}
    const kubectl = (...args: string[]) => runProgram(join(KUBECTL_DIR, `kubectl.${version}`), args, {env})
    const queries = [
      ['list', 'pods'], ['get', 'pods', '-n', 'team-b'], ['watch', 'configmaps'], ['get', 'secrets'], ['delete', 'pods'],
      ['get', 'pods', '--subresource=log'], ['create', 'pods', '--subresource=exec'], ['get', 'deployments.apps/web'],
      ['get', 'deployments.apps/db'], ['list', 'deployments.apps'], ['get', 'nodes', '-A'], ['impersonate', 'users/bob', '-A'],
      ['impersonate', 'users/carol', '-A'], ['create', 'selfsubjectaccessreviews.authorization.k8s.io', '-A'],
    ]
    for (const context of ['jane', 'tina']) {
      // The identity as the server sees it, then the same request evaluated offline against the same file.
      const who = JSON.parse((await kubectl('auth', 'whoami', '-o', 'json', '--context', context)).stdout).status.userInfo
      const as = ['--as', who.username, ...who.groups.flatMap((g: string) => ['--as-group', g])]
      for (const query of queries) {
        const namespaced = query.includes('-n') || query.includes('-A') ? query : [...query, '-n', 'team-a']
        const theirs = await kubectl('auth', 'can-i', ...namespaced, '--context', context)
        const ours = await runCli(['rbac', 'can-i', ...namespaced, ...as, '-f', join(tmp.dir, 'policy.yaml')])
        const answer = (r: {stdout: string}) => r.stdout.split(/[\n -]/)[0]
        assert.equal(answer(ours), answer(theirs), `${context}: ${namespaced.join(' ')}: kubectl ${theirs.stdout}${theirs.stderr} authctl ${ours.stdout}${ours.stderr}`)
        assert.equal(ours.exitCode, theirs.exitCode, `${context}: ${namespaced.join(' ')}`)
      }
    }
  })

  for (const version of VERSIONS.filter((v) => v === '1.32' || v === '1.33')) {
    it(`kubectl ${version} speaks HTTP/2 to the server and gets the same answers as over HTTP/1.1`, async () => {
      const commands = [
        ['auth', 'whoami'], ['auth', 'whoami', '--context', 'tina', '-o', 'json'], ['auth', 'can-i', 'list', 'pods'], ['auth', 'can-i', 'list', 'pods', '-n', 'team-b'],
        ['auth', 'can-i', '--list', '--context', 'tina'], ['auth', 'can-i', 'list', 'pods', '--as', 'bob', '--as-group', 'dev'],
        ['auth', 'can-i', 'list', 'pods', '--as', 'carol'], ['auth', 'whoami', '--context', 'bad'],
      ]
      const run = async (http2: boolean) => {
        const before = server.requestsByProtocol()
        const answers = []
        for (const args of commands) {
          const env = {KUBECACHEDIR: join(tmp.dir, `cache-proto-${version}-${http2}`), KUBECONFIG: join(tmp.dir, 'kubeconfig'), ...(http2 ? {} : {DISABLE_HTTP2: 'true'})}
          const r = await runProgram(join(KUBECTL_DIR, `kubectl.${version}`), args, {env})
          // client-go logs that it was told not to use HTTP/2; that line aside, the outputs must match.
          answers.push([args.join(' '), r.exitCode, r.stdout.replace(/"creationTimestamp": "[^"]+"/, ''), r.stderr.replace(/^I\d+ [\d:.]+ +\d+ http\.go:\d+\] HTTP2 has been explicitly disabled\n/m, '')])
        }
        const after = server.requestsByProtocol()
        return {answers, h1: after.h1 - before.h1, h2: after.h2 - before.h2}
      }
      const overH2 = await run(true)
      const overH1 = await run(false)
      assert.ok(overH2.h2 >= commands.length && overH2.h1 === 0, `h2 run: ${overH2.h2} h2 and ${overH2.h1} h1 requests`)
      assert.ok(overH1.h1 >= commands.length && overH1.h2 === 0, `h1 run: ${overH1.h1} h1 and ${overH1.h2} h2 requests`)
      assert.deepEqual(overH2.answers, overH1.answers)
    })
  }

  it('curl --http2 and --http1.1: whoami, can-i, impersonation, same answers', async () => {
    const curl = async (protocol: string, path: string, body: string, extra: string[] = []) => {
      const r = await runProgram('curl', ['-sS', protocol, '--cacert', pki.caCert, '--cert', pki.clients.jane.cert, '--key', pki.clients.jane.key, '-H', 'Content-Type: application/json',
        ...extra, '-d', body, '-w', '\n%{http_version} %{http_code}', `${server.url}${path}`])
      const lines = r.stdout.split('\n')
      return {body: JSON.parse(lines.slice(0, -1).join('\n')), status: lines.at(-1) ?? ''}
    }
    const ssar = JSON.stringify({apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: {resourceAttributes: {namespace: 'team-a', resource: 'pods', verb: 'list'}}})
    const calls: Array<[string, string, string[]]> = [
      ['/apis/authentication.k8s.io/v1/selfsubjectreviews', '{"apiVersion":"authentication.k8s.io/v1","kind":"SelfSubjectReview"}', []],
      ['/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', ssar, []],
      ['/apis/authentication.k8s.io/v1/selfsubjectreviews', '{}', ['-H', 'Impersonate-User: bob', '-H', 'Impersonate-Group: dev']],
      ['/apis/authentication.k8s.io/v1/selfsubjectreviews', '{}', ['-H', 'Impersonate-User: carol']],
    ]
    for (const [path, body, extra] of calls) {
      const h2 = await curl('--http2', path, body, extra)
      const h1 = await curl('--http1.1', path, body, extra)
      assert.equal(h2.status.split(' ')[0], '2')
      assert.equal(h1.status.split(' ')[0], '1.1')
      assert.equal(h2.status.split(' ')[1], h1.status.split(' ')[1])
      delete h2.body.metadata?.creationTimestamp
      delete h1.body.metadata?.creationTimestamp
      assert.deepEqual(h2.body, h1.body)
    }
  })

  for (const version of VERSIONS) {
    describe(`kubectl ${version}`, () => {
      const kubectl = async (...args: string[]) => {
        const cache = join(tmp.dir, `cache-${version}`)
        return runProgram(join(KUBECTL_DIR, `kubectl.${version}`), args, {env: {KUBECACHEDIR: cache, KUBECONFIG: join(tmp.dir, 'kubeconfig')}})
      }

      it('whoami for an x509 user prints the same table as against kube-apiserver', async () => {
        const r = await kubectl('auth', 'whoami')
        assert.equal(r.exitCode, 0, r.stderr)
        assert.equal(r.stdout, [
          'ATTRIBUTE                                           VALUE',
          'Username                                            jane',
          'Groups                                              [dev qa system:authenticated]',
          `Extra: authentication.kubernetes.io/credential-id   [X509SHA256=${janeCredentialId}]`,
          '',
        ].join('\n'))
      })

      it('whoami for a static-token user, and -o json', async () => {
        const r = await kubectl('auth', 'whoami', '--context', 'tina')
        assert.equal(r.stdout, 'ATTRIBUTE   VALUE\nUsername    tina\nUID         u-123\nGroups      [ops qa system:authenticated]\n')
        const j = await kubectl('auth', 'whoami', '--context', 'tina', '-o', 'json')
        assert.deepEqual(JSON.parse(j.stdout).status.userInfo, {groups: ['ops', 'qa', 'system:authenticated'], uid: 'u-123', username: 'tina'})
      })

      it('a bad token is 401: "You must be logged in to the server (Unauthorized)", exit 1', async () => {
        const r = await kubectl('auth', 'whoami', '--context', 'bad')
        assert.equal(r.exitCode, 1)
        assert.match(r.stderr, /error: You must be logged in to the server \(Unauthorized\)/)
      })

      it('can-i yes (exit 0) / no (exit 1), short names, namespaces, subresources, resource names', async () => {
        const yes = await kubectl('auth', 'can-i', 'list', 'po')
        assert.deepEqual([yes.stdout, yes.exitCode], ['yes\n', 0])
        const no = await kubectl('auth', 'can-i', 'list', 'pods', '-n', 'team-b')
        assert.deepEqual([no.stdout, no.exitCode], ['no\n', 1])
        const nodes = await kubectl('auth', 'can-i', 'get', 'nodes')
        assert.deepEqual([nodes.stdout, nodes.exitCode], ['no\n', 1])
        assert.equal(nodes.stderr, "Warning: resource 'nodes' is not namespace scoped\n\n")
        const log = await kubectl('auth', 'can-i', 'get', 'pods', '--subresource=log', '--context', 'tina')
        assert.deepEqual([log.stdout, log.exitCode], ['yes\n', 0])
        const named = await kubectl('auth', 'can-i', 'get', 'deploy/web', '--context', 'tina')
        assert.deepEqual([named.stdout, named.exitCode], ['yes\n', 0])
        const unnamed = await kubectl('auth', 'can-i', 'get', 'deployments.apps', '--context', 'tina')
        assert.deepEqual([unnamed.stdout, unnamed.exitCode], ['no\n', 1])
        const url = await kubectl('auth', 'can-i', 'get', '/apis/apps/v1')
        assert.deepEqual([url.stdout, url.exitCode], ['yes\n', 0])
        const quiet = await kubectl('auth', 'can-i', 'delete', 'secrets', '-q')
        assert.deepEqual([quiet.stdout, quiet.exitCode], ['', 1])
      })

      it('can-i --list prints the rules table', async () => {
        const r = await kubectl('auth', 'can-i', '--list', '--context', 'tina')
        assert.equal(r.exitCode, 0, r.stderr)
        const lines = r.stdout.trimEnd().split('\n')
        assert.match(lines[0], /^Resources\s+Non-Resource URLs\s+Resource Names\s+Verbs$/)
        assert.ok(lines.some((l) => /^deployments\.apps\s+\[\]\s+\[web\]\s+\[get\]$/.test(l)), r.stdout)
        assert.ok(lines.some((l) => /^deployments\.apps\s+\[\]\s+\[api\]\s+\[get\]$/.test(l)), r.stdout)
        assert.ok(lines.some((l) => /^pods\/log\s+\[\]\s+\[\]\s+\[get\]$/.test(l)), r.stdout)
        assert.ok(lines.some((l) => /^\s+\[\/api\/\*\]\s+\[\]\s+\[get\]$/.test(l)), r.stdout)
        assert.ok(lines.some((l) => /^selfsubjectaccessreviews\.authorization\.k8s\.io\s+\[\]\s+\[\]\s+\[create\]$/.test(l)), r.stdout)
        const bare = await kubectl('auth', 'can-i', '--list', '--no-headers', '--context', 'tina')
        assert.equal(bare.stdout.split('\n')[0].startsWith('Resources'), false)
      })

      it('--as allowed: the check runs for the impersonated user', async () => {
        const whoami = await kubectl('auth', 'whoami', '--as', 'bob', '--as-group', 'dev')
        assert.equal(whoami.stdout, 'ATTRIBUTE   VALUE\nUsername    bob\nGroups      [dev system:authenticated]\n')
        const yes = await kubectl('auth', 'can-i', 'list', 'pods', '--as', 'bob', '--as-group', 'dev')
        assert.deepEqual([yes.stdout, yes.exitCode], ['yes\n', 0])
        const no = await kubectl('auth', 'can-i', 'list', 'pods', '--as', 'bob')
        assert.deepEqual([no.stdout, no.exitCode], ['no\n', 1])
      })

      it('--as / --as-group forbidden: kube-apiserver\'s Forbidden message, exit 1', async () => {
        const user = await kubectl('auth', 'can-i', 'list', 'pods', '--as', 'carol')
        assert.equal(user.exitCode, 1)
        assert.match(user.stderr, /Error from server \(Forbidden\): users "carol" is forbidden: User "jane" cannot impersonate resource "users" in API group "" at the cluster scope/)
        const group = await kubectl('auth', 'can-i', 'get', 'pods', '--as', 'bob', '--as-group', 'system:masters')
        assert.equal(group.exitCode, 1)
        assert.match(group.stderr, /groups "system:masters" is forbidden: User "jane" cannot impersonate resource "groups" in API group "" at the cluster scope/)
        const token = await kubectl('auth', 'whoami', '--context', 'tina', '--as', 'bob')
        assert.equal(token.exitCode, 1)
        // whoami turns any 403 into its own message (kubectl's whoami.go)
        assert.equal(token.stderr, 'error: the selfsubjectreviews API is not enabled in the cluster or you do not have permission to call it\n')
      })
    })
  }
})
