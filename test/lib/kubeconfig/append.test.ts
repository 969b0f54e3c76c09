import assert from 'node:assert/strict'

import fc from 'fast-check'
import {parse, stringify} from 'yaml'

import {appendToBlockYaml} from '../../../src/lib/kubeconfig/append.js'
import {toKubectlYaml} from '../../../src/lib/go/yaml.js'
import {YAML_OPTIONS} from '../../../src/lib/kubeconfig/load.js'

const name = fc.stringMatching(/^[a-z][a-z0-9-]{0,6}$/)
const text = fc.oneof(fc.string({maxLength: 8}), fc.constantFrom('yes', '1', 'a: b', "it's", '#x'))
const entries = (bodyKey: string) => fc.uniqueArray(fc.record({body: fc.dictionary(fc.constantFrom('server', 'cluster', 'user', 'token', 'namespace'), text, {maxKeys: 3}), name}), {maxLength: 4, selector: (e) => e.name}).map((list) => list.map((e) => ({[bodyKey]: e.body, name: e.name})))

describe('kubeconfig text splice for additions', () => {
  it('adds exactly the new entries and current-context, keeping the rest of the file', () => {
    fc.assert(fc.property(entries('cluster'), entries('context'), fc.constantFrom('kubectl', 'name-first', 'indented'), fc.option(name, {nil: undefined}), entries('context'), (clusters, contexts, style, current, added) => {
      const doc = {apiVersion: 'v1', clusters, contexts, 'current-context': 'x', kind: 'Config'}
      const base = style === 'kubectl' ? toKubectlYaml(doc) : style === 'indented' ? stringify(doc) : `# top\n${stringify({...doc, clusters: clusters.map((c) => ({name: c.name, cluster: c.cluster}))}, {indentSeq: false})}`
      const fresh = added.filter((a) => !contexts.some((c) => c.name === a.name))
      const after = appendToBlockYaml(base, fresh.map((a) => ({body: a.context as any, kind: 'contexts' as const, name: a.name as string})), current)
      if (after === undefined) return
      const expected = {...parse(base, YAML_OPTIONS), contexts: [...contexts, ...fresh]}
      if (current !== undefined) expected['current-context'] = current
      assert.deepEqual(parse(after, YAML_OPTIONS), JSON.parse(JSON.stringify(expected)))
      if (base.startsWith('# top')) assert.ok(after.startsWith('# top\n'))
    }), {numRuns: 300})
  })

  it('declines flow-style lists and files outside the block subset', () => {
    assert.equal(appendToBlockYaml('contexts: [{name: a}]\n', [{body: {cluster: 'k', user: ''}, kind: 'contexts', name: 'b'}]), undefined)
    assert.equal(appendToBlockYaml('a: &x 1\n', [{body: {cluster: 'k', user: ''}, kind: 'contexts', name: 'b'}]), undefined)
  })

  it('fills `null` lists and missing keys', () => {
    assert.equal(appendToBlockYaml('contexts: null\nkind: Config\n', [{body: {cluster: 'k', user: ''}, kind: 'contexts', name: 'b'}, {body: {server: 's'}, kind: 'clusters', name: 'k'}], 'b'),
      'contexts:\n- context:\n    cluster: k\n    user: ""\n  name: b\nkind: Config\nclusters:\n- cluster:\n    server: s\n  name: k\ncurrent-context: b\n')
  })
})
