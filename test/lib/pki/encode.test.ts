import assert from 'node:assert/strict'

import {children, decodeOid, decodeTime, readWhole} from '../../../src/lib/pki/der.js'
import {ipBytes, keyUsage, oid, time, uint} from '../../../src/lib/pki/encode.js'

describe('pki DER writer', () => {
  it('encodes OIDs that the reader decodes back', () => {
    for (const id of ['1.3.101.112', '1.2.840.113549.1.9.14', '2.5.29.37.0', '1.3.6.1.5.5.7.3.2']) {
      assert.equal(decodeOid(readWhole(oid(id))), id)
    }
  })

  it('encodes INTEGERs minimally and positive', () => {
    assert.equal(uint(2).toString('hex'), '020102')
    assert.equal(uint(Buffer.from([0x80])).toString('hex'), '02020080')
    assert.equal(uint(Buffer.from([0, 0, 0x12])).toString('hex'), '020112')
  })

  it('drops trailing zero bits of KeyUsage, as DER requires (openssl/Go byte patterns)', () => {
    assert.equal(keyUsage(['digitalSignature']).toString('hex'), '03020780')
    assert.equal(keyUsage(['digitalSignature', 'keyCertSign']).toString('hex'), '03020284')
    assert.equal(keyUsage(['digitalSignature', 'keyEncipherment']).toString('hex'), '030205a0')
  })

  it('uses UTCTime through 2049 and GeneralizedTime after', () => {
    const a = new Date('2049-12-31T23:59:59Z')
    const b = new Date('2050-01-01T00:00:00Z')
    assert.equal(time(a)[0], 0x17)
    assert.equal(time(b)[0], 0x18)
    assert.equal(decodeTime(readWhole(time(a))).getTime(), a.getTime())
    assert.equal(decodeTime(readWhole(time(b))).getTime(), b.getTime())
  })

  it('encodes IPv4 and IPv6 addresses, compressed or with an embedded IPv4 tail', () => {
    assert.equal(ipBytes('10.0.0.1').toString('hex'), '0a000001')
    assert.equal(ipBytes('::1').toString('hex'), '00000000000000000000000000000001')
    assert.equal(ipBytes('2001:db8::8:1').toString('hex'), '20010db8000000000000000000080001')
    assert.equal(ipBytes('::ffff:10.0.0.1').toString('hex'), '00000000000000000000ffff0a000001')
    assert.equal(ipBytes('1:2:3:4:5:6:7:8').toString('hex'), '00010002000300040005000600070008')
  })

  it('nests lengths above 127 bytes in long form', () => {
    const long = readWhole(Buffer.concat([Buffer.from([0x04, 0x81, 200]), Buffer.alloc(200)]))
    assert.equal(long.end - long.start, 200)
    assert.equal(children(readWhole(Buffer.from('3003020101', 'hex'))).length, 1)
  })
})
