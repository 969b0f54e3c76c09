// The authorizer chain's union semantics, its synchronous RBAC-only path, the legacy flags' translation and kube's
// reload rules.
import assert from 'node:assert/strict'

import type {UserInfo} from '../../../src/lib/api/user.js'
import {alwaysAllowAuthorizer, alwaysDenyAuthorizer, type Authorizer, authorizerChain, CONFIG_EXCLUSIVE, legacyAuthorizationConfiguration, nodeAuthorizer, rbacAuthorizer, reloadErrors, traceChain, withAnswers} from '../../../src/lib/authz/index.js'
import {authorize, buildPolicyStore, type PolicyStore} from '../../../src/lib/rbac/index.js'
import type {Attributes} from '../../../src/lib/rbac/types.js'
import type {AuthorizationConfiguration} from '../../../src/lib/authconfig/types.js'

const store: PolicyStore = buildPolicyStore([
  {kind: 'ClusterRole', metadata: {name: 'reader'}, rules: [{apiGroups: [''], resources: ['pods'], verbs: ['get']}]},
  {kind: 'ClusterRoleBinding', metadata: {name: 'jane-reads'}, roleRef: {kind: 'ClusterRole', name: 'reader'}, subjects: [{kind: 'User', name: 'jane'}]},
  {kind: 'ClusterRoleBinding', metadata: {name: 'broken'}, roleRef: {kind: 'ClusterRole', name: 'missing'}, subjects: [{kind: 'User', name: 'bob'}]},
])
const user = (username: string, groups: string[] = []): UserInfo => ({groups: [...groups, 'system:authenticated'], username})
const pods = (u: UserInfo, verb = 'get'): Attributes => ({apiGroup: '', apiVersion: 'v1', namespace: 'dev', resource: 'pods', resourceRequest: true, user: u, verb})

/** A stand-in webhook: answers later with the given result. */
const later = (name: string, result: {decision: 'Allow' | 'Deny' | 'NoOpinion'; reason: string; error?: string; authorizerError?: string}): Authorizer =>
  ({authorize: async () => result, name, rules: () => ({evaluationError: 'webhook authorizer does not support user rule resolution', incomplete: true, nonResourceRules: [], resourceRules: []}), type: 'Webhook'})

describe('authorizer chain', () => {
  it('RBAC alone is the synchronous RBAC evaluator: same objects as authorize(), never a promise', () => {
    const chain = authorizerChain([rbacAuthorizer])
    assert.equal(chain.asynchronous, false)
    for (const u of [user('jane'), user('bob'), user('admin', ['system:masters'])]) {
      const result = chain.authorize(pods(u), store)
      assert.ok(!(result instanceof Promise))
      assert.deepEqual(result, authorize(store, pods(u)))
    }
  })

  it('system:masters is allowed first with no reason, before an AlwaysDeny or a webhook', async () => {
    const chain = authorizerChain([later('w', {decision: 'Deny', reason: 'no'}), alwaysDenyAuthorizer])
    assert.deepEqual(await chain.authorize(pods(user('root', ['system:masters'])), store), {decision: 'Allow', reason: ''})
  })

  it('first Allow or Deny wins with its own reason; NoOpinion goes on', async () => {
    const deny = authorizerChain([later('w', {decision: 'Deny', reason: 'webhook says no'}), rbacAuthorizer])
    assert.deepEqual(await deny.authorize(pods(user('jane')), store), {decision: 'Deny', reason: 'webhook says no'})
    const through = authorizerChain([later('w', {decision: 'NoOpinion', reason: 'not mine'}), rbacAuthorizer])
    assert.deepEqual(await through.authorize(pods(user('jane')), store), {decision: 'Allow', reason: 'RBAC: allowed by ClusterRoleBinding "jane-reads" of ClusterRole "reader" to User "jane"'})
  })

  it('AlwaysDeny has no opinion ("Everything is forbidden."): a later authorizer may still allow; AlwaysAllow allows', async () => {
    assert.deepEqual(authorizerChain([alwaysDenyAuthorizer, rbacAuthorizer]).authorize(pods(user('jane')), store), {decision: 'Allow', reason: 'RBAC: allowed by ClusterRoleBinding "jane-reads" of ClusterRole "reader" to User "jane"'})
    assert.deepEqual(authorizerChain([alwaysDenyAuthorizer, rbacAuthorizer]).authorize(pods(user('carol')), store), {decision: 'NoOpinion', reason: 'Everything is forbidden.'})
    assert.deepEqual(authorizerChain([nodeAuthorizer, alwaysAllowAuthorizer]).authorize(pods(user('carol')), store), {decision: 'Allow', reason: ''})
  })

  it('nobody decides: reasons joined by a newline, errors aggregated, authorizer errors kept apart from RBAC\'s', async () => {
    const chain = authorizerChain([
      later('w1', {authorizerError: 'Post "https://a": boom', decision: 'NoOpinion', error: 'Post "https://a": boom', reason: ''}),
      rbacAuthorizer,
      alwaysDenyAuthorizer,
    ])
    const result = await chain.authorize(pods(user('bob')), store)
    assert.deepEqual(result, {
      authorizerError: 'Post "https://a": boom',
      decision: 'NoOpinion',
      error: '[Post "https://a": boom, clusterrole.rbac.authorization.k8s.io "missing" not found]',
      reason: 'RBAC: clusterrole.rbac.authorization.k8s.io "missing" not found\nEverything is forbidden.',
    })
  })

  it('traces every answer on the way (offline analysis)', async () => {
    const chain = authorizerChain([later('policy', {decision: 'NoOpinion', reason: ''}), rbacAuthorizer])
    const {decision, steps} = await traceChain(chain, pods(user('jane')), store)
    assert.equal(decision.decision, 'Allow')
    assert.deepEqual(steps.map((s) => (typeof s.authorizer === 'string' ? s.authorizer : s.authorizer.name)), ['policy', 'rbac'])
  })

  it('SelfSubjectRulesReview: the resolvers\' union, incomplete with a webhook', () => {
    const rules = authorizerChain([later('w', {decision: 'NoOpinion', reason: ''}), rbacAuthorizer, alwaysAllowAuthorizer]).rules(store, user('jane'), 'dev')
    assert.equal(rules.incomplete, true)
    assert.equal(rules.evaluationError, 'webhook authorizer does not support user rule resolution')
    assert.deepEqual(rules.resourceRules, [{apiGroups: [''], resources: ['pods'], verbs: ['get']}, {apiGroups: ['*'], resources: ['*'], verbs: ['*']}])
  })

  it('withAnswers: a synchronous computation gets a later chain\'s answers in order, stopping where it stops', async () => {
    const asked: string[] = []
    const result = await withAnswers((ask) => {
      for (const verb of ['get', 'list', 'watch']) if (ask(pods(user('jane'), verb)).decision !== 'Allow') return `stopped at ${verb}`
      return 'all allowed'
    }, async (a) => {
      asked.push(a.verb)
      return a.verb === 'list' ? {decision: 'NoOpinion', reason: ''} : {decision: 'Allow', reason: ''}
    })
    assert.equal(result, 'stopped at list')
    assert.deepEqual(asked, ['get', 'list'])
  })
})

