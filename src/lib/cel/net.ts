// Kubernetes' IP and CIDR libraries (1.30+): ip(), isIP, ip.isCanonical, family, isUnspecified, isLoopback,
// isLinkLocalMulticast, isLinkLocalUnicast, isGlobalUnicast; cidr(), isCIDR, containsIP, containsCIDR, ip(),
// masked, prefixLength; string() of both. Parsing follows Go's net/netip, with kube's extra rejections (zones,
// IPv4-mapped IPv6) and both error texts.
import {quote} from '../go/quote.js'
import {CelEvaluationError} from './errors.js'
import type {CelLibrary} from './library.js'
import {registerNamespace} from './library.js'

class IP {
  readonly celTypeName = 'net.IP'
  constructor(readonly bytes: Uint8Array) {}
  get is4(): boolean {
    return this.bytes.length === 4
  }
  toString(): string {
    return formatAddr(this.bytes)
  }
}

class CIDR {
  readonly celTypeName = 'net.CIDR'
  constructor(readonly addr: IP, readonly bits: number) {}
  toString(): string {
    return `${this.addr}/${this.bits}`
  }
  masked(): CIDR {
    return new CIDR(new IP(mask(this.addr.bytes, this.bits)), this.bits)
  }
  contains(ip: IP): boolean {
    return ip.is4 === this.addr.is4 && equalBytes(mask(ip.bytes, this.bits), mask(this.addr.bytes, this.bits))
  }
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i])
}

function mask(bytes: Uint8Array, bits: number): Uint8Array {
  return bytes.map((b, i) => (i * 8 >= bits ? 0 : i * 8 + 8 <= bits ? b : b & (0xff << (8 - (bits - i * 8)))))
}

// ---- Go's netip.ParseAddr, step for step so the first error found and its `(at "…")` are Go's ----
class AddrError extends Error {
  constructor(readonly input: string, readonly reason: string, readonly at = '') {
    super(`ParseAddr(${quote(input)}): ${reason}${at ? ` (at ${quote(at)})` : ''}`)
  }
}

function parseAddr(s: string): {bytes: Uint8Array; zone: string} {
  for (const c of s) {
    if (c === '.') return {bytes: parseIPv4Fields(s, 0, s.length), zone: ''}
    if (c === ':') return parseIPv6(s)
    if (c === '%') throw new AddrError(s, 'missing IPv6 address')
  }
  throw new AddrError(s, 'unable to parse IP')
}

function parseIPv4Fields(input: string, off: number, end: number): Uint8Array {
  const s = input.slice(off, end)
  const fields = new Uint8Array(4)
  let [val, pos, digits] = [0, 0, 0]
  for (let i = 0; i < s.length; i++) {
    const c = s[i]
    if (c >= '0' && c <= '9') {
      if (digits === 1 && val === 0) throw new AddrError(input, 'IPv4 field has octet with leading zero')
      val = val * 10 + Number(c)
      digits++
      if (val > 255) throw new AddrError(input, 'IPv4 field has value >255')
    } else if (c === '.') {
      if (i === 0 || i === s.length - 1 || s[i - 1] === '.') throw new AddrError(input, 'IPv4 field must have at least one digit', s.slice(i))
      if (pos === 3) throw new AddrError(input, 'IPv4 address too long')
      fields[pos++] = val
      val = 0
      digits = 0
    } else {
      throw new AddrError(input, 'unexpected character', s.slice(i))
    }
  }
  if (pos < 3) throw new AddrError(input, 'IPv4 address too short')
  fields[3] = val
  return fields
}

