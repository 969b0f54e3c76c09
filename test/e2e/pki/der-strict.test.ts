// The DER reader's strictness, case by case: hand-made certificates that break one DER or X.509 rule each. authctl
// must reject every one with a one-line error naming the problem — in-process and through `pki inspect` — and Go's
// crypto/x509 (the parser kube-apiserver uses) must reject the same certificate, so authctl is never more lenient.
import assert from 'node:assert/strict'
import {generateKeyPairSync, type KeyObject, sign} from 'node:crypto'
import {writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {AuthctlError} from '../../../src/lib/output/errors.js'
import {bitString, ctx, extension, keyUsage, name, octets, oid, seq, time, tlv, uint} from '../../../src/lib/pki/encode.js'
import {inspectPem} from '../../../src/lib/pki/inspect.js'
import {toPem} from '../../../src/lib/pki/pem.js'
import {makeTempDir, runCli} from '../../helpers/cli.js'
import {goParse} from '../../helpers/go-x509.js'

interface Parts {
  version: Buffer
  serial: Buffer
  algorithm: Buffer
  issuer: Buffer
  validity: Buffer
  subject: Buffer
  spki: Buffer
  extensions: Buffer[]
  outerAlgorithm?: Buffer
  /** Applied to the finished certificate's DER. */
  finish?: (der: Buffer) => Buffer
}

const ED25519 = seq(oid('1.3.101.112'))
const {privateKey: key, publicKey} = generateKeyPairSync('ed25519')

function baseParts(): Parts {
  return {
    algorithm: ED25519,
    extensions: [
      extension('2.5.29.15', true, keyUsage(['digitalSignature'])),
      extension('2.5.29.37', false, seq(oid('1.3.6.1.5.5.7.3.2'))),
      extension('2.5.29.17', false, seq(ctx(2, Buffer.from('leaf.example'), false))),
    ],
    issuer: name('issuer', []),
    serial: uint(Buffer.from('01f3', 'hex')),
    spki: publicKey.export({format: 'der', type: 'spki'}),
    subject: name('leaf', ['dev']),
    validity: seq(time(new Date('2025-01-01T00:00:00Z')), time(new Date('2035-01-01T00:00:00Z'))),
    version: ctx(0, uint(2)),
  }
}

function build(edit: (p: Parts) => void, signer: KeyObject = key): Buffer {
  const p = baseParts()
  edit(p)
  const tbs = seq(p.version, p.serial, p.algorithm, p.issuer, p.validity, p.subject, p.spki, ctx(3, seq(...p.extensions)))
  const der = seq(tbs, p.outerAlgorithm ?? p.algorithm, bitString(sign(null, tbs, signer)))
  return p.finish ? p.finish(der) : der
}

/** A TLV re-encoded with a long-form length (`0x81 len`, or `0x82 00 len`), which DER forbids below 128. */
function longLength(encoded: Buffer, leadingZero = false): Buffer {
  const body = encoded.subarray(2)
  return Buffer.concat([Buffer.from(leadingZero ? [encoded[0], 0x82, 0, body.length] : [encoded[0], 0x81, body.length]), body])
}

const utcTime = (text: string) => tlv(0x17, Buffer.from(text, 'ascii'))
const cnWith = (value: Buffer) => seq(tlv(0x31, seq(oid('2.5.4.3'), value)))

const CASES: Array<{title: string; der: Buffer; error: RegExp}> = [
  {error: /non-minimal DER length/, title: 'non-minimal length (long form below 128)', der: build((p) => (p.subject = longLength(p.subject)))},
  {error: /non-minimal DER length/, title: 'long-form length with a leading zero byte', der: build((p) => (p.issuer = longLength(p.issuer, true)))},
  {
    error: /indefinite length is not DER/,
    title: 'indefinite length',
    der: build((p) => (p.finish = (der) => Buffer.concat([Buffer.from([0x30, 0x80]), der.subarray(2 + (der[1] & 0x80 ? der[1] & 0x7f : 0)), Buffer.from([0, 0])]))),
  },
  {error: /invalid BOOLEAN/, title: 'empty BOOLEAN (cA in basicConstraints)', der: build((p) => p.extensions.push(extension('2.5.29.19', true, seq(tlv(0x01)))))},
  {
    error: /invalid BOOLEAN/,
    title: 'BOOLEAN 0x01 (BER true, not DER)',
    der: build((p) => (p.extensions[0] = seq(oid('2.5.29.15'), tlv(0x01, Buffer.from([1])), octets(keyUsage(['digitalSignature']))))),
  },
  {error: /negative serial number/, title: 'negative serial number', der: build((p) => (p.serial = tlv(0x02, Buffer.from([0xff, 0x01]))))},
  {error: /malformed serial number/, title: 'empty serial number', der: build((p) => (p.serial = tlv(0x02)))},
  {error: /serial number \(non-minimal encoding\)/, title: 'non-minimal serial number', der: build((p) => (p.serial = tlv(0x02, Buffer.from([0x00, 0x01]))))},
  {error: /malformed UTCTime "251301000000Z"/, title: 'month 13', der: build((p) => (p.validity = seq(utcTime('251301000000Z'), utcTime('351231000000Z'))))},
  {error: /malformed UTCTime "250230000000Z"/, title: 'February 30', der: build((p) => (p.validity = seq(utcTime('250230000000Z'), utcTime('351231000000Z'))))},
  {error: /malformed UTCTime "250101240000Z"/, title: 'hour 24', der: build((p) => (p.validity = seq(utcTime('250101240000Z'), utcTime('351231000000Z'))))},
  {error: /malformed UTCTime/, title: 'UTCTime that is not a time', der: build((p) => (p.validity = seq(utcTime('25010100000xZ'), utcTime('351231000000Z'))))},
  {
    error: /x509: certificate contains duplicate extensions/,
    title: 'duplicate extension',
    der: build((p) => p.extensions.push(extension('2.5.29.15', true, keyUsage(['digitalSignature', 'keyEncipherment'])))),
  },
  {error: /trailing data/, title: 'trailing garbage after the certificate', der: build((p) => (p.finish = (der) => Buffer.concat([der, Buffer.from([0, 0])])))},
  {
    error: /inner and outer signature algorithm identifiers don't match/,
    title: 'outer signature algorithm differs from the signed one',
    der: build((p) => (p.outerAlgorithm = seq(oid('1.2.840.10045.4.3.2')))),
  },
  {error: /invalid UTF-8 string/, title: 'invalid UTF-8 in a UTF8String CN', der: build((p) => (p.subject = cnWith(tlv(0x0c, Buffer.from([0x61, 0xff, 0xfe])))))},
  {error: /invalid PrintableString/, title: 'PrintableString holding "@"', der: build((p) => (p.subject = cnWith(tlv(0x13, Buffer.from('a@b')))))},
  {
    error: /cannot parse IP address of length 5/,
    title: 'IP SAN of 5 bytes',
    der: build((p) => (p.extensions[2] = extension('2.5.29.17', false, seq(ctx(7, Buffer.from([10, 0, 0, 1, 9]), false))))),
  },
  {
    error: /invalid IA5String/,
    title: 'DNS SAN with a non-ASCII byte',
    der: build((p) => (p.extensions[2] = extension('2.5.29.17', false, seq(ctx(2, Buffer.from([0x61, 0xe9]), false))))),
  },
  {error: /invalid version/, title: 'version v4', der: build((p) => (p.version = ctx(0, uint(3))))},
  {
    error: /malformed key usage/,
    title: 'key usage BIT STRING with 8 unused bits',
    der: build((p) => (p.extensions[0] = extension('2.5.29.15', true, tlv(0x03, Buffer.from([8, 0x80]))))),
  },
  {
    error: /malformed object identifier/,
    title: 'extended key usage holding an INTEGER',
    der: build((p) => (p.extensions[1] = extension('2.5.29.37', false, seq(uint(1))))),
  },
  {error: /truncated DER/, title: 'length running past the end', der: build((p) => (p.finish = (der) => der.subarray(0, der.length - 3)))},
  {error: /malformed/, title: 'serial that is an OCTET STRING', der: build((p) => (p.serial = octets(Buffer.from([1]))))},
  {error: /invalid BOOLEAN/, title: 'critical flag of 0x00 0x00', der: build((p) => (p.extensions[1] = seq(oid('2.5.29.37'), tlv(0x01, Buffer.from([0, 0])), octets(seq(oid('1.3.6.1.5.5.7.3.2'))))))},
]

describe('pki DER reader: strictness table, judged by Go', function () {
  this.timeout(120_000)
  let dir: string
  let cleanup: () => Promise<void>
  before(async () => ({cleanup, dir} = await makeTempDir('authctl-der-strict-')))
  after(() => cleanup())

  it('the unmodified certificate parses (the cases below differ from it in one rule only)', async () => {
    const pem = toPem('CERTIFICATE', build(() => {}))
    const [report] = inspectPem(pem, new Date('2026-01-01T00:00:00Z'))
    assert.equal(report.kind, 'certificate')
    await writeFile(join(dir, 'base.crt'), pem)
    assert.deepEqual(await goParse(join(dir, 'base.crt')), [{label: 'CERTIFICATE', ok: true}])
  })

  it('Go rejects every case too', async () => {
    await writeFile(join(dir, 'all.crt'), CASES.map((c) => toPem('CERTIFICATE', c.der)).join(''))
    const verdicts = await goParse(join(dir, 'all.crt'))
    assert.equal(verdicts.length, CASES.length)
    const accepted = CASES.filter((_, i) => verdicts[i].ok).map((c) => c.title)
    assert.deepEqual(accepted, [], `Go accepted: ${accepted.join('; ')}`)
  })

  for (const [i, c] of CASES.entries()) {
    it(`${c.title}: one-line error in-process and from pki inspect`, async () => {
      const pem = toPem('CERTIFICATE', c.der)
      assert.throws(
        () => inspectPem(pem, new Date()),
        (error: unknown) => error instanceof AuthctlError && c.error.test(error.message) && !error.message.includes('\n'),
      )
      const file = join(dir, `case-${i}.crt`)
      await writeFile(file, pem)
      const r = await runCli(['pki', 'inspect', file])
      assert.equal(r.exitCode, 1)
      assert.equal(r.stdout, '')
      assert.match(r.stderr, /^error: invalid .+\n$/)
      assert.match(r.stderr, c.error)
    })
  }
})
