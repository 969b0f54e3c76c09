// Property tests of the DER reader on 10,000 mutated certificates, requests and keys (bit flips, truncation, length
// edits, insertions, deletions; fixed seeds). Every input must end in a correct parse or one clean AuthctlError —
// never another exception, never more than a second — and a mutated certificate or request must never carry a
// signature that still verifies: whatever parses and verifies is byte-for-byte the original.
import assert from 'node:assert/strict'
import {createPublicKey, type KeyObject} from 'node:crypto'
import {performance} from 'node:perf_hooks'

import fc from 'fast-check'

import {AuthctlError} from '../../../src/lib/output/errors.js'
import {parseCertificate, parseCsr} from '../../../src/lib/pki/certinfo.js'
import {readTlv} from '../../../src/lib/pki/der.js'
import {tlv} from '../../../src/lib/pki/encode.js'
import {describeCertificate, describeCsr, inspectPem} from '../../../src/lib/pki/inspect.js'
import {createCa, createCsr, signLeaf, verifyCsr} from '../../../src/lib/pki/issue.js'
import {encodePrivateKey, generatePrivateKey, type KeyAlgorithm, parsePrivateKey} from '../../../src/lib/pki/keys.js'
import {parseCa} from '../../../src/lib/pki/load.js'
import {parsePem, toPem} from '../../../src/lib/pki/pem.js'
import {renderReports} from '../../../src/lib/pki/render.js'
import {signatureValid} from '../../../src/lib/pki/signature.js'

const NOW = new Date('2026-06-01T00:00:00Z')
const ALGORITHMS: KeyAlgorithm[] = ['ed25519', 'ecdsa-p256', 'rsa-2048']

interface Sample {
  der: Buffer
  /** Checks a parse of (possibly mutated) `der`: returns whether its signature verifies. Throws what the reader throws. */
  check: (der: Buffer) => boolean
}

const single = (pem: string) => parsePem(pem)[0].der

/** Offsets of every length octet in a DER tree (the first one of long forms), for targeted length edits. */
function lengthOffsets(der: Buffer, start = 0, end = der.length, out: number[] = []): number[] {
  for (let at = start; at < end; ) {
    const tlv = readTlv(der, at, end)
    out.push(at + 1)
    if (tlv.tag & 0x20) lengthOffsets(der, tlv.start, tlv.end, out)
    at = tlv.end
  }
  return out
}

/**
 * The same tree with node `target` (pre-order) given a one-byte-longer, non-minimal length and every enclosing length
 * recomputed: a BER encoding of the same values, which a lenient reader would take for the original.
 */
function widen(der: Buffer, target: number): Buffer {
  let index = 0
  const walk = (start: number, end: number): Buffer[] => {
    const out: Buffer[] = []
    for (let at = start; at < end; ) {
      const node = readTlv(der, at, end)
      const me = index++
      const body = node.tag & 0x20 ? Buffer.concat(walk(node.start, node.end)) : der.subarray(node.start, node.end)
      out.push(me === target ? Buffer.concat([Buffer.from([node.tag]), wideLength(body.length), body]) : tlv(node.tag, body))
      at = node.end
    }
    return out
  }
  return Buffer.concat(walk(0, der.length))
}

/** A length in long form one byte longer than DER allows: `81 n` below 128, else a leading zero octet. */
function wideLength(n: number): Buffer {
  if (n < 0x80) return Buffer.from([0x81, n])
  const bytes: number[] = []
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff)
  return Buffer.from([0x80 | (bytes.length + 1), 0, ...bytes])
}

type Mutation =
  | {kind: 'flip'; at: number; bit: number}
  | {kind: 'truncate'; at: number}
  | {kind: 'set'; at: number; value: number}
  | {kind: 'length'; which: number; delta: number}
  | {kind: 'insert'; at: number; bytes: number[]}
  | {kind: 'delete'; at: number; count: number}
  | {kind: 'widen'; which: number}

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({at: fc.nat(), bit: fc.integer({max: 7, min: 0}), kind: fc.constant('flip' as const)}),
  fc.record({at: fc.nat(), kind: fc.constant('truncate' as const)}),
  fc.record({at: fc.nat(), kind: fc.constant('set' as const), value: fc.integer({max: 255, min: 0})}),
  fc.record({delta: fc.constantFrom(-2, -1, 1, 2, 0x80, 0x7f, 0x100), kind: fc.constant('length' as const), which: fc.nat()}),
  fc.record({at: fc.nat(), bytes: fc.array(fc.integer({max: 255, min: 0}), {maxLength: 4, minLength: 1}), kind: fc.constant('insert' as const)}),
  fc.record({at: fc.nat(), count: fc.integer({max: 8, min: 1}), kind: fc.constant('delete' as const)}),
  fc.record({kind: fc.constant('widen' as const), which: fc.nat()}),
)