describe('legacy --authorization-* flags', () => {
  it('translate into the same configuration: {type, name: lowercase(type)}, a webhook named default with 30s timeout and NoOpinion', () => {
    const config = legacyAuthorizationConfiguration({modes: ['Node', 'Webhook', 'RBAC'], webhookCacheAuthorizedTtlMs: 0, webhookConfigFile: 'hook.kubeconfig'}, '/etc/k')
    assert.deepEqual(config.authorizers.map((a) => `${a.type}/${a.name}`), ['Node/node', 'Webhook/default', 'RBAC/rbac'])
    const w = config.authorizers[1].webhook!
    assert.equal(w.timeout, 30_000)
    assert.equal(w.failurePolicy, 'NoOpinion')
    assert.equal(w.subjectAccessReviewVersion, 'v1beta1')
    assert.equal(w.cacheAuthorizedRequests, false, 'a 0 TTL disables that cache')
    assert.equal(w.unauthorizedTTL, 30_000)
    assert.equal(w.connectionInfo.kubeConfigFile, '/etc/k/hook.kubeconfig')
    assert.deepEqual(legacyAuthorizationConfiguration({}).authorizers, [{name: 'rbac', type: 'RBAC'}], 'serve\'s default is RBAC')
  })

  it('are validated with kube-apiserver\'s words, every error at once', () => {
    assert.throws(() => legacyAuthorizationConfiguration({modes: ['RBAC', 'Magic', 'RBAC', 'Webhook']}), (error: Error & {exitCode: number}) => {
      assert.equal(error.message, '[authorization-mode "Magic" is not a valid mode, authorization-mode Webhook\'s authorization config file not passed, authorization-mode ["RBAC" "Magic" "RBAC" "Webhook"] has mode specified more than once]')
      assert.equal(error.exitCode, 2)
      return true
    })
    assert.throws(() => legacyAuthorizationConfiguration({webhookConfigFile: 'x'}), /^AuthctlError: cannot specify --authorization-webhook-config-file without mode Webhook$/)
    assert.match(CONFIG_EXCLUSIVE, /^--authorization-config can not be specified when --authorization-mode or --authorization-webhook-\* flags are defined$/)
  })
})

describe('reload rules', () => {
  const config = (...types: string[]): AuthorizationConfiguration => ({apiVersion: 'apiserver.config.k8s.io/v1', authorizers: types.map((type) => ({name: type.toLowerCase(), type})), kind: 'AuthorizationConfiguration'})
  it('start-up types other than Webhook must stay; Node and RBAC cannot be added', () => {
    assert.equal(reloadErrors(config('Node', 'Webhook', 'RBAC'), config('Webhook', 'AlwaysAllow')), 'missing required types: [Node RBAC]')
    assert.equal(reloadErrors(config('RBAC'), config('Node', 'RBAC')), 'authorizer type Node is not allowed if it was not enabled at initial server startup')
    assert.equal(reloadErrors(config('RBAC', 'Webhook'), config('RBAC')), undefined)
    assert.equal(reloadErrors(config('RBAC'), config('Webhook', 'RBAC', 'AlwaysDeny')), undefined)
  })
})
