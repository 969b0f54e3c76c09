// A minimal, strict DER reader: enough of X.509 and PKCS#10 to describe, verify and sign under certificates and
// requests without loading @peculiar/x509 (~160 ms of start-up). Strict means DER, not BER: definite minimal lengths,
// BOOLEAN 0x00/0xFF, minimal INTEGERs with their sign, checked times and strings. Anything else is a DerError, which
// the callers turn into one-line AuthctlErrors; the reader never loops more than once per input byte.

export interface Tlv {
  /** The identifier octet (class, constructed bit and tag number in one byte; multi-byte tags are rejected). */
  tag: number
  /** Offset of the identifier octet. */
  offset: number
  /** Offset of the content. */
  start: number
  /** Offset just past the content. */
  end: number
  buf: Buffer
}

export class DerError extends Error {}

export const TAG = {
  BIT_STRING: 0x03,
  BOOLEAN: 0x01,
  GENERALIZED_TIME: 0x18,
  INTEGER: 0x02,
  NULL: 0x05,
  OCTET_STRING: 0x04,
  OID: 0x06,
  SEQUENCE: 0x30,
  SET: 0x31,
  UTC_TIME: 0x17,
} as const

export function readTlv(buf: Buffer, offset = 0, limit = buf.length): Tlv {
  if (offset + 2 > limit) throw new DerError('truncated DER')
  const tag = buf[offset]
  if ((tag & 0x1f) === 0x1f) throw new DerError('unsupported DER tag')
  let len = buf[offset + 1]
  let start = offset + 2
  if (len & 0x80) {
    const n = len & 0x7f
    if (n === 0) throw new DerError('indefinite length is not DER')
    if (n > 4) throw new DerError('DER length too large')
    if (start + n > limit) throw new DerError('truncated DER')
    if (buf[start] === 0) throw new DerError('non-minimal DER length')
    len = 0
    for (let i = 0; i < n; i++) len = len * 256 + buf[start + i]
    if (len < 0x80) throw new DerError('non-minimal DER length')
    start += n
  }
  const end = start + len
  if (end > limit) throw new DerError('truncated DER')
  return {buf, end, offset, start, tag}
}

/** Parses `buf` as exactly one TLV (trailing bytes are an error). */
export function readWhole(buf: Buffer): Tlv {
  const tlv = readTlv(buf, 0)
  if (tlv.end !== buf.length) throw new DerError('trailing data after DER structure')
  return tlv
}

export function children(tlv: Tlv): Tlv[] {
  if (!(tlv.tag & 0x20)) throw new DerError(`expected a constructed value, found tag 0x${hex(tlv.tag)}`)
  const out: Tlv[] = []
  for (let at = tlv.start; at < tlv.end; ) {
    const child = readTlv(tlv.buf, at, tlv.end)
    out.push(child)
    at = child.end
  }
  return out
}

function hex(tag: number): string {
  return tag.toString(16).padStart(2, '0')
}

/** `tlv`, checked to carry `tag`; `what` names the field in the error. */
export function expect(tlv: Tlv | undefined, tag: number, what: string): Tlv {
  if (!tlv) throw new DerError(`missing ${what}`)
  if (tlv.tag !== tag) throw new DerError(`malformed ${what} (tag 0x${hex(tlv.tag)}, want 0x${hex(tag)})`)
  return tlv
}

/** The children of a SEQUENCE, checked to number between `min` and `max`. */
export function sequence(tlv: Tlv | undefined, what: string, min = 0, max = Infinity): Tlv[] {
  const items = children(expect(tlv, TAG.SEQUENCE, what))
  if (items.length < min || items.length > max) throw new DerError(`malformed ${what}`)
  return items
}

export function content(tlv: Tlv): Buffer {
  return tlv.buf.subarray(tlv.start, tlv.end)
}

/** The whole encoding (header + content). */
export function encoded(tlv: Tlv): Buffer {
  return tlv.buf.subarray(tlv.offset, tlv.end)
}

export function decodeOid(tlv: Tlv): string {
  const bytes = content(expect(tlv, TAG.OID, 'object identifier'))
  if (bytes.length === 0) throw new DerError('empty OID')
  const parts: number[] = []
  let value = 0
  let first = true
  for (const [i, b] of bytes.entries()) {
    if (first && b === 0x80) throw new DerError('bad OID (non-minimal)')
    first = false
    value = value * 128 + (b & 0x7f)
    if (value > 0x7fffffff) throw new DerError('bad OID (component too large)')
    if (!(b & 0x80)) {
      if (parts.length === 0) {
        const head = value < 80 ? Math.floor(value / 40) : 2
        parts.push(head, value - head * 40)
      } else parts.push(value)
      value = 0
      first = true
    } else if (i === bytes.length - 1) throw new DerError('bad OID (truncated)')
  }
  return parts.join('.')
}

const STRING_TAGS = {BMP: 0x1e, IA5: 0x16, NUMERIC: 0x12, PRINTABLE: 0x13, T61: 0x14, UTF8: 0x0c} as const
const utf8 = new TextDecoder('utf-8', {fatal: true})

