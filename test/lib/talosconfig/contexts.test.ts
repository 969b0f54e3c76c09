import assert from 'node:assert/strict'

import {formatTable} from '../../../src/lib/output/render.js'
import {contextCells, contextRows, globMatch, parseTalosconfig} from '../../../src/lib/talosconfig/index.js'

describe('talosconfig contexts', () => {
  it("prints talosctl's tabwriter table (padding 3, minwidth 0; nodes cut to three; byte order)", () => {
    const config = parseTalosconfig(`context: b
contexts:
  b:
    endpoints: [10.0.0.1, 10.0.0.2]
    nodes: [n1, n2, n3, n4]
  a-10:
    endpoints: []
  a-2:
    endpoints: [e]
    nodes: [n1]
`)
    const table = formatTable(['CURRENT', 'NAME', 'ENDPOINTS', 'NODES'], contextRows(config).map(contextCells), {minWidth: 0, padding: 3})
    assert.equal(
      table,
      [
        'CURRENT   NAME   ENDPOINTS           NODES',
        '          a-10                       ',
        '          a-2    e                   n1',
        '*         b      10.0.0.1,10.0.0.2   n1,n2,n3...',
        '',
      ].join('\n'),
    )
  })

  it('globs like ryanuber/go-glob (only * is special)', () => {
    const cases: Array<[string, string, boolean]> = [
      ['*', 'anything', true],
      ['prod', 'prod', true],
      ['prod', 'prod-1', false],
      ['prod*', 'prod-1', true],
      ['*-1', 'prod-1', true],
      ['*-1', 'prod-2', false],
      ['p*d', 'prod', true],
      ['p*d', 'prodx', false],
      ['a*b*c', 'a-b-c', true],
      ['a*b*c', 'a-c-b', false],
      ['pr?d', 'prod', false],
      ['', '', true],
      ['', 'x', false],
    ]
    for (const [pattern, subject, expected] of cases) assert.equal(globMatch(pattern, subject), expected, `${pattern} ~ ${subject}`)
  })
})
