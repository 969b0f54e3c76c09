import assert from 'node:assert/strict'
import {createPublicKey, generateKeyPairSync} from 'node:crypto'

import {AuthctlError} from '../../../src/lib/output/errors.js'
import {readWhole} from '../../../src/lib/pki/der.js'
import {encodePrivateKey, generatePrivateKey, keyAlgorithm, parsePrivateKey, spkiSha256} from '../../../src/lib/pki/keys.js'
import {parsePem, toPem} from '../../../src/lib/pki/pem.js'
import {spkiAlgorithm} from '../../../src/lib/pki/spki.js'

function rejects(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (error: unknown) => error instanceof AuthctlError && pattern.test(error.message))
}

describe('pki pem', () => {
  const der = generateKeyPairSync('ed25519').privateKey.export({format: 'der', type: 'pkcs8'})

  it('reads blocks in order with their labels', () => {
    const blocks = parsePem(toPem('PRIVATE KEY', der) + toPem('PRIVATE KEY', der))
    assert.deepEqual(blocks.map((b) => b.label), ['PRIVATE KEY', 'PRIVATE KEY'])
    assert.deepEqual(blocks[0].der, der)
  })

  it('rejects a PEM cut off before its END line', () => {
    const pem = toPem('CERTIFICATE', der)
    rejects(() => parsePem(pem.slice(0, pem.length - 30)), /truncated PEM/)
  })

  it('rejects a PEM whose base64 body was truncated mid-way', () => {
    const lines = toPem('PRIVATE KEY', der).split('\n')
    lines[1] = lines[1].slice(0, 20)
    rejects(() => parsePem(lines.join('\n')), /not valid (base64|DER)/)
  })

  it('says so when given DER instead of PEM', () => {
    rejects(() => parsePem(der), /it is DER \(binary\), not PEM/)
  })

  it('rejects empty input and text without a PEM block', () => {
    rejects(() => parsePem(''), /empty/)
    rejects(() => parsePem('hello'), /no PEM block/)
  })
})

describe('pki keys', () => {
  it('names a public key from its SubjectPublicKeyInfo exactly as keyAlgorithm names the key (else by its OID)', () => {
    const kinds: Array<[string, object, string]> = [
      ['ed25519', {}, 'ed25519'],
      ['ec', {namedCurve: 'prime256v1'}, 'ecdsa-p256'],
      ['ec', {namedCurve: 'secp384r1'}, 'ecdsa-p384'],
      ['rsa', {modulusLength: 2048}, 'rsa-2048'],
      ['rsa', {modulusLength: 3072}, 'rsa-3072'],
      ['ec', {namedCurve: 'secp521r1'}, '1.2.840.10045.2.1'],
      ['rsa', {modulusLength: 1024}, '1.2.840.113549.1.1.1'],
      ['rsa', {modulusLength: 2047}, '1.2.840.113549.1.1.1'],
      ['rsa-pss', {modulusLength: 2048}, '1.2.840.113549.1.1.10'],
      ['ed448', {}, '1.3.101.113'],
    ]
    for (const [type, options, want] of kinds) {
      const der = generateKeyPairSync(type as 'ec', options as {namedCurve: string}).publicKey.export({format: 'der', type: 'spki'})
      let fromKey: string
      try {
        fromKey = keyAlgorithm(createPublicKey({format: 'der', key: der, type: 'spki'}))
      } catch {
        fromKey = want
      }
      assert.equal(spkiAlgorithm(readWhole(der)), want, `${type} ${JSON.stringify(options)}`)
      assert.equal(fromKey, want)
    }
  })

  it('reads PKCS#8, PKCS#1, SEC1 and the Talos ED25519 PRIVATE KEY label', () => {
    const rsa = generateKeyPairSync('rsa', {modulusLength: 2048}).privateKey
    const ec = generateKeyPairSync('ec', {namedCurve: 'prime256v1'}).privateKey
    const ed = generateKeyPairSync('ed25519').privateKey
    assert.equal(parsePrivateKey(rsa.export({format: 'pem', type: 'pkcs1'})).encoding, 'pkcs1')
    assert.equal(parsePrivateKey(rsa.export({format: 'pem', type: 'pkcs8'})).algorithm, 'rsa-2048')
    assert.equal(parsePrivateKey(ec.export({format: 'pem', type: 'sec1'})).algorithm, 'ecdsa-p256')
    const talos = toPem('ED25519 PRIVATE KEY', ed.export({format: 'der', type: 'pkcs8'}))
    const parsed = parsePrivateKey(talos)
    assert.equal(parsed.encoding, 'talos-ed25519')
    assert.equal(spkiSha256(parsed.key), spkiSha256(ed))
  })

  it('reads encrypted PKCS#8 with the passphrase and names the problem without it', () => {
    const key = generateKeyPairSync('ec', {namedCurve: 'secp384r1'}).privateKey
    const pem = encodePrivateKey(key, 'talos', 's3cret')
    assert.match(pem, /BEGIN ENCRYPTED PRIVATE KEY/)
    assert.equal(parsePrivateKey(pem, {passphrase: 's3cret'}).algorithm, 'ecdsa-p384')
    rejects(() => parsePrivateKey(pem), /is encrypted/)
    rejects(() => parsePrivateKey(pem, {passphrase: 'wrong'}), /wrong passphrase|not a readable key/)
  })

  it('reads legacy encrypted PEM (Proc-Type headers)', () => {
    const key = generateKeyPairSync('rsa', {modulusLength: 2048}).privateKey
    const pem = key.export({cipher: 'aes-128-cbc', format: 'pem', passphrase: 'pw', type: 'pkcs1'}).toString()
    assert.match(pem, /Proc-Type: 4,ENCRYPTED/)
    assert.equal(parsePrivateKey(pem, {passphrase: 'pw'}).algorithm, 'rsa-2048')
  })

  it('writes PRIVATE KEY by default, or the labels Talos writes with talos', async () => {
    assert.match(encodePrivateKey(await generatePrivateKey('ed25519'), 'talos'), /^-----BEGIN ED25519 PRIVATE KEY-----\n/)
    assert.match(encodePrivateKey(await generatePrivateKey('ecdsa-p256'), 'talos'), /^-----BEGIN EC PRIVATE KEY-----\n/)
    assert.match(encodePrivateKey(await generatePrivateKey('rsa-2048'), 'talos'), /^-----BEGIN RSA PRIVATE KEY-----\n/)
    for (const algorithm of ['ed25519', 'ecdsa-p384', 'rsa-2048'] as const) {
      assert.match(encodePrivateKey(await generatePrivateKey(algorithm)), /^-----BEGIN PRIVATE KEY-----\n/)
    }
  })

  it('rejects keys of unsupported algorithms', () => {
    const key = generateKeyPairSync('ec', {namedCurve: 'secp256k1'}).privateKey
    rejects(() => parsePrivateKey(key.export({format: 'pem', type: 'pkcs8'})), /unsupported private key algorithm/)
  })

  it('formats the SPKI hash like talosctl: sha256:<hex>, no newline', async () => {
    assert.match(spkiSha256(await generatePrivateKey('ed25519')), /^sha256:[0-9a-f]{64}$/)
  })
})
