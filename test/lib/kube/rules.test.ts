import assert from 'node:assert/strict'

import {breakdownRule, combineResourceGroup, compactRules, listRules, policyRuleString, rulesTable} from '../../../src/lib/kube/rules.js'

// The rules behind kubernetes.md §3.4's observed `kubectl auth can-i --list` output.
const status = {
  incomplete: false,
  nonResourceRules: [{nonResourceURLs: ['/api', '/api/*'], verbs: ['get']}],
  resourceRules: [
    {apiGroups: ['authorization.k8s.io'], resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'], verbs: ['create']},
    {apiGroups: ['apps'], resourceNames: ['web', 'api'], resources: ['deployments'], verbs: ['get']},
    {apiGroups: [''], resources: ['pods', 'pods/log'], verbs: ['get', 'list']},
    {apiGroups: ['*'], resources: ['*'], verbs: ['*']},
    {apiGroups: ['authentication.k8s.io'], resources: ['selfsubjectreviews'], verbs: ['create']},
    {apiGroups: [''], resources: ['pods', 'pods/log'], verbs: ['watch']},
    // no apiGroups: broken down into nothing, as kubectl does
    {resources: ['secrets'], verbs: ['get']},
  ],
}

const observed = `Resources                                       Non-Resource URLs   Resource Names   Verbs
*.*                                             []                  []               [*]
selfsubjectreviews.authentication.k8s.io        []                  []               [create]
selfsubjectaccessreviews.authorization.k8s.io   []                  []               [create]
selfsubjectrulesreviews.authorization.k8s.io    []                  []               [create]
pods/log                                        []                  []               [get list watch]
pods                                            []                  []               [get list watch]
                                                [/api/*]            []               [get]
                                                [/api]              []               [get]
deployments.apps                                []                  [api]            [get]
deployments.apps                                []                  [web]            [get]
`

describe('kube can-i --list printing (SSRR)', () => {
  it('matches the observed kubectl table for the same rules', () => {
    assert.equal(rulesTable(listRules(status)), observed)
  })

  it('--no-headers drops the header line, and the columns fit the rows alone (Go tabwriter)', () => {
    const lines = rulesTable(listRules(status), true).split('\n')
    assert.equal(lines.length, 11)
    assert.equal(lines[0], '*.*                                             []         []      [*]')
    assert.equal(lines[6], '                                                [/api/*]   []      [get]')
  })

  it('breaks rules down per group, resource, verb and name; URL rules per URL and verb', () => {
    const rule = {apiGroups: ['', 'apps'], nonResourceURLs: [], resourceNames: ['a', 'b'], resources: ['x'], verbs: ['get', 'list']}
    assert.equal(breakdownRule(rule).length, 8)
    const urls = {apiGroups: [], nonResourceURLs: ['/a', '/b'], resourceNames: [], resources: [], verbs: ['get', 'post']}
    assert.deepEqual(breakdownRule(urls).map((r) => `${r.nonResourceURLs[0]} ${r.verbs[0]}`), ['/a get', '/a post', '/b get', '/b post'])
  })

  it('merges simple rules, each verb once in first-seen order, but never merges URL rules', () => {
    const r = (verbs: string[], extra = {}) => ({apiGroups: [''], nonResourceURLs: [], resourceNames: [], resources: ['pods'], verbs, ...extra})
    const merged = compactRules([r(['watch']), r(['list']), r(['watch']), r(['get'])])
    assert.deepEqual(merged.map((m) => m.verbs), [['watch', 'list', 'get']])
    const url = {apiGroups: [], nonResourceURLs: ['/x'], resourceNames: [], resources: [], verbs: ['get']}
    assert.equal(compactRules([url, {...url}]).length, 2)
  })

  it('sorts by the gogo PolicyRule string, byte-wise', () => {
    assert.equal(
      policyRuleString({apiGroups: ['apps'], nonResourceURLs: [], resourceNames: ['web'], resources: ['deployments'], verbs: ['get']}),
      '&PolicyRule{Verbs:[get],APIGroups:[apps],Resources:[deployments],ResourceNames:[web],NonResourceURLs:[],}',
    )
  })

  it('combines resource and group like describe.CombineResourceGroup', () => {
    assert.equal(combineResourceGroup(['*'], ['*']), '*.*')
    assert.equal(combineResourceGroup(['deployments/scale'], ['apps']), 'deployments.apps/scale')
    assert.equal(combineResourceGroup(['pods'], ['']), 'pods')
    assert.equal(combineResourceGroup([], ['x']), '')
  })
})
