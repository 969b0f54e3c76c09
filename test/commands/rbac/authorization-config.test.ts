// rbac can-i --authorization-config: the answer of an AuthorizationConfiguration's chain offline, the authorizer that
// decided, webhooks as unknown unless stubbed with --webhook-answer, and bad input as usage errors.
import assert from 'node:assert/strict'
import {writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {makeTempDir, runCli} from '../../helpers/cli.js'

const POLICY = `
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: jane-edit, namespace: prod}
subjects: [{kind: User, name: jane}]
roleRef: {kind: ClusterRole, name: edit}
`

const config = (kubeconfig: string, tail = '- {type: RBAC, name: rbac}\n') => `
apiVersion: apiserver.config.k8s.io/v1
kind: AuthorizationConfiguration
authorizers:
- type: Webhook
  name: policy-webhook
  webhook:
    timeout: 3s
    subjectAccessReviewVersion: v1
    matchConditionSubjectAccessReviewVersion: v1
    failurePolicy: Deny
    connectionInfo: {type: KubeConfigFile, kubeConfigFile: ${kubeconfig}}
    matchConditions:
    - expression: has(request.resourceAttributes)
    - expression: "request.resourceAttributes.namespace == 'prod'"
${tail}`

describe('rbac can-i --authorization-config', function () {
  this.timeout(60_000)
  let tmp: Awaited<ReturnType<typeof makeTempDir>>
  let args: string[]

  before(async () => {
    tmp = await makeTempDir('authctl-rbac-authz-')
    await writeFile(join(tmp.dir, 'policy.yaml'), POLICY)
    // Validation wants the webhook's kubeconfig to exist; offline it is never read.
    await writeFile(join(tmp.dir, 'webhook.kubeconfig'), '')
    await writeFile(join(tmp.dir, 'authz.yaml'), config(join(tmp.dir, 'webhook.kubeconfig')))
    await writeFile(join(tmp.dir, 'allow.yaml'), config(join(tmp.dir, 'webhook.kubeconfig'), '- {type: AlwaysDeny, name: alwaysdeny}\n- {type: AlwaysAllow, name: alwaysallow}\n'))
    args = ['--as', 'jane', '-f', join(tmp.dir, 'policy.yaml'), '--authorization-config', join(tmp.dir, 'authz.yaml')]
  })
  after(() => tmp?.cleanup())

  it('a webhook that would be asked is unknown offline (exit 3) and names the stub to give', async () => {
    const r = await runCli(['rbac', 'can-i', 'get', 'secrets', '-n', 'prod', ...args])
    assert.equal(r.exitCode, 3, r.stderr)
    assert.equal(r.stdout, 'unknown - webhook "policy-webhook" cannot be asked offline (give --webhook-answer policy-webhook=allow|deny|no-opinion)\ndecided by: Webhook "policy-webhook"\n')
  })

  it('--webhook-answer stubs it: deny decides there; no-opinion passes to RBAC, which decides', async () => {
    const deny = await runCli(['rbac', 'can-i', 'get', 'secrets', '-n', 'prod', ...args, '--webhook-answer', 'policy-webhook=deny'])
    assert.equal(deny.exitCode, 1)
    assert.equal(deny.stdout, 'no\ndecided by: Webhook "policy-webhook"\n')
    const through = await runCli(['rbac', 'can-i', 'get', 'secrets', '-n', 'prod', ...args, '--webhook-answer', 'policy-webhook=no-opinion', '-o', 'json'])
    assert.equal(through.exitCode, 0)
    const doc = JSON.parse(through.stdout)
    assert.deepEqual({allowed: doc.allowed, decidedBy: doc.decidedBy, decision: doc.decision}, {allowed: true, decidedBy: {name: 'rbac', type: 'RBAC'}, decision: 'Allow'})
    assert.deepEqual(doc.authorizers.map((a: any) => [a.name, a.decision, a.source]), [['policy-webhook', 'NoOpinion', 'stub'], ['rbac', 'Allow', undefined]])
  })

  it('a false matchCondition skips the webhook without a stub: RBAC alone answers', async () => {
    const r = await runCli(['rbac', 'can-i', 'get', 'secrets', '-n', 'dev', ...args, '-o', 'json'])
    assert.equal(r.exitCode, 1)
    const doc = JSON.parse(r.stdout)
    assert.equal(doc.allowed, false)
    assert.equal(doc.decidedBy, undefined)
    assert.deepEqual(doc.authorizers.map((a: any) => [a.name, a.decision, a.source]), [['policy-webhook', 'NoOpinion', 'matchConditions'], ['rbac', 'NoOpinion', undefined]])
  })

  it('AlwaysDeny has no opinion, so a later AlwaysAllow decides; system:masters is allowed before any of them', async () => {
    const allow = ['--as', 'carol', '-f', join(tmp.dir, 'policy.yaml'), '--authorization-config', join(tmp.dir, 'allow.yaml')]
    const r = await runCli(['rbac', 'can-i', 'delete', 'nodes', '-A', ...allow])
    assert.equal(r.exitCode, 0)
    assert.equal(r.stdout, 'yes\ndecided by: AlwaysAllow "alwaysallow"\n')
    const masters = await runCli(['rbac', 'can-i', 'get', 'secrets', '-n', 'prod', ...allow, '--as-group', 'system:masters'])
    assert.equal(masters.stdout, 'yes\ndecided by: Privileged "system:masters"\n')
  })

  it('--list: the resolvers\' union, incomplete because of the webhook', async () => {
    const r = await runCli(['rbac', 'can-i', '--list', '-n', 'prod', ...args, '-o', 'json'])
    assert.equal(r.exitCode, 0, r.stderr)
    const doc = JSON.parse(r.stdout)
    assert.equal(doc.incomplete, true)
    assert.equal(doc.evaluationError, 'webhook authorizer does not support user rule resolution')
  })

  it('rbac explain: the chain\'s answer and every authorizer asked, then RBAC\'s own explanation; the exit code follows the chain', async () => {
    const r = await runCli(['rbac', 'explain', 'get', 'secrets', '-n', 'prod', ...args, '--webhook-answer', 'policy-webhook=deny'])
    assert.equal(r.exitCode, 1, r.stderr)
    const lines = r.stdout.split('\n')
    assert.deepEqual(lines.slice(0, 4), [
      'authorizer chain: no (decided by Webhook "policy-webhook")',
      '  1. Webhook "policy-webhook": Deny (--webhook-answer)',
      'RBAC on its own:',
      'yes: jane may get secrets in namespace "prod"',
    ])
    const json = JSON.parse((await runCli(['rbac', 'explain', 'get', 'secrets', '-n', 'prod', ...args, '-o', 'json'])).stdout)
    assert.equal(json.allowed, null)
    assert.equal(json.rbacAllowed, true)
    assert.equal(json.chain.decision, 'Unknown')
  })

  it('bad input is a usage error (exit 2): an invalid file with every error, an unknown webhook name, a bad answer, a stub without a file', async () => {
    await writeFile(join(tmp.dir, 'bad.yaml'), config(join(tmp.dir, 'webhook.kubeconfig')).replace('failurePolicy: Deny', 'failurePolicy: Maybe').replace('timeout: 3s', 'timeout: 0s'))
    const bad = await runCli(['rbac', 'can-i', 'get', 'pods', '--as', 'jane', '-f', join(tmp.dir, 'policy.yaml'), '--authorization-config', join(tmp.dir, 'bad.yaml')])
    assert.equal(bad.exitCode, 2)
    assert.match(bad.stderr, /^error: --authorization-config ".*bad\.yaml": \[authorizers\[0\]\.timeout: Required value, authorizers\[0\]\.failurePolicy: Unsupported value: "Maybe": supported values: "NoOpinion", "Deny"\]/)
    const unknown = await runCli(['rbac', 'can-i', 'get', 'pods', ...args, '--webhook-answer', 'nope=allow'])
    assert.equal(unknown.exitCode, 2)
    assert.match(unknown.stderr, /^error: --webhook-answer nope: no webhook authorizer named "nope"/)
    const answer = await runCli(['rbac', 'can-i', 'get', 'pods', ...args, '--webhook-answer', 'policy-webhook=perhaps'])
    assert.equal(answer.exitCode, 2)
    assert.match(answer.stderr, /^error: invalid --webhook-answer policy-webhook=perhaps \(allow, deny or no-opinion\)/)
    const alone = await runCli(['rbac', 'can-i', 'get', 'pods', '--as', 'jane', '-f', join(tmp.dir, 'policy.yaml'), '--webhook-answer', 'x=allow'])
    assert.equal(alone.exitCode, 2)
    assert.match(alone.stderr, /^error: --webhook-answer needs --authorization-config/)
  })
})
