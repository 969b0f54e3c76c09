import assert from 'node:assert/strict'

import {parsePrivateKey} from '../../../src/lib/pki/keys.js'
import {checkContextEncoding, checkCredentials, decodeBase64, parseTalosconfig} from '../../../src/lib/talosconfig/index.js'
import {defaultVector, noRolesVector, VECTOR_NOW} from './vectors.js'

const vector = (text: string) => [...parseTalosconfig(text).contexts.values()][0]
const pem = (b64: string) => decodeBase64(b64, 'x')
const admin = vector(defaultVector)
const noRoles = vector(noRolesVector)

describe('talosconfig credentials', () => {
  it("decodes base64 strictly like Go's StdEncoding (padding required, CR/LF ignored)", () => {
    assert.equal(decodeBase64('aGVsbG8=', 'x').toString(), 'hello')
    assert.equal(decodeBase64('aGVs\r\nbG8=', 'x').toString(), 'hello')
    for (const bad of ['aGVsbG8', 'aGVs bG8=', 'aGVsbG8_', 'not base64!']) assert.throws(() => decodeBase64(bad, 'ca'), /ca is not valid base64/)
  })

  it('reads Talos ED25519 PRIVATE KEY blocks (PKCS#8 under a non-standard label)', () => {
    assert.equal(parsePrivateKey(pem(admin.key)).key.asymmetricKeyType, 'ed25519')
  })

  it('accepts a matching pair and warns about an EKU other than exactly clientAuth', () => {
    const warnings = checkCredentials({ca: pem(admin.ca), crt: pem(admin.crt), key: pem(admin.key)}, VECTOR_NOW)
    assert.deepEqual(warnings, ["certificate's extended key usage is not exactly clientAuth; Talos 1.12+ rejects it"])
  })

  it('warns about a certificate not issued by the CA and an expired one', () => {
    const warnings = checkCredentials({ca: pem(noRoles.crt), crt: pem(admin.crt), key: pem(admin.key)}, new Date('2040-01-01T00:00:00Z'))
    assert.ok(warnings.some((w) => /^certificate is not signed by the CA \(x509: certificate signed by unknown authority.*: issued by "[^"]+"( \(AKID [0-9A-F:]+…\))?, not by "[^"]+" \((SKID|SHA-256) [0-9A-F:]+…\)\)$/.test(w)), warnings.join('\n'))
    assert.ok(warnings.some((w) => w.startsWith('certificate expired on 2031-07-03')))
  })

  it('rejects a key that does not match the certificate, a lone crt or key, and non-PEM input', () => {
    assert.throws(() => checkCredentials({crt: pem(admin.crt), key: pem(noRoles.key)}, VECTOR_NOW), /key does not match the certificate/)
    assert.throws(() => checkCredentials({crt: pem(admin.crt)}, VECTOR_NOW), /if either the 'crt' or 'key' flag is specified, both are required/)
    assert.throws(() => checkCredentials({ca: Buffer.from('hello')}, VECTOR_NOW), /invalid CA: no PEM block found/)
    assert.throws(() => checkCredentials({crt: pem(admin.crt), key: Buffer.from('nope')}, VECTOR_NOW), /invalid key: no PEM block found/)
  })

  it('checks an incoming context: base64 of ca/crt/key and the PEMs inside, naming the context', () => {
    assert.equal(checkContextEncoding('a', admin, VECTOR_NOW).length, 1)
    assert.throws(() => checkContextEncoding('a', {...admin, ca: 'not base64!'}, VECTOR_NOW), /context "a": ca is not valid base64/)
    assert.throws(() => checkContextEncoding('a', {...admin, key: noRoles.key}, VECTOR_NOW), /context "a": key does not match/)
    assert.throws(() => checkContextEncoding('a', {...admin, key: ''}, VECTOR_NOW), /context "a": crt and key must be set together/)
  })
})
