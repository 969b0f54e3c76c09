import assert from 'node:assert/strict'

import fc from 'fast-check'

import {renderGoYaml} from '../../../src/lib/go/yaml-v3.js'
import {
  emptyContext,
  parseTalosconfig,
  serializeTalosconfig,
  type Talosconfig,
} from '../../../src/lib/talosconfig/index.js'
import {goKeyLess, naturalSort} from '../../../src/lib/go/natural-sort.js'
import {defaultVector, futureRoleVector, noRolesVector} from './vectors.js'

describe('talosconfig format', () => {
  it('re-serialises talosctl-written files byte for byte', () => {
    for (const vector of [defaultVector, noRolesVector]) assert.equal(serializeTalosconfig(parseTalosconfig(vector)), vector)
  })

  it('writes endpoints: [] for a context without endpoints, as talosctl does', () => {
    const out = serializeTalosconfig(parseTalosconfig(futureRoleVector))
    assert.match(out, /^ {4}future-role:\n {8}endpoints: \[\]\n {8}ca: /m)
  })

  it('uses 4-space indent, block sequences under their key and never wraps base64', () => {
    const config: Talosconfig = {context: 'foo', contexts: new Map(), extra: []}
    config.contexts.set('foo', {...emptyContext(), ca: 'A'.repeat(400), endpoints: ['10.0.0.1', '10.0.0.2'], nodes: ['10.0.0.3']})
    assert.equal(
      serializeTalosconfig(config),
      `context: foo\ncontexts:\n    foo:\n        endpoints:\n            - 10.0.0.1\n            - 10.0.0.2\n        nodes:\n            - 10.0.0.3\n        ca: ${'A'.repeat(400)}\n`,
    )
  })

  it('writes an empty config like talosctl creates it', () => {
    assert.equal(serializeTalosconfig(parseTalosconfig('')), 'context: ""\ncontexts: {}\n')
  })

  it('sorts context names in go-yaml natural order', () => {
    const config = parseTalosconfig('contexts:\n  a-10: {}\n  b: {}\n  a-2: {}\n  a-1: {}\n  a: {}\n  A: {}\n  a10x: {}\n  a9x: {}\n')
    const names = [...serializeTalosconfig(config).matchAll(/^ {4}(\S+):$/gm)].map((m) => m[1])
    assert.deepEqual(names, ['A', 'a', 'a-1', 'a-2', 'a-10', 'a9x', 'a10x', 'b'])
  })

  it('natural order: digit runs numerically, letters by code point', () => {
    assert.equal(goKeyLess('a-2', 'a-10'), true)
    assert.equal(goKeyLess('a-10', 'a-2'), false)
    assert.equal(goKeyLess('a', 'b'), true)
    assert.equal(goKeyLess('ab', 'a'), false)
    assert.deepEqual(naturalSort(['x10', 'x9', 'x09']), ['x9', 'x09', 'x10'])
  })

  it('keeps proxy-url across a round trip and omits it when empty (TestProxyURLRoundTrip)', () => {
    const text = 'context: a\ncontexts:\n    a:\n        endpoints: []\n        proxy-url: socks5://localhost:1080\n'
    const config = parseTalosconfig(text)
    assert.equal(config.contexts.get('a')!.proxyUrl, 'socks5://localhost:1080')
    assert.equal(serializeTalosconfig(config), text)
    config.contexts.get('a')!.proxyUrl = ''
    assert.doesNotMatch(serializeTalosconfig(config), /proxy-url/)
  })

  it('writes known keys in talosctl struct order and keeps unknown keys after them', () => {
    const text = [
      'future-top: {x: 1}',
      'contexts:',
      '  a:',
      '    newfield: [1, 2]',
      '    cluster: prod',
      '    auth: {basic: {username: u, password: p}}',
      '    key: S0VZ',
      '    crt: Q1JU',
      '    ca: Q0E=',
      '    nodes: [n1]',
      '    endpoints: [e1]',
      'context: a',
      '',
    ].join('\n')
    const out = serializeTalosconfig(parseTalosconfig(text))
    assert.equal(
      out,
      [
        'context: a',
        'contexts:',
        '    a:',
        '        endpoints:',
        '            - e1',
        '        nodes:',
        '            - n1',
        '        ca: Q0E=',
        '        crt: Q1JU',
        '        key: S0VZ',
        '        auth: { basic: { username: u, password: p } }',
        '        cluster: prod',
        '        newfield: [ 1, 2 ]',
        'future-top: { x: 1 }',
        '',
      ].join('\n'),
    )
  })

  it('turns the deprecated target into an endpoint (Context.upgrade)', () => {
    const config = parseTalosconfig('context: a\ncontexts:\n  a:\n    target: 10.0.0.9\n    endpoints: [10.0.0.1]\n')
    assert.deepEqual(config.contexts.get('a')!.endpoints, ['10.0.0.1', '10.0.0.9'])
    assert.doesNotMatch(serializeTalosconfig(config), /target/)
  })

  it('quotes strings go-yaml would read as another type', () => {
    const config = parseTalosconfig('context: "yes"\ncontexts:\n  "yes":\n    endpoints: ["1.5", "10", "on", "", "a: b", plain, "2031-07-03"]\n')
    assert.equal(
      serializeTalosconfig(config),
      'context: "yes"\ncontexts:\n    "yes":\n        endpoints:\n            - "1.5"\n            - "10"\n            - "on"\n            - ""\n            - \'a: b\'\n            - plain\n            - "2031-07-03"\n',
    )
  })

  it('uses go-yaml\'s timestamp rule (time.Parse layouts with real dates), not the YAML 1.1 pattern', () => {
    const quoted = ['2001-12-14', '2001-2-4 1:59:43', '2001-12-14T21:59:43Z', '2001-12-14t21:59:43.10+01:00', '2024-02-29', '<<', '0o17', '0X1f']
    const plain = ['2001-13-45', '2023-02-29', '2001-12-14Z', '2001-12-14 21:59:43.10 -5', '2001-12-14T21:59:43', '2001-12-14x', '0x', '99999999999999999999x']
    const text = renderGoYaml([['q', quoted], ['p', plain]])
    assert.equal(text, `q:\n${quoted.map((s) => `    - "${s}"\n`).join('')}p:\n${plain.map((s) => `    - ${s}\n`).join('')}`)
  })

  describe('bad input', () => {
    const cases: Array<[string, string, RegExp]> = [
      ['duplicate keys', 'context: a\ncontext: b\n', /duplicate key \(line 2\)/],
      ['duplicate context names', 'contexts:\n  a: {}\n  a: {}\n', /duplicate key/],
      ['malformed YAML', 'contexts: [\n', /cannot parse talosconfig "t"/],
      ['a non-mapping document', '- a\n', /the document must be a mapping/],
      ['a list as context', 'context: [a]\n', /context must be a string/],
      ['a scalar context', 'contexts:\n  a: 3\n', /context "a" must be a mapping/],
      ['endpoints as a map', 'contexts:\n  a:\n    endpoints: {x: 1}\n', /contexts\.a\.endpoints must be a list of strings/],
    ]
    for (const [name, text, message] of cases) {
      it(`rejects ${name}`, () => assert.throws(() => parseTalosconfig(text, 't'), message))
    }
  })

  it('property: parse(serialise(c)) serialises to the same bytes, and keeps every field', () => {
    const word = fc.stringMatching(/^[a-z0-9][a-z0-9.:_-]{0,12}$/)
    const text = fc.oneof(word, fc.string({maxLength: 20}))
    const ctx = fc.record({
      ca: fc.base64String({maxLength: 40}),
      cluster: text,
      crt: fc.base64String({maxLength: 40}),
      endpoints: fc.array(text, {maxLength: 4}),
      key: fc.base64String({maxLength: 40}),
      nodes: fc.array(text, {maxLength: 4}),
      proxyUrl: text,
    })
    fc.assert(
      fc.property(fc.dictionary(text, ctx, {maxKeys: 6}), text, (contexts, current) => {
        const config: Talosconfig = {context: current, contexts: new Map(), extra: []}
        for (const [name, c] of Object.entries(contexts)) config.contexts.set(name, {...emptyContext(), ...c})
        const bytes = serializeTalosconfig(config)
        const back = parseTalosconfig(bytes)
        assert.equal(serializeTalosconfig(back), bytes)
        assert.equal(back.context, current)
        assert.deepEqual([...back.contexts.keys()].sort(), [...config.contexts.keys()].sort())
        for (const [name, c] of config.contexts) {
          const b = back.contexts.get(name)!
          for (const field of ['ca', 'crt', 'key', 'cluster', 'proxyUrl', 'endpoints', 'nodes'] as const) assert.deepEqual(b[field], c[field])
        }
      }),
      {numRuns: 200},
    )
  })
})
