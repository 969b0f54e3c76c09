import assert from 'node:assert/strict'

import fc from 'fast-check'

import {emptyKubeconfig, type Kubeconfig} from '../../../src/lib/kubeconfig/load.js'
import {type MergePlan, planMerge} from '../../../src/lib/kubeconfig/merge.js'
import {type Body, jsonEqual, KINDS} from '../../../src/lib/kubeconfig/schema.js'

// Small name and value pools so that clashes, identical entries and renamed names (`k-1`) all occur often.
const clusterNames = fc.constantFrom('k', 'k-1', 'prod', 'dev')
const userNames = fc.constantFrom('u', 'u-1', 'admin')
const contextNames = fc.constantFrom('c', 'c-1', 'main', 'other')
const cluster = fc.constantFrom('https://a', 'https://b').map((server) => ({server}) as Body)
const user = fc.constantFrom('t1', 't2').map((token) => ({token}) as Body)

const config = (origin: string) =>
  fc.record({
    clusters: fc.dictionary(clusterNames, cluster, {maxKeys: 4}),
    contexts: fc.dictionary(contextNames, fc.record({cluster: clusterNames, user: userNames}), {maxKeys: 4}),
    current: fc.option(contextNames, {nil: ''}),
    users: fc.dictionary(userNames, user, {maxKeys: 3}),
  }).map((r) => {
    const c = emptyKubeconfig()
    for (const [name, body] of Object.entries(r.clusters)) c.clusters.set(name, {body, name, origin})
    for (const [name, body] of Object.entries(r.users)) c.users.set(name, {body, name, origin})
    for (const [name, body] of Object.entries(r.contexts)) c.contexts.set(name, {body: body as Body, name, origin})
    c.currentContext = r.current && c.contexts.has(r.current) ? r.current : ''
    return c
  })

function apply(target: Kubeconfig, plan: MergePlan): Kubeconfig {
  const out: Kubeconfig = {...target, clusters: new Map(target.clusters), contexts: new Map(target.contexts), currentContext: plan.currentContext, users: new Map(target.users)}
  for (const {body, kind, name} of plan.writes) out[kind].set(name, {body, name, origin: '/t/config'})
  return out
}

const policy = fc.constantFrom('rename' as const, 'overwrite' as const, 'skip' as const)

describe('kubeconfig merge (properties)', () => {
  it('with rename, no entry is lost: every target and source entry is in the result with its own content', () => {
    fc.assert(fc.property(config('/t/config'), fc.array(config('/s/a.yaml'), {maxLength: 3, minLength: 1}), (target, sources) => {
      const inputs = sources.map((c, i) => ({config: c, path: `/s/${i}.yaml`}))
      const plan = planMerge(target, inputs, {onConflict: 'rename'})
      const result = apply(target, plan)
      for (const kind of KINDS) {
        for (const [name, entry] of target[kind]) assert.ok(jsonEqual(result[kind].get(name)?.body, entry.body), `target ${kind} ${name} changed`)
      }
      for (const [i, source] of sources.entries()) {
        const actions = plan.actions.filter((a) => a.source === `/s/${i}.yaml`)
        const nameIn = (kind: 'clusters' | 'users', name: string) => actions.find((a) => a.kind === kind && a.name === name)?.as ?? name
        for (const kind of KINDS) {
          for (const [name, entry] of source[kind]) {
            const action = actions.find((a) => a.kind === kind && a.name === name)
            assert.ok(action, `no action for ${kind} ${name}`)
            const stored = result[kind].get(action.as)
            assert.ok(stored, `${kind} ${name} lost`)
            if (kind !== 'contexts') {
              assert.ok(jsonEqual(stored.body, entry.body), `${kind} ${name} stored with other content`)
              continue
            }
            // References stay consistent: the merged context points at entries with the source's content.
            const clusterRef = String(entry.body.cluster)
            const userRef = String(entry.body.user)
            assert.equal(stored.body.cluster, source.clusters.has(clusterRef) ? nameIn('clusters', clusterRef) : clusterRef)
            assert.equal(stored.body.user, source.users.has(userRef) ? nameIn('users', userRef) : userRef)
            if (source.clusters.has(clusterRef)) assert.ok(jsonEqual(result.clusters.get(String(stored.body.cluster))?.body, source.clusters.get(clusterRef)!.body))
            if (source.users.has(userRef)) assert.ok(jsonEqual(result.users.get(String(stored.body.user))?.body, source.users.get(userRef)!.body))
          }
        }
      }
      if (target.currentContext) assert.equal(result.currentContext, target.currentContext)
    }), {numRuns: 400})
  })

  it('merging the same files again changes nothing (any policy)', () => {
    fc.assert(fc.property(config('/t/config'), fc.array(config('/s/a.yaml'), {maxLength: 3, minLength: 1}), policy, (target, sources, onConflict) => {
      const inputs = sources.map((c, i) => ({config: c, path: `/s/${i}.yaml`}))
      const once = apply(target, planMerge(target, inputs, {onConflict}))
      if (onConflict === 'overwrite' && sources.length > 1) return // later sources overwrite earlier ones by design
      const again = planMerge(once, inputs, {onConflict})
      assert.deepEqual(again.writes, [])
      assert.equal(again.currentContext, once.currentContext)
    }), {numRuns: 400})
  })

  it('renames deterministically to the first free suffix and rewrites references', () => {
    const target = emptyKubeconfig()
    target.clusters.set('k', {body: {server: 'https://t'}, name: 'k', origin: '/t'})
    target.clusters.set('k-1', {body: {server: 'https://x'}, name: 'k-1', origin: '/t'})
    target.contexts.set('c', {body: {cluster: 'k', user: ''}, name: 'c', origin: '/t'})
    target.currentContext = 'c'
    const source = emptyKubeconfig()
    source.clusters.set('k', {body: {server: 'https://s'}, name: 'k', origin: '/s'})
    source.contexts.set('c', {body: {cluster: 'k', user: ''}, name: 'c', origin: '/s'})
    source.currentContext = 'c'
    const plan = planMerge(target, [{config: source, path: '/s'}], {onConflict: 'rename'})
    assert.deepEqual(plan.actions.map((a) => `${a.kind}:${a.name}->${a.as}:${a.action}`), ['clusters:k->k-2:rename', 'contexts:c->c-1:rename'])
    assert.deepEqual(plan.writes.find((w) => w.kind === 'contexts')?.body, {cluster: 'k-2', user: ''})
    assert.equal(plan.currentContext, 'c')
    assert.equal(planMerge(target, [{config: source, path: '/s'}], {onConflict: 'rename', useContext: 'c-1'}).currentContext, 'c-1')
    assert.throws(() => planMerge(target, [{config: source, path: '/s'}], {onConflict: 'fail'}), {message: 'merge conflicts: cluster "k" from /s'})
  })
})
