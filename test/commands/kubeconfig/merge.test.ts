// `authctl kubeconfig merge` on real files: renames with rewritten references, summary on stderr, dry-run diff,
// --json plan, idempotence, and kubectl agreeing with the merged file.
import assert from 'node:assert/strict'
import {mkdir, readFile, stat, writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {makeTempDir, runCli, runProgram} from '../../helpers/cli.js'

const KUBECTL = '/usr/lib/google-cloud-sdk/bin/kubectl.1.32'

const TARGET = `# mine
apiVersion: v1
kind: Config
current-context: prod
clusters:
- name: prod
  cluster:
    server: https://prod:6443
contexts:
- name: prod
  context:
    cluster: prod
    user: admin
users:
- name: admin
  user:
    token: mine
`
const INCOMING = `apiVersion: v1
kind: Config
current-context: prod
clusters:
- name: prod
  cluster:
    server: https://other-prod:6443
    certificate-authority: certs/ca.pem
- name: same
  cluster:
    server: https://same:6443
contexts:
- name: prod
  context:
    cluster: prod
    user: admin
users:
- name: admin
  user:
    token: mine
`

describe('authctl kubeconfig merge', function () {
  this.timeout(60_000)
  let temp: Awaited<ReturnType<typeof makeTempDir>>
  let target: string
  let source: string
  let env: NodeJS.ProcessEnv
  beforeEach(async () => {
    temp = await makeTempDir('authctl-kc-merge-')
    target = join(temp.dir, 'config')
    await mkdir(join(temp.dir, 'in', 'certs'), {recursive: true})
    source = join(temp.dir, 'in', 'team.yaml')
    await writeFile(target, TARGET)
    await writeFile(source, INCOMING)
    await writeFile(join(temp.dir, 'in', 'certs', 'ca.pem'), 'CA')
    env = {HOME: temp.dir, KUBECACHEDIR: join(temp.dir, '.cache'), KUBECONFIG: target}
  })
  afterEach(async () => temp.cleanup())

  it('renames clashing entries, rewrites references, skips identical ones, keeps current-context and comments', async () => {
    const r = await runCli(['kubeconfig', 'merge', source], {env})
    assert.equal(r.exitCode, 0, r.stderr)
    assert.equal(r.stderr, [
      `renamed cluster "prod" from ${source} to "prod-1"`,
      `skipped user "admin" from ${source}: identical entry exists`,
      `renamed context "prod" from ${source} to "prod-1"`,
      `merged 1 file(s) into ${target}: 3 entries written`,
      '',
    ].join('\n'))
    const text = await readFile(target, 'utf8')
    assert.match(text, /^# mine\n/)
    // The relative CA path now resolves from the target's directory.
    assert.match(text, /certificate-authority: in\/certs\/ca\.pem/)
    const view = JSON.parse((await runProgram(KUBECTL, ['config', 'view', '--flatten', '-o', 'json'], {env})).stdout)
    assert.deepEqual(view.contexts.map((c: any) => [c.name, c.context.cluster, c.context.user]), [['prod', 'prod', 'admin'], ['prod-1', 'prod-1', 'admin']])
    assert.deepEqual(view.clusters.map((c: any) => c.name), ['prod', 'prod-1', 'same'])
    assert.equal(view.clusters[1].cluster['certificate-authority-data'], 'Q0E=')
    assert.equal(view['current-context'], 'prod')
  })

  it('merging the same file twice leaves the file byte-identical the second time', async () => {
    await runCli(['kubeconfig', 'merge', source], {env})
    const once = await readFile(target, 'utf8')
    const r = await runCli(['kubeconfig', 'merge', source, '--json'], {env})
    assert.equal(r.exitCode, 0, r.stderr)
    assert.equal(await readFile(target, 'utf8'), once)
    const plan = JSON.parse(r.stdout)
    assert.equal(plan.written, false)
    assert.deepEqual(plan.actions.map((a: any) => a.action), ['identical', 'identical', 'identical', 'identical'])
  })

  it('--dry-run prints a diff and writes nothing; --json reports the plan', async () => {
    const before = await stat(target)
    const r = await runCli(['kubeconfig', 'merge', source, '--dry-run'], {env})
    assert.equal(r.exitCode, 0, r.stderr)
    assert.match(r.stdout, new RegExp(`^--- ${target}\\n\\+\\+\\+ ${target}\\n@@ `))
    assert.match(r.stdout, /^\+- name: prod-1\n\+  cluster:\n\+    certificate-authority: in\/certs\/ca.pem\n/m)
    assert.doesNotMatch(r.stdout, /^-(?!-- )/m)
    assert.equal((await stat(target)).mtimeMs, before.mtimeMs)
    const json = await runCli(['kubeconfig', 'merge', source, '--dry-run', '--json', '--use-context', 'prod-1'], {env})
    const plan = JSON.parse(json.stdout)
    assert.equal(plan.currentContext, 'prod-1')
    assert.equal(plan.written, false)
    assert.deepEqual(plan.actions.find((a: any) => a.kind === 'clusters' && a.name === 'prod'), {action: 'rename', as: 'prod-1', kind: 'clusters', name: 'prod', source})
  })

  it('--on-conflict fail refuses with exit 1; skip and overwrite follow the policy', async () => {
    const before = await readFile(target, 'utf8')
    let r = await runCli(['kubeconfig', 'merge', source, '--on-conflict', 'fail'], {env})
    assert.equal(r.exitCode, 1)
    assert.match(r.stderr, /^error: merge conflicts: cluster "prod" from .*team\.yaml \(use --on-conflict rename, overwrite or skip\)/)
    assert.equal(await readFile(target, 'utf8'), before)
    r = await runCli(['kubeconfig', 'merge', source, '--on-conflict', 'overwrite', '--into', target], {env})
    assert.equal(r.exitCode, 0, r.stderr)
    const view = JSON.parse((await runProgram(KUBECTL, ['config', 'view', '-o', 'json'], {env})).stdout)
    assert.equal(view.clusters.find((c: any) => c.name === 'prod').cluster.server, 'https://other-prod:6443')
  })

  it('--into a new file creates it (0600) with the sources\' current-context', async () => {
    const fresh = join(temp.dir, 'merged.yaml')
    const r = await runCli(['kubeconfig', 'merge', target, source, '--into', fresh], {env})
    assert.equal(r.exitCode, 0, r.stderr)
    assert.equal((await stat(fresh)).mode & 0o777, 0o600)
    const out = await runProgram(KUBECTL, ['config', 'get-contexts', '-o', 'name'], {env: {...env, KUBECONFIG: fresh}})
    assert.equal(out.stdout, 'prod\nprod-1\n')
    assert.equal((await runCli(['kubeconfig', 'current-context'], {env: {...env, KUBECONFIG: fresh}})).stdout, 'prod\n')
  })
})
