import assert from 'node:assert/strict'

import {AuthctlError, fileError, formatErrorLine, toAuthctlError, usageError} from '../../../src/lib/output/errors.js'
import {formatTable} from '../../../src/lib/output/render.js'
import {formatGoDuration, humanDuration, parseDuration, relativeTime} from '../../../src/lib/go/time.js'

describe('output: errors', () => {
  it('formats the one-line contract with and without a hint', () => {
    assert.equal(formatErrorLine(new AuthctlError('bad PEM', {hint: 'expected CERTIFICATE'})), 'error: bad PEM (expected CERTIFICATE)')
    assert.equal(formatErrorLine(new AuthctlError('no context')), 'error: no context')
  })

  it('maps usage and file errors to their exit codes', () => {
    assert.equal(usageError('x').exitCode, 2)
    const enoent = Object.assign(new Error('ENOENT: no such file'), {code: 'ENOENT'})
    assert.equal(fileError(enoent, 'ca.crt', 'CA certificate').message, 'cannot read CA certificate "ca.crt": no such file or directory')
    const parse = Object.assign(new Error('Missing 1 required arg:\nname\nSee more help with --help'), {parse: {}})
    const mapped = toAuthctlError(parse)
    assert.equal(mapped.exitCode, 2)
    assert.equal(mapped.message, 'Missing 1 required arg: name')
  })
})

describe('output: kubectl-style table', () => {
  it('pads every column but the last like tabwriter (minwidth 6, padding 3)', () => {
    const text = formatTable(['ATTRIBUTE', 'VALUE'], [['Username', 'jane'], ['Groups', '[dev system:authenticated]']])
    assert.equal(text, 'ATTRIBUTE   VALUE\nUsername    jane\nGroups      [dev system:authenticated]\n')
  })

  it('keeps minimum widths for short and empty columns and can drop headers', () => {
    assert.equal(formatTable(['A', 'B', 'C'], [['', 'x', 'y']]), 'A     B     C\n      x     y\n')
    assert.equal(formatTable(['A', 'B'], [['1', '2']], {noHeaders: true}), '1     2\n')
    assert.equal(formatTable(['CURRENT', 'NAME'], [['*', 'a']], {minWidth: 0}), 'CURRENT   NAME\n*         a\n')
  })
})

describe('time: durations', () => {
  it('parses Go durations plus days', () => {
    assert.equal(parseDuration('87600h'), 87600 * 3_600_000)
    assert.equal(parseDuration('1h30m'), 90 * 60_000)
    assert.equal(parseDuration('30d'), 30 * 86_400_000)
    assert.equal(parseDuration('1.5h'), 90 * 60_000)
    for (const bad of ['', '10', 'h', '1x', '1h 2m', '-1h']) assert.throws(() => parseDuration(bad), /invalid duration/)
  })

  it('formats like Go and like kubectl', () => {
    assert.equal(formatGoDuration(8760 * 3_600_000), '8760h0m0s')
    assert.equal(formatGoDuration(90_000), '1m30s')
    assert.equal(humanDuration(42 * 60_000), '42m')
    assert.equal(humanDuration(5 * 3_600_000 + 30 * 60_000), '5h30m')
    assert.equal(humanDuration(3 * 86_400_000), '3d')
    assert.equal(humanDuration(400 * 86_400_000), '400d')
    assert.equal(humanDuration(3 * 365 * 86_400_000 + 10 * 86_400_000), '3y10d')
    const now = new Date('2026-01-01T00:00:00Z')
    assert.equal(relativeTime(new Date('2026-01-01T00:42:00Z'), now), 'in 42m')
    assert.equal(relativeTime(new Date('2025-12-29T00:00:00Z'), now), '3d ago')
  })
})
