// A new admin's first session, with authctl only and default flags: a CA, jane's certificate in group developers,
// a server certificate, a kubeconfig built with set-cluster/set-credentials/set-context/use-context, `serve`, the
// pod-reader ClusterRole bound to jane, then real kubectl (whoami, can-i --as jane) and authctl auth can-i --list.
// Run once per key algorithm; the first row passes no --algorithm at all (the Ed25519 default).
import assert from 'node:assert/strict'
import {mkdir, writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {type CliResult, makeTempDir, runCli, runProgram} from '../../helpers/cli.js'
import {type ServeProcess, startServe} from '../../helpers/serve-process.js'
import {kubectlBinary} from './compare.js'

const KUBECTL = kubectlBinary('1.32') ?? 'kubectl'

const RBAC = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: pod-reader}
rules:
- {apiGroups: [""], resources: [pods], verbs: [get, list, watch]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: jane-reads-pods}
subjects: [{kind: User, name: jane, apiGroup: rbac.authorization.k8s.io}]
roleRef: {kind: ClusterRole, name: pod-reader, apiGroup: rbac.authorization.k8s.io}
`

for (const algorithm of [undefined, 'ecdsa-p256', 'ecdsa-p384', 'rsa-2048']) {
  describe(`newcomer flow with authctl only (${algorithm ?? 'default flags: Ed25519'})`, function () {
    this.timeout(120_000)
    let dir: string
    let cleanup: () => Promise<void>
    let serve: ServeProcess | undefined
    const ok = (r: CliResult) => {
      assert.equal(r.exitCode, 0, r.stdout + r.stderr)
      return r
    }
    const authctl = (...args: string[]) => runCli(args, {cwd: dir, env: {KUBECONFIG: join(dir, 'kubeconfig')}})
    const kubectl = (...args: string[]) => runProgram(KUBECTL, args, {cwd: dir, env: {KUBECACHEDIR: join(dir, 'cache'), KUBECONFIG: join(dir, 'kubeconfig')}})

    before(async () => {
      ;({cleanup, dir} = await makeTempDir('authctl-newcomer-'))
    })
    after(async () => {
      await serve?.stop()
      await cleanup?.()
    })

    it('CA, certificates, serve, kubeconfig, RBAC: kubectl and authctl agree on who jane is and what she may do', async () => {
      ok(await authctl('pki', 'ca', '--name', 'ca', ...(algorithm ? ['--algorithm', algorithm] : [])))
      ok(await authctl('pki', 'issue', '--profile', 'kubernetes-user', '--ca', 'ca.crt', '--user', 'jane', '--group', 'developers', '--name', 'jane'))
      const admin = ok(await authctl('pki', 'issue', '--profile', 'kubernetes-user', '--ca', 'ca.crt', '--user', 'admin', '--group', 'system:masters', '--name', 'admin'))
      assert.match(admin.stderr, /^warning: the certificate carries system:masters/m)
      ok(await authctl('pki', 'issue', '--profile', 'server', '--ca', 'ca.crt', '--dns', 'localhost', '--ip', '127.0.0.1', '--name', 'apiserver'))
      await mkdir(join(dir, 'rbac'))
      await writeFile(join(dir, 'rbac', 'pod-reader.yaml'), RBAC)
      serve = await startServe(['--client-ca-file', 'ca.crt', '--tls-cert-file', 'apiserver.crt', '--tls-private-key-file', 'apiserver.key', '--policy', 'rbac/'], {cwd: dir})

      ok(await authctl('kubeconfig', 'set-cluster', 'dev', '--server', serve.url, '--certificate-authority', 'ca.crt', '--embed-certs'))
      ok(await authctl('kubeconfig', 'set-credentials', 'jane', '--client-certificate', 'jane.crt', '--client-key', 'jane.key', '--embed-certs'))
      ok(await authctl('kubeconfig', 'set-credentials', 'admin', '--client-certificate', 'admin.crt', '--client-key', 'admin.key', '--embed-certs'))
      ok(await authctl('kubeconfig', 'set-context', 'jane@dev', '--cluster', 'dev', '--user', 'jane'))
      ok(await authctl('kubeconfig', 'set-context', 'admin@dev', '--cluster', 'dev', '--user', 'admin'))
      ok(await authctl('kubeconfig', 'use-context', 'jane@dev'))

      const whoami = ok(await kubectl('auth', 'whoami', '-o', 'json'))
      const {extra, ...user} = JSON.parse(whoami.stdout).status.userInfo
      assert.deepEqual(user, {groups: ['developers', 'system:authenticated'], username: 'jane'})
      assert.match(extra['authentication.kubernetes.io/credential-id'][0], /^X509SHA256=[0-9a-f]{64}$/)
      assert.deepEqual(JSON.parse(ok(await authctl('auth', 'whoami', '-o', 'json')).stdout).status.userInfo, JSON.parse(whoami.stdout).status.userInfo)

      const yes = await kubectl('auth', 'can-i', 'list', 'pods', '--as', 'jane', '--context', 'admin@dev')
      assert.equal(yes.exitCode, 0, yes.stderr)
      assert.equal(yes.stdout, 'yes\n')
      const no = await kubectl('auth', 'can-i', 'delete', 'pods', '--as', 'jane', '--context', 'admin@dev')
      assert.equal(no.exitCode, 1)
      assert.equal(no.stdout, 'no\n')
      const mine = await authctl('auth', 'can-i', 'list', 'pods', '--as', 'jane', '--context', 'admin@dev')
      assert.equal(mine.stdout, 'yes\n')

      const list = ok(await authctl('auth', 'can-i', '--list'))
      assert.match(list.stdout, /^pods +\[\] +\[\] +\[get list watch\]$/m)
      assert.equal(list.stdout, ok(await kubectl('auth', 'can-i', '--list')).stdout)
    })
  })
}