function parseIPv6(input: string): {bytes: Uint8Array; zone: string} {
  let s = input
  let zone = ''
  const percent = s.indexOf('%')
  if (percent >= 0) {
    ;[s, zone] = [s.slice(0, percent), s.slice(percent + 1)]
    if (zone === '') throw new AddrError(input, 'zone must be a non-empty string')
  }
  const ip = new Uint8Array(16)
  let ellipsis = -1
  if (s.startsWith('::')) {
    ellipsis = 0
    s = s.slice(2)
    if (s === '') return {bytes: ip, zone}
  }
  let i = 0
  while (i < 16) {
    let off = 0
    let acc = 0
    for (; off < s.length; off++) {
      const digit = parseInt(s[off], 16)
      if (Number.isNaN(digit)) break
      acc = acc * 16 + digit
      if (off > 3) throw new AddrError(input, 'each group must have 4 or less digits', s)
      if (acc > 0xffff) throw new AddrError(input, 'IPv6 field has value >=2^16', s)
    }
    if (off === 0) throw new AddrError(input, 'each colon-separated field must have at least one digit', s)
    if (off < s.length && s[off] === '.') {
      if (ellipsis < 0 && i !== 12) throw new AddrError(input, 'embedded IPv4 address must replace the final 2 fields of the address', s)
      if (i + 4 > 16) throw new AddrError(input, 'too many hex fields to fit an embedded IPv4 at the end of the address', s)
      const end = input.length - (zone ? zone.length + 1 : 0)
      ip.set(parseIPv4Fields(input, end - s.length, end), i)
      s = ''
      i += 4
      break
    }
    ip[i] = acc >> 8
    ip[i + 1] = acc & 0xff
    i += 2
    s = s.slice(off)
    if (s === '') break
    if (s[0] !== ':') throw new AddrError(input, 'unexpected character, want colon', s)
    if (s.length === 1) throw new AddrError(input, 'colon must be followed by more characters', s)
    s = s.slice(1)
    if (s[0] === ':') {
      if (ellipsis >= 0) throw new AddrError(input, 'multiple :: in address', s)
      ellipsis = i
      s = s.slice(1)
      if (s === '') break
    }
  }
  if (s !== '') throw new AddrError(input, 'trailing garbage after address', s)
  if (i < 16) {
    if (ellipsis < 0) throw new AddrError(input, 'address string too short')
    const n = 16 - i
    ip.copyWithin(ellipsis + n, ellipsis, i)
    ip.fill(0, ellipsis, ellipsis + n)
  } else if (ellipsis >= 0) {
    throw new AddrError(input, 'the :: must expand to at least one field of zeros', s)
  }
  return {bytes: ip, zone}
}

function isIPv4Mapped(bytes: Uint8Array): boolean {
  return bytes.length === 16 && bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff
}

/** Go's Addr.String: dotted IPv4; RFC 5952 IPv6 (longest run of two or more zero groups as ::). */
function formatAddr(bytes: Uint8Array): string {
  if (bytes.length === 4) return bytes.join('.')
  const words = Array.from({length: 8}, (_, i) => (bytes[2 * i] << 8) | bytes[2 * i + 1])
  let best = [-1, 0]
  for (let i = 0; i < 8; ) {
    let j = i
    while (j < 8 && words[j] === 0) j++
    if (j - i > best[1] && j - i >= 2) best = [i, j - i]
    i = j === i ? i + 1 : j
  }
  const hex = (ws: number[]) => ws.map((w) => w.toString(16)).join(':')
  if (best[0] < 0) return hex(words)
  return `${hex(words.slice(0, best[0]))}::${hex(words.slice(best[0] + best[1]))}`
}

/** kube's parseIPAddr: netip.ParseAddr, then no zone and no IPv4-mapped IPv6; the texts are kube's. */
function parseIP(raw: string): IP {
  let parsed: {bytes: Uint8Array; zone: string}
  try {
    parsed = parseAddr(raw)
  } catch (error) {
    throw new CelEvaluationError(`IP Address ${quote(raw)} parse error during conversion from string: ${(error as Error).message}`)
  }
  if (parsed.zone) throw new CelEvaluationError(`IP address ${quote(raw)} with zone value is not allowed`)
  if (isIPv4Mapped(parsed.bytes)) throw new CelEvaluationError(`IPv4-mapped IPv6 address ${quote(raw)} is not allowed`)
  return new IP(parsed.bytes)
}

/** kube's parseCIDR: netip.ParsePrefix (the address need not be masked), no IPv4-mapped IPv6. */
function parseCIDR(raw: string): CIDR {
  const fail = (why: string) => new CelEvaluationError(`network address parse error during conversion from string: netip.ParsePrefix(${quote(raw)}): ${why}`)
  const slash = raw.lastIndexOf('/')
  if (slash < 0) throw fail("no '/'")
  let parsed: {bytes: Uint8Array; zone: string}
  try {
    parsed = parseAddr(raw.slice(0, slash))
  } catch (error) {
    throw fail((error as Error).message)
  }
  if (parsed.zone) throw fail('IPv6 zones cannot be present in a prefix')
  const bitsText = raw.slice(slash + 1)
  // strconv.Atoi without the sign and leading zeros Go refuses here; beyond int64 it fails too.
  if (!/^(0|[1-9]\d*)$/.test(bitsText) || BigInt(bitsText) > 2n ** 63n - 1n) throw fail(`bad bits after slash: ${quote(bitsText)}`)
  const bits = Number(bitsText)
  if (bits > parsed.bytes.length * 8) throw fail('prefix length out of range')
  if (isIPv4Mapped(parsed.bytes)) throw new CelEvaluationError(`IPv4-mapped IPv6 address ${quote(raw)} is not allowed`)
  return new CIDR(new IP(parsed.bytes), bits)
}