function mutate(original: Buffer, lengths: number[], m: Mutation): Buffer {
  const der = Buffer.from(original)
  const at = (n: number) => n % der.length
  switch (m.kind) {
    case 'flip':
      der[at(m.at)] ^= 1 << m.bit
      return der
    case 'truncate':
      return der.subarray(0, at(m.at))
    case 'set':
      der[at(m.at)] = m.value
      return der
    case 'length': {
      const offset = lengths[m.which % lengths.length]
      der[offset] = (der[offset] + m.delta) & 0xff
      return der
    }
    case 'insert':
      return Buffer.concat([der.subarray(0, at(m.at)), Buffer.from(m.bytes), der.subarray(at(m.at))])
    case 'delete':
      return Buffer.concat([der.subarray(0, at(m.at)), der.subarray(at(m.at) + m.count)])
    case 'widen':
      // Only trees that still parse can be re-encoded; an earlier mutation may have broken this one.
      try {
        return widen(der, m.which % lengths.length)
      } catch {
        return der
      }
  }
}

interface Tally {
  rejected: number
  parsed: number
  parsedBadSignature: number
}

function fuzz(samples: Sample[], runs: number, seed: number): Tally {
  const tally: Tally = {parsed: 0, parsedBadSignature: 0, rejected: 0}
  const lengths = samples.map((s) => lengthOffsets(s.der))
  fc.assert(
    fc.property(fc.nat(), fc.array(mutation, {maxLength: 3, minLength: 1}), (pick, mutations) => {
      const i = pick % samples.length
      const der = mutations.reduce((d, m) => (d.length === 0 ? d : mutate(d, lengths[i], m)), samples[i].der)
      const started = performance.now()
      try {
        const verified = samples[i].check(der)
        tally.parsed++
        if (!verified) tally.parsedBadSignature++
        // Strict DER has one encoding per value: a changed input that parses and verifies would be a forged signature.
        if (verified) assert.ok(der.equals(samples[i].der), 'a mutated input parsed and its signature verified')
      } catch (error) {
        if (!(error instanceof AuthctlError)) throw error
        assert.ok(!error.message.includes('\n') && error.message.length > 0, `not a one-line error: ${error.message}`)
        tally.rejected++
      }
      assert.ok(performance.now() - started < 1000, 'one input took more than a second')
    }),
    {numRuns: runs, seed},
  )
  return tally
}

describe('pki DER reader: property tests on mutated inputs', function () {
  this.timeout(300_000)
  const certs: Sample[] = []
  const csrs: Sample[] = []
  const keys: Sample[] = []

  before(async () => {
    for (const algorithm of ALGORITHMS) {
      const ca = await createCa({algorithm, cn: `${algorithm} CA`, now: NOW, orgs: ['fuzz']})
      const loaded = parseCa(ca)
      const caKey: KeyObject = createPublicKey(loaded.key)
      const leafKey = await generatePrivateKey(algorithm)
      const leaf = await signLeaf(loaded, {cn: 'alice', dnsNames: ['a.example'], ips: ['10.0.0.1', '::1'], now: NOW, orgs: ['dev', 'ops'], publicKey: createPublicKey(leafKey), usages: ['client', 'server']})
      const checkCert = (issuer: KeyObject) => (der: Buffer) => {
        const fields = parseCertificate(der)
        renderReports([describeCertificate(fields, NOW)])
        return signatureValid(fields.signed, issuer)
      }
      certs.push({check: checkCert(caKey), der: single(ca.certPem)}, {check: checkCert(caKey), der: single(leaf)})
      const csr = await createCsr(leafKey, {cn: 'bob', dnsNames: ['b.example'], ips: ['192.0.2.1'], orgs: ['team']})
      csrs.push({
        check: (der) => {
          const fields = parseCsr(der)
          renderReports([describeCsr(fields)])
          try {
            verifyCsr(fields)
            return true
          } catch (error) {
            if (error instanceof AuthctlError && error.code === 'BAD_CSR_SIGNATURE') return false
            throw error
          }
        },
        der: single(csr),
      })
      const spki = createPublicKey(leafKey).export({format: 'der', type: 'spki'})
      keys.push({
        check: (der) => {
          inspectPem(toPem('PUBLIC KEY', der), NOW)
          return false
        },
        der: spki,
      })
      for (const format of ['talos', 'pkcs8'] as const) {
        const [block] = parsePem(encodePrivateKey(leafKey, format))
        keys.push({
          check: (der) => {
            parsePrivateKey(toPem(block.label, der))
            return false
          },
          der: block.der,
        })
      }
    }
    // The unmutated samples parse and verify.
    for (const s of [...certs, ...csrs]) assert.equal(s.check(s.der), true)
  })

  it('5,000 mutated certificates: a clean error or a parse, and no mutated signature verifies', () => {
    const tally = fuzz(certs, 5000, 0x5eed1)
    assert.ok(tally.rejected > 2500, JSON.stringify(tally))
    assert.ok(tally.parsedBadSignature > 0, `the signature check was never reached: ${JSON.stringify(tally)}`)
  })

  it('2,500 mutated certificate requests: a clean error or a parse, and no mutated signature verifies', () => {
    const tally = fuzz(csrs, 2500, 0x5eed2)
    assert.ok(tally.rejected > 1250, JSON.stringify(tally))
    assert.ok(tally.parsedBadSignature > 0, JSON.stringify(tally))
  })

  it('2,500 mutated keys (PKCS#8, SEC1, PKCS#1 private keys; SubjectPublicKeyInfo): a clean error or a key', () => {
    const tally = fuzz(keys, 2500, 0x5eed3)
    assert.ok(tally.rejected > 1250, JSON.stringify(tally))
  })
})