/** A directory string, validated for its type as Go's crypto/x509 does (invalid UTF-8 is an error, not U+FFFD). */
export function decodeString(tlv: Tlv): string {
  const bytes = content(tlv)
  switch (tlv.tag) {
    case STRING_TAGS.BMP: {
      // BMPString: UCS-2 big-endian
      if (bytes.length % 2 !== 0) throw new DerError('invalid BMPString')
      const swapped = Buffer.from(bytes)
      swapped.swap16()
      return swapped.toString('utf16le')
    }
    case STRING_TAGS.T61: // T61String: treated as Latin-1, as Go and most decoders do
      return bytes.toString('latin1')
    case STRING_TAGS.PRINTABLE:
      if (!/^[A-Za-z0-9 '()+,\-./:=?*&]*$/.test(bytes.toString('latin1'))) throw new DerError('invalid PrintableString')
      return bytes.toString('ascii')
    case STRING_TAGS.NUMERIC:
      if (!/^[0-9 ]*$/.test(bytes.toString('latin1'))) throw new DerError('invalid NumericString')
      return bytes.toString('ascii')
    case STRING_TAGS.IA5:
      return ia5(bytes)
    case STRING_TAGS.UTF8:
      try {
        return utf8.decode(bytes)
      } catch {
        throw new DerError('invalid UTF-8 string')
      }
    default:
      throw new DerError(`unsupported string type (tag 0x${hex(tlv.tag)})`)
  }
}

/** IA5String content (ASCII only), as in SAN dNSName, rfc822Name and URI. */
export function ia5(bytes: Buffer): string {
  if (bytes.some((b) => b > 0x7f)) throw new DerError('invalid IA5String')
  return bytes.toString('ascii')
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

/** UTCTime `YYMMDDHHMMSSZ` or GeneralizedTime `YYYYMMDDHHMMSSZ`, the forms RFC 5280 §4.1.2.5 allows. */
export function decodeTime(tlv: Tlv): Date {
  const utc = tlv.tag === TAG.UTC_TIME
  if (!utc && tlv.tag !== TAG.GENERALIZED_TIME) throw new DerError('unsupported time format')
  const kind = utc ? 'UTCTime' : 'GeneralizedTime'
  const text = content(tlv).toString('latin1')
  const m = (utc ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/ : /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/).exec(text)
  if (!m) throw new DerError(`malformed ${kind} ${JSON.stringify(text)}`)
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number)
  const fullYear = utc ? year + (year < 50 ? 2000 : 1900) : year
  const leap = fullYear % 4 === 0 && (fullYear % 100 !== 0 || fullYear % 400 === 0)
  const monthDays = month === 2 && !leap ? 28 : DAYS_IN_MONTH[month - 1]
  if (month < 1 || month > 12 || day < 1 || day > monthDays || hour > 23 || minute > 59 || second > 59) {
    throw new DerError(`malformed ${kind} ${JSON.stringify(text)} (out of range)`)
  }
  const date = new Date(0)
  date.setUTCFullYear(fullYear, month - 1, day)
  date.setUTCHours(hour, minute, second, 0)
  return date
}

export function decodeBoolean(tlv: Tlv): boolean {
  const bytes = content(expect(tlv, TAG.BOOLEAN, 'BOOLEAN'))
  if (bytes.length !== 1 || (bytes[0] !== 0x00 && bytes[0] !== 0xff)) throw new DerError('invalid BOOLEAN (DER allows only 0x00 and 0xFF)')
  return bytes[0] === 0xff
}

/** The two's-complement content of a DER INTEGER, checked to be non-empty and minimal. */
export function integerBytes(tlv: Tlv | undefined, what = 'INTEGER'): Buffer {
  const bytes = content(expect(tlv, TAG.INTEGER, what))
  if (bytes.length === 0) throw new DerError(`malformed ${what} (empty)`)
  if (bytes.length > 1 && ((bytes[0] === 0 && !(bytes[1] & 0x80)) || (bytes[0] === 0xff && bytes[1] & 0x80))) {
    throw new DerError(`malformed ${what} (non-minimal encoding)`)
  }
  return bytes
}

export function isNegative(integer: Buffer): boolean {
  return (integer[0] & 0x80) !== 0
}

/** A small non-negative INTEGER (versions, path lengths); negative or huge values are errors. */
export function decodeSmallInt(tlv: Tlv, what = 'INTEGER'): number {
  const bytes = integerBytes(tlv, what)
  if (isNegative(bytes)) throw new DerError(`${what} is negative`)
  if (bytes.length > 4) throw new DerError(`${what} is too large`)
  return bytes.reduce((value, b) => value * 256 + b, 0)
}

/** BIT STRING content: the unused-bit count must be 0–7, 0 for an empty string, and the unused bits zero. */
export function decodeBitString(tlv: Tlv, what = 'BIT STRING'): {bytes: Buffer; unusedBits: number} {
  const raw = content(expect(tlv, TAG.BIT_STRING, what))
  const unusedBits = raw[0]
  const bytes = raw.subarray(1)
  if (raw.length === 0 || unusedBits > 7 || (bytes.length === 0 && unusedBits !== 0) || (bytes.length > 0 && bytes.at(-1)! & ((1 << unusedBits) - 1))) {
    throw new DerError(`malformed ${what}`)
  }
  return {bytes, unusedBits}
}

/** The NULL or absent parameters an AlgorithmIdentifier may carry are not checked here; the OID is. */
export function algorithmOid(tlv: Tlv | undefined, what = 'algorithm identifier'): string {
  return decodeOid(sequence(tlv, what, 1, 2)[0])
}
