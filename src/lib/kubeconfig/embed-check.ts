// What --embed-certs refuses before anything is written: kubectl embeds any bytes, and a truncated PEM or a key
// that does not belong to the certificate then breaks every later call with a TLS error far from its cause.
// Parsing goes through the PKI library's strict PEM, DER and key readers.
import {X509Certificate} from 'node:crypto'

import {AuthctlError} from '../output/errors.js'
import {parseCertificate} from '../pki/certinfo.js'
import {parsePrivateKey} from '../pki/keys.js'
import {parsePem} from '../pki/pem.js'

export interface EmbeddedFile {
  /** The flag's name, as kubectl calls the field: client-certificate, client-key, certificate-authority. */
  field: string
  /** Where it came from, for messages (a path, or "the existing entry"). */
  source: string
  data: Buffer
}

const name = (f: EmbeddedFile) => `${f.field} ${f.source === 'the existing entry' ? '(already embedded)' : JSON.stringify(f.source)}`

/** Every block must be a certificate that parses; returns them (the first is the leaf for a client chain). */
export function checkCertificates(file: EmbeddedFile): X509Certificate[] {
  const blocks = parsePem(file.data, name(file))
  const other = blocks.find((b) => b.label !== 'CERTIFICATE')
  if (other) throw new AuthctlError(`invalid ${name(file)}: expected only CERTIFICATE blocks, found "${other.label}"`, {code: 'BAD_PEM'})
  return blocks.map((b) => {
    parseCertificate(b.der, name(file))
    return new X509Certificate(b.der)
  })
}

/** The client certificate and key parse, and the key is the certificate's (when both are known). */
export function checkClientCredentials(cert: EmbeddedFile | undefined, key: EmbeddedFile | undefined): void {
  const leaf = cert ? checkCertificates(cert)[0] : undefined
  if (!key) return
  let parsed: ReturnType<typeof parsePrivateKey>
  try {
    parsed = parsePrivateKey(key.data, {what: name(key)})
  } catch (error) {
    if ((error as AuthctlError).code === 'KEY_ENCRYPTED') {
      throw new AuthctlError(`${name(key)} is encrypted, which kubectl cannot use`, {code: 'KEY_ENCRYPTED', hint: 'decrypt it first: openssl pkey -in KEY -out PLAIN.key'})
    }
    throw error
  }
  if (leaf && cert && !leaf.checkPrivateKey(parsed.key)) {
    throw new AuthctlError(`${name(key)} does not match ${name(cert)} (${leaf.subject.replaceAll('\n', ', ')})`, {
      code: 'KEY_MISMATCH',
      hint: 'pass the key the certificate was issued for',
    })
  }
}
