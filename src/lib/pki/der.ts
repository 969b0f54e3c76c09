// A minimal DER reader: enough of X.509 and PKCS#10 to describe, verify and sign under certificates and requests
// without loading @peculiar/x509 (~160 ms of start-up).

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

export function readTlv(buf: Buffer, offset = 0, limit = buf.length): Tlv {
  if (offset + 2 > limit) throw new DerError('truncated DER')
  const tag = buf[offset]
  if ((tag & 0x1f) === 0x1f) throw new DerError('unsupported DER tag')
  let len = buf[offset + 1]
  let start = offset + 2
  if (len & 0x80) {
    const n = len & 0x7f
    if (n === 0 || n > 4 || start + n > limit) throw new DerError('bad DER length')
    len = 0
    for (let i = 0; i < n; i++) len = len * 256 + buf[start + i]
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
  const out: Tlv[] = []
  for (let at = tlv.start; at < tlv.end; ) {
    const child = readTlv(tlv.buf, at, tlv.end)
    out.push(child)
    at = child.end
  }
  return out
}

export function content(tlv: Tlv): Buffer {
  return tlv.buf.subarray(tlv.start, tlv.end)
}

/** The whole encoding (header + content). */
export function encoded(tlv: Tlv): Buffer {
  return tlv.buf.subarray(tlv.offset, tlv.end)
}

export function decodeOid(tlv: Tlv): string {
  const bytes = content(tlv)
  if (bytes.length === 0) throw new DerError('empty OID')
  const parts: number[] = []
  let value = 0
  for (const [i, b] of bytes.entries()) {
    value = value * 128 + (b & 0x7f)
    if (!(b & 0x80)) {
      if (parts.length === 0) {
        const first = value < 80 ? Math.floor(value / 40) : 2
        parts.push(first, value - first * 40)
      } else parts.push(value)
      value = 0
    } else if (i === bytes.length - 1) throw new DerError('bad OID')
  }
  return parts.join('.')
}

export function decodeString(tlv: Tlv): string {
  const bytes = content(tlv)
  switch (tlv.tag) {
    case 0x1e: {
      // BMPString: UCS-2 big-endian
      const swapped = Buffer.from(bytes)
      swapped.swap16()
      return swapped.toString('utf16le')
    }
    case 0x14: // T61String: treated as Latin-1, as most decoders do
      return bytes.toString('latin1')
    default:
      return bytes.toString('utf8')
  }
}

export function decodeTime(tlv: Tlv): Date {
  const text = content(tlv).toString('ascii')
  const m =
    tlv.tag === 0x17
      ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text)
      : /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text)
  if (!m) throw new DerError(`bad time ${JSON.stringify(text)}`)
  let year = Number(m[1])
  if (tlv.tag === 0x17) year += year < 50 ? 2000 : 1900
  return new Date(Date.UTC(year, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])))
}

export function decodeBoolean(tlv: Tlv): boolean {
  return content(tlv)[0] !== 0
}

export function decodeSmallInt(tlv: Tlv): number {
  let value = 0
  for (const b of content(tlv)) value = value * 256 + b
  return value
}
