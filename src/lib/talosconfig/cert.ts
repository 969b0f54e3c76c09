// Reading the credentials a talosconfig carries: strict base64, PEM certificates and keys (Talos labels its
// Ed25519 keys `ED25519 PRIVATE KEY`, which OpenSSL cannot parse, so PKCS#8 bodies are relabelled), and the two
// certificate fields talosctl shows: the Organization values (roles) and NotAfter. Those are read from the DER
// directly because node's X509Certificate only offers the subject as escaped text.
import {createPrivateKey, type KeyObject, X509Certificate} from 'node:crypto'

import {AuthctlError} from '../output/errors.js'

const credentialError = (message: string) => new AuthctlError(message, {code: 'BAD_CREDENTIALS'})

/** Go's base64.StdEncoding.DecodeString: standard alphabet, padded; CR and LF are ignored. */
export function decodeBase64(value: string, what: string): Buffer {
  const compact = value.replace(/[\r\n]/g, '')
  if (compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) {
    throw credentialError(`${what} is not valid base64`)
  }
  return Buffer.from(compact, 'base64')
}

export interface PemBlock {
  label: string
  body: Buffer
  text: string
}

/** The PEM blocks in `data`, in order. */
export function pemBlocks(data: Buffer | string): PemBlock[] {
  const text = data.toString()
  const pattern = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\s\S]*?)-----END \1-----/g
  const blocks: PemBlock[] = []
  for (const match of text.matchAll(pattern)) {
    blocks.push({body: Buffer.from(match[2].replace(/\s+/g, ''), 'base64'), label: match[1], text: match[0] + '\n'})
  }
  return blocks
}

/** The first CERTIFICATE block, parsed. */
export function parseCertificatePem(data: Buffer | string, what: string): X509Certificate {
  const block = pemBlocks(data).find((b) => b.label === 'CERTIFICATE')
  if (!block) throw credentialError(`${what} is not a PEM certificate`)
  try {
    return new X509Certificate(block.body)
  } catch (error) {
    throw credentialError(`${what} is not a valid certificate: ${(error as Error).message}`)
  }
}

/** The first `* PRIVATE KEY` block; a PKCS#8 body under a Talos label is read as plain PKCS#8. */
export function parsePrivateKeyPem(data: Buffer | string, what: string): KeyObject {
  const block = pemBlocks(data).find((b) => b.label.endsWith('PRIVATE KEY'))
  if (!block) throw credentialError(`${what} is not a PEM private key`)
  const attempts = [block.text]
  if (!['PRIVATE KEY', 'RSA PRIVATE KEY', 'EC PRIVATE KEY'].includes(block.label)) {
    attempts.unshift(block.text.replaceAll(block.label, 'PRIVATE KEY'))
  }
  for (const text of attempts) {
    try {
      return createPrivateKey(text)
    } catch {
      // try the next form
    }
  }
  throw credentialError(`${what} is not a valid private key`)
}

// ---------------------------------------------------------------------------------------------------- DER

interface Tlv {
  tag: number
  start: number
  end: number
  next: number
}

function tlv(der: Buffer, offset: number): Tlv {
  const tag = der[offset]
  let length = der[offset + 1]
  let start = offset + 2
  if (length & 0x80) {
    const bytes = length & 0x7f
    length = 0
    for (let i = 0; i < bytes; i++) length = length * 256 + der[start + i]
    start += bytes
  }
  if (tag === undefined || start + length > der.length) throw credentialError('certificate DER is truncated')
  return {end: start + length, next: start + length, start, tag}
}

function children(der: Buffer, parent: Tlv): Tlv[] {
  const out: Tlv[] = []
  for (let offset = parent.start; offset < parent.end; ) {
    const child = tlv(der, offset)
    out.push(child)
    offset = child.next
  }
  return out
}

const ORGANIZATION_OID = Buffer.from([0x55, 0x04, 0x0a])

function decodeString(der: Buffer, node: Tlv): string {
  const bytes = der.subarray(node.start, node.end)
  if (node.tag === 0x1e) return bytes.swap16().toString('utf16le') // BMPString is big-endian UCS-2
  if (node.tag === 0x14) return bytes.toString('latin1') // T61String, as Go reads it
  return bytes.toString('utf8')
}

function parseTime(der: Buffer, node: Tlv): Date {
  const text = der.subarray(node.start, node.end).toString('ascii')
  // UTCTime YYMMDDHHMMSSZ (years 50-99 are 19xx) or GeneralizedTime YYYYMMDDHHMMSSZ.
  const full = node.tag === 0x17 ? (Number(text.slice(0, 2)) >= 50 ? '19' : '20') + text : text
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(full)
  if (!m) throw credentialError(`unsupported certificate time ${JSON.stringify(text)}`)
  return new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]))
}

export interface CertificateFields {
  /** Subject Organization values in order (Talos roles). */
  organizations: string[]
  notBefore: Date
  notAfter: Date
}

/** Organization and validity from a certificate's DER (TBSCertificate: version?, serial, alg, issuer, validity, subject). */
export function certificateFields(der: Buffer): CertificateFields {
  const cert = tlv(der, 0)
  const tbs = children(der, cert)[0]
  const fields = children(der, tbs)
  const rest = fields[0]?.tag === 0xa0 ? fields.slice(1) : fields
  const [validity, subject] = [rest[3], rest[4]]
  if (!validity || !subject) throw credentialError('certificate DER is malformed')
  const [notBefore, notAfter] = children(der, validity).map((t) => parseTime(der, t))
  const organizations: string[] = []
  for (const rdn of children(der, subject)) {
    for (const atv of children(der, rdn)) {
      const [oid, value] = children(der, atv)
      if (oid && value && der.subarray(oid.start, oid.end).equals(ORGANIZATION_OID)) organizations.push(decodeString(der, value))
    }
  }
  return {notAfter, notBefore, organizations}
}
