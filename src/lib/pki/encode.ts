// A minimal DER writer for the certificates and requests authctl issues. With node:crypto's sign() this replaces
// @peculiar/x509 on the issuing path, which cost ~160 ms of start-up on every `pki issue`.
import {isIP} from 'node:net'

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n])
  const bytes: number[] = []
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff)
  return Buffer.from([0x80 | bytes.length, ...bytes])
}

export function tlv(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content)
  return Buffer.concat([Buffer.from([tag]), length(body.length), body])
}

export const seq = (...items: Buffer[]) => tlv(0x30, ...items)
export const set = (...items: Buffer[]) => tlv(0x31, ...items)
export const octets = (bytes: Buffer) => tlv(0x04, bytes)
export const bool = (value: boolean) => tlv(0x01, Buffer.from([value ? 0xff : 0]))
export const nul = () => Buffer.from([0x05, 0x00])
/** Context-specific tag `n`, constructed (explicit/structured) or primitive (implicit string). */
export const ctx = (n: number, content: Buffer, constructed = true) => tlv((constructed ? 0xa0 : 0x80) | n, content)

/** A non-negative INTEGER from big-endian bytes (a leading 0 added when the high bit is set). */
export function uint(bytes: Buffer | number): Buffer {
  let b = typeof bytes === 'number' ? Buffer.from([bytes]) : bytes
  let i = 0
  while (i < b.length - 1 && b[i] === 0 && !(b[i + 1] & 0x80)) i++
  b = b.subarray(i)
  return tlv(0x02, b[0] & 0x80 ? Buffer.concat([Buffer.from([0]), b]) : b)
}

export function oid(dotted: string): Buffer {
  const parts = dotted.split('.').map(Number)
  const out: number[] = []
  const push = (v: number) => {
    const chunk = [v & 0x7f]
    for (v = Math.floor(v / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift(0x80 | (v & 0x7f))
    out.push(...chunk)
  }
  push(parts[0] * 40 + parts[1])
  for (const p of parts.slice(2)) push(p)
  return tlv(0x06, Buffer.from(out))
}

export function bitString(bytes: Buffer, unusedBits = 0): Buffer {
  return tlv(0x03, Buffer.from([unusedBits]), bytes)
}

/** PrintableString when the value allows it (as Go does), UTF8String otherwise. */
export function directoryString(value: string): Buffer {
  return tlv(/^[A-Za-z0-9 '()+,\-./:=?]*$/.test(value) ? 0x13 : 0x0c, Buffer.from(value, 'utf8'))
}

/** UTCTime through 2049, GeneralizedTime after (RFC 5280 §4.1.2.5). */
export function time(date: Date): Buffer {
  const iso = date.toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z'
  const year = date.getUTCFullYear()
  return year >= 1950 && year < 2050 ? tlv(0x17, Buffer.from(iso.slice(2), 'ascii')) : tlv(0x18, Buffer.from(iso, 'ascii'))
}

const NAME_OIDS = {CN: '2.5.4.3', O: '2.5.4.10'} as const

/** Subject in Go's pkix.Name order (O before CN), one RDN per value as openssl -subj writes it. */
export function name(cn: string | undefined, orgs: string[]): Buffer {
  const rdn = (type: keyof typeof NAME_OIDS, value: string) => set(seq(oid(NAME_OIDS[type]), directoryString(value)))
  return seq(...orgs.map((o) => rdn('O', o)), ...(cn ? [rdn('CN', cn)] : []))
}

export function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return seq(oid(id), ...(critical ? [bool(true)] : []), octets(value))
}

export const KEY_USAGE = {
  cRLSign: 6,
  dataEncipherment: 3,
  digitalSignature: 0,
  encipherOnly: 7,
  keyAgreement: 4,
  keyCertSign: 5,
  keyEncipherment: 2,
  nonRepudiation: 1,
} as const

/** KeyUsage BIT STRING with trailing zero bits dropped, as DER requires. */
export function keyUsage(bits: Array<keyof typeof KEY_USAGE>): Buffer {
  let byte = 0
  for (const b of bits) byte |= 0x80 >> KEY_USAGE[b]
  let unused = 0
  while (unused < 7 && !(byte & (1 << unused))) unused++
  return bitString(Buffer.from([byte]), unused)
}

export function ipBytes(ip: string): Buffer {
  if (isIP(ip) === 4) return Buffer.from(ip.split('.').map(Number))
  let text = ip
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text)
  if (v4) {
    const b = ipBytes(v4[1])
    text = text.slice(0, -v4[1].length) + `${b.readUInt16BE(0).toString(16)}:${b.readUInt16BE(2).toString(16)}`
  }
  const [head, tail] = text.split('::')
  const h = head ? head.split(':') : []
  const t = tail === undefined ? [] : tail ? tail.split(':') : []
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t]
  const out = Buffer.alloc(16)
  groups.forEach((g, i) => out.writeUInt16BE(Number.parseInt(g, 16), i * 2))
  return out
}

export function subjectAltNames(dnsNames: string[], ips: string[]): Buffer {
  return seq(...dnsNames.map((d) => ctx(2, Buffer.from(d, 'ascii'), false)), ...ips.map((ip) => ctx(7, ipBytes(ip), false)))
}
