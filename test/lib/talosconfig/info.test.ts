import assert from 'node:assert/strict'

import {relTime} from '../../../src/lib/go/humanize.js'
import {readCertificates} from '../../../src/lib/pki/cert.js'
import {renderGoYaml} from '../../../src/lib/go/yaml-v3.js'
import {
  decodeBase64,
  formatInfoText,
  parseTalosconfig,
  talosconfigInfo,
} from '../../../src/lib/talosconfig/index.js'
import {defaultVector, expectedInfo, futureRoleVector, noRolesVector, VECTOR_NOW} from './vectors.js'

const info = (text: string, context?: string) => talosconfigInfo(parseTalosconfig(text), context, VECTOR_NOW)

describe('talosconfig info (talosctl TestConfigInfoCommand vectors)', () => {
  it('the vector certificates are intact: each verifies against the vector CA', () => {
    for (const vector of [defaultVector, noRolesVector, futureRoleVector]) {
      const ctx = [...parseTalosconfig(vector).contexts.values()][0]
      const ca = readCertificates(decodeBase64(ctx.ca, 'ca'), 'ca')[0].x509
      const crt = readCertificates(decodeBase64(ctx.crt, 'crt'), 'crt')[0].x509
      assert.ok(crt.verify(ca.publicKey))
    }
  })

  it('Default: roles, nodes, endpoints and "10 years from now (2031-07-03)"', () => {
    assert.equal(formatInfoText(info(defaultVector)), expectedInfo.default)
  })

  it('NoRoles: no Roles line, "Nodes: not defined"', () => {
    assert.equal(formatInfoText(info(noRolesVector)), expectedInfo.noRoles)
  })

  it('FutureRole: unknown roles are shown, "Endpoints: not defined"', () => {
    assert.equal(formatInfoText(info(futureRoleVector)), expectedInfo.futureRole)
  })

  it('labels are padded so values start at column 22', () => {
    for (const line of expectedInfo.default.trimEnd().split('\n')) assert.equal(line.search(/(?<=: +)\S/), 21)
    for (const line of formatInfoText(info(defaultVector)).trimEnd().split('\n')) assert.equal(line.search(/(?<=: +)\S/), 21)
  })

  it('omits the expiry line without a certificate', () => {
    const text = formatInfoText(info('context: a\ncontexts:\n  a:\n    endpoints: [e]\n'))
    assert.equal(text, 'Current context:     a\nNodes:               not defined\nEndpoints:           e\n')
  })

  it('the json/yaml document has talosctl keys (context, nodes, endpoints, roles, certTTL, certNotAfter)', () => {
    assert.deepEqual(info(defaultVector), {
      certNotAfter: '2031-07-03',
      certTTL: '10 years from now',
      context: 'no-roles',
      endpoints: ['172.20.1.2', '172.20.1.3', '172.20.1.4'],
      nodes: ['172.20.1.2'],
      roles: ['os:admin'],
    })
    const i = info(noRolesVector)
    assert.equal(
      renderGoYaml([['context', i.context], ['nodes', i.nodes], ['endpoints', i.endpoints], ['roles', i.roles], ['certTTL', i.certTTL], ['certNotAfter', i.certNotAfter]]),
      'context: no-roles\nnodes: []\nendpoints:\n    - 172.20.1.2\nroles: []\ncertTTL: 10 years from now\ncertNotAfter: "2031-07-03"\n',
    )
  })

  it('--context selects another context and is reported', () => {
    const text = defaultVector + '    other:\n        endpoints:\n            - 192.0.2.2\n'
    const i = info(text, 'other')
    assert.equal(i.context, 'other')
    assert.deepEqual(i.endpoints, ['192.0.2.2'])
  })

  it('errors like talosctl for a missing or unknown context and a broken certificate', () => {
    assert.throws(() => info('contexts: {}\n'), /^AuthctlError: no context is set$/)
    assert.throws(() => info('context: x\ncontexts: {}\n'), /context "x" is not defined/)
    assert.throws(() => info('context: a\ncontexts:\n  a:\n    crt: "not base64!"\n'), /context "a": crt is not valid base64/)
    assert.throws(() => info('context: a\ncontexts:\n  a:\n    crt: aGVsbG8=\n'), /invalid context "a": crt: no PEM block found/)
  })

})

describe('go-humanize RelTime', () => {
  const now = new Date('2026-01-01T00:00:00Z')
  const at = (ms: number) => relTime(new Date(now.getTime() + ms), now)
  const s = 1000
  const day = 86_400 * s
  it('follows its buckets (Year = 360 days, Month = 30 days)', () => {
    const cases: Array<[number, string]> = [
      [0, 'now'],
      [999, 'now'],
      [1 * s, '1 second from now'],
      [-30 * s, '30 seconds ago'],
      [90 * s, '1 minute from now'],
      [59 * 60 * s, '59 minutes from now'],
      [3 * 3600 * s, '3 hours from now'],
      [1.5 * day, '1 day from now'],
      [6 * day, '6 days from now'],
      [13 * day, '1 week from now'],
      [29 * day, '4 weeks from now'],
      [45 * day, '1 month from now'],
      [359 * day, '11 months from now'],
      [365 * day, '1 year from now'],
      [-500 * day, '1 year ago'],
      [17520 * 3600 * s, '2 years from now'],
      [3652 * day, '10 years from now'],
      [37 * 360 * day, 'a long while from now'],
    ]
    for (const [delta, expected] of cases) assert.equal(at(delta), expected, `delta ${delta}`)
  })
})