function succeeds(parse: () => unknown): boolean {
  try {
    parse()
    return true
  } catch {
    return false
  }
}

const inPrefix = (ip: IP, prefix: string) => parseCIDR(prefix).contains(ip)

export const net: CelLibrary = (env) => {
  const method = (receiverType: string, name: string, returnType: string, handler: (...args: never[]) => unknown, params: string[] = []) =>
    env.registerFunction({handler: handler as (...args: unknown[]) => unknown, name, params: params.map((type, i) => ({name: `arg${i}`, type})), receiverType, returnType})
  env.registerType('net.IP', IP).registerType('net.CIDR', CIDR)
  registerNamespace(env, 'ip', 'IpNamespace')
  env
    .registerFunction('ip(string): net.IP', parseIP)
    .registerFunction('isIP(string): bool', (s: string) => succeeds(() => parseIP(s)))
    .registerFunction('IpNamespace.isCanonical(string): bool', (_: unknown, s: string) => parseIP(s).toString() === s)
    .registerFunction('string(net.IP): string', (ip: IP) => ip.toString())
    .registerOperator('net.IP == net.IP', (a: IP, b: IP) => equalBytes(a.bytes, b.bytes))
    .registerFunction('cidr(string): net.CIDR', parseCIDR)
    .registerFunction('isCIDR(string): bool', (s: string) => succeeds(() => parseCIDR(s)))
    .registerFunction('string(net.CIDR): string', (c: CIDR) => c.toString())
    .registerOperator('net.CIDR == net.CIDR', (a: CIDR, b: CIDR) => a.bits === b.bits && equalBytes(a.addr.bytes, b.addr.bytes))
  method('net.IP', 'family', 'int', (ip: IP) => (ip.is4 ? 4n : 6n))
  method('net.IP', 'isUnspecified', 'bool', (ip: IP) => ip.bytes.every((b) => b === 0))
  method('net.IP', 'isLoopback', 'bool', (ip: IP) => (ip.is4 ? ip.bytes[0] === 127 : formatAddr(ip.bytes) === '::1'))
  method('net.IP', 'isLinkLocalMulticast', 'bool', (ip: IP) => (ip.is4 ? inPrefix(ip, '224.0.0.0/24') : ip.bytes[0] === 0xff && (ip.bytes[1] & 0x0f) === 0x02))
  method('net.IP', 'isLinkLocalUnicast', 'bool', (ip: IP) => inPrefix(ip, ip.is4 ? '169.254.0.0/16' : 'fe80::/10'))
  method('net.IP', 'isGlobalUnicast', 'bool', (ip: IP) => {
    // Go's Addr.IsGlobalUnicast: not unspecified, loopback, multicast, link-local unicast or the IPv4 broadcast.
    if (ip.bytes.every((b) => b === 0) || (ip.is4 && ip.bytes.every((b) => b === 255))) return false
    const multicast = ip.is4 ? inPrefix(ip, '224.0.0.0/4') : ip.bytes[0] === 0xff
    const loopback = ip.is4 ? ip.bytes[0] === 127 : formatAddr(ip.bytes) === '::1'
    return !multicast && !loopback && !inPrefix(ip, ip.is4 ? '169.254.0.0/16' : 'fe80::/10')
  })
  method('net.CIDR', 'containsIP', 'bool', (c: CIDR, ip: IP) => c.contains(ip), ['net.IP'])
  method('net.CIDR', 'containsIP', 'bool', (c: CIDR, ip: string) => c.contains(parseIP(ip)), ['string'])
  const containsCIDR = (c: CIDR, other: CIDR) => c.bits <= other.bits && c.contains(other.addr)
  method('net.CIDR', 'containsCIDR', 'bool', containsCIDR, ['net.CIDR'])
  method('net.CIDR', 'containsCIDR', 'bool', (c: CIDR, other: string) => containsCIDR(c, parseCIDR(other)), ['string'])
  method('net.CIDR', 'ip', 'net.IP', (c: CIDR) => c.addr)
  method('net.CIDR', 'masked', 'net.CIDR', (c: CIDR) => c.masked())
  method('net.CIDR', 'prefixLength', 'int', (c: CIDR) => BigInt(c.bits))
  return env
}
