import assert from 'node:assert/strict'

import fc from 'fast-check'
import {parse, stringify} from 'yaml'

import {toKubectlYaml} from '../../../src/lib/go/yaml.js'
import {parseLeanYaml} from '../../../src/lib/kubeconfig/lean-yaml.js'
import {YAML_OPTIONS} from '../../../src/lib/kubeconfig/load.js'

const full = (text: string) => parse(text, YAML_OPTIONS)

// Kubeconfig-shaped values with awkward strings: YAML 1.1 words, numbers, indicators, `: `, ` #`, quotes, unicode.
const awkward = fc.oneof(
  fc.string(),
  fc.constantFrom('yes', 'no', 'y', 'on', 'off', 'null', '~', '1', '0x1f', '1.5', '1:20', '.inf', '-', '--id=1', 'a: b', 'a #b', "it's", '"q"', '2001-12-14', 'https://a:6443', '', ' lead', 'trail ', '#x', '*a', '&a', '!t', '@x', '%p', 'é'),
)
const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  leaf: fc.oneof(awkward, fc.boolean(), fc.integer(), fc.constant(null)),
  list: fc.array(tie('node'), {maxLength: 3}),
  map: fc.dictionary(fc.oneof(fc.constantFrom('name', 'server', 'a b', 'x-y', 'y', '1'), fc.string({minLength: 1, maxLength: 5})), tie('node'), {maxKeys: 4}),
  node: fc.oneof({depthSize: 'small'}, tie('leaf'), tie('list'), tie('map')),
})).node

describe('kubeconfig YAML reading and writing', () => {
  it('the lean reader either declines or agrees with the yaml library (YAML 1.1), whatever the writer style', () => {
    fc.assert(fc.property(fc.dictionary(fc.string({minLength: 1, maxLength: 6}), value, {maxKeys: 5}), fc.constantFrom('kubectl', 'block', 'flow'), (doc, style) => {
      const text = style === 'kubectl' ? toKubectlYaml(doc) : stringify(doc, style === 'flow' ? {collectionStyle: 'flow'} : {})
      const lean = parseLeanYaml(text)
      if (lean !== undefined) assert.deepEqual(lean, full(text), text)
    }), {numRuns: 600})
  })

  it('the lean reader accepts what kubectl writes', () => {
    const text = 'apiVersion: v1\nclusters:\n- cluster:\n    server: https://a:6443\n  name: k\ncontexts:\n- context:\n    cluster: k\n    user: ""\n  name: c # note\ncurrent-context: c\nkind: Config\npreferences: {}\nusers: null\n'
    assert.deepEqual(parseLeanYaml(text), full(text))
  })

  it('the lean reader declines what it does not know', () => {
    for (const text of ['a: &x 1\nb: *x\n', 'a: |\n  x\n', 'a: {b: 1}\n', 'a: yes\n', 'a: 1.5\n', '---\na: 1\n', 'a: b\n  c\n', 'a: 1\na: 2\n', 'a: !!str x\n']) {
      assert.equal(parseLeanYaml(text), undefined, text)
    }
  })

  it('kubectl-style output reads back as the same value', () => {
    fc.assert(fc.property(fc.dictionary(fc.string({minLength: 1, maxLength: 6}), value, {maxKeys: 5}), (doc) => {
      assert.deepEqual(full(toKubectlYaml(doc)), JSON.parse(JSON.stringify(doc)))
    }), {numRuns: 600})
  })

  it('quotes like go-yaml', () => {
    assert.equal(toKubectlYaml({a: 'y', b: '1', c: '--id=1', d: 'a: b', e: '', f: "it's: x", g: 'https://a:6443'}),
      'a: "y"\nb: "1"\nc: --id=1\nd: \'a: b\'\ne: ""\nf: \'it\'\'s: x\'\ng: https://a:6443\n')
    assert.equal(toKubectlYaml({l: [], m: {}, nil: null, s: [{a: 1, b: [1, 2]}]}), 'l: []\nm: {}\nnil: null\ns:\n- a: 1\n  b:\n  - 1\n  - 2\n')
  })

  it('also quotes what the YAML 1.1 reader resolves beyond go-yaml, so authctl reads its own output back', () => {
    // kubectl writes these plain; the yaml library in YAML 1.1 mode would read them as null, dates, floats or a merge.
    for (const s of ['e0', '-.', '0x_', '+inf', '.iNf', '2001-13-45', '2001-12-14x', '<<']) assert.equal(toKubectlYaml({s}), `s: ${JSON.stringify(s)}\n`, s)
    assert.equal(toKubectlYaml({s: '2001-12-1x'}), 's: "2001-12-1x"\n')
    assert.equal(toKubectlYaml({s: '2001-1x'}), 's: 2001-1x\n')
  })
})
