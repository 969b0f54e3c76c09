// Reading the credentials a talosconfig carries: strict base64 around the PEMs, then the PKI library's PEM, DER and
// key readers (which also read Talos's `ED25519 PRIVATE KEY` label).
import {X509Certificate} from 'node:crypto'

import {isStrictBase64} from '../go/base64.js'
import {AuthctlError} from '../output/errors.js'
import {type CertFields, parseCertificate} from '../pki/certinfo.js'
import {parsePem} from '../pki/pem.js'

/** Go's base64.StdEncoding.DecodeString: standard alphabet, padded; CR and LF are ignored. */
export function decodeBase64(value: string, what: string): Buffer {
  const compact = value.replace(/[\r\n]/g, '')
  if (!isStrictBase64(compact)) {
    throw new AuthctlError(`${what} is not valid base64`, {code: 'BAD_CREDENTIALS'})
  }
  return Buffer.from(compact, 'base64')
}

/** The first CERTIFICATE block of a PEM input, as node's certificate and as parsed fields. */
export function readCertificate(data: Buffer | string, what: string): {cert: X509Certificate; fields: CertFields} {
  const block = parsePem(data, what).find((b) => b.label === 'CERTIFICATE')
  if (!block) throw new AuthctlError(`invalid ${what}: no CERTIFICATE block found`, {code: 'BAD_PEM'})
  return {cert: new X509Certificate(block.der), fields: parseCertificate(block.der, what)}
}
