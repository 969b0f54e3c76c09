// Kubernetes' IP and CIDR libraries (1.30+): ip(), isIP, ip.isCanonical, family, isUnspecified, isLoopback,
// isLinkLocalMulticast, isLinkLocalUnicast, isGlobalUnicast; cidr(), isCIDR, containsIP, containsCIDR, ip(),
// masked, prefixLength; string() of both. Parsing follows Go's net/netip, with kube's extra rejections (zones,
// IPv4-mapped IPv6) and both error texts.
import {CelEvaluationError} from './errors.js'
import type {CelLibrary} from './library.js'
import {registerNamespace} from './library.js'

class AddrError extends Error {}

export class IP {
  readonly celTypeName = 'net.IP'
  constructor(readonly bytes: Uint8Array) {}
  get is4(): boolean {
    return this.bytes.length === 4
  }
  toString(): string {
    return formatAddr(this.bytes)
  }
}

export class CIDR {
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

// ---- Go's netip.ParseAddr ----
function parseAddr(s: string): {bytes: Uint8Array; zone: string} {
  for (const c of s) {
    if (c === '.') return {bytes: parseIPv4(s), zone: ''}
    if (c === ':') return parseIPv6(s)
    if (c === '%') throw new AddrError('missing IPv6 address')
  }
  throw new AddrError('unable to parse IP')
}

function parseIPv4(s: string): Uint8Array {
  const fields = s.split('.')
  if (fields.length < 4) throw new AddrError('IPv4 address too short')
  if (fields.length > 4) throw new AddrError('IPv4 address too long')
  return Uint8Array.from(fields, (f) => {
    if (f === '') throw new AddrError('IPv4 field must have at least one digit')
    if (!/^\d+$/.test(f)) throw new AddrError(`unexpected character`)
    if (f.length > 1 && f.startsWith('0')) throw new AddrError('IPv4 field has octet with leading zero')
    if (Number(f) > 255) throw new AddrError('IPv4 field has value >255')
    return Number(f)
  })
}

function parseIPv6(input: string): {bytes: Uint8Array; zone: string} {
  const percent = input.indexOf('%')
  const zone = percent < 0 ? '' : input.slice(percent + 1)
  if (percent >= 0 && zone === '') throw new AddrError('zone must be a non-empty string')
  let s = percent < 0 ? input : input.slice(0, percent)
  let tail: Uint8Array = new Uint8Array()
  const lastColon = s.lastIndexOf(':')
  if (s.slice(lastColon + 1).includes('.')) {
    tail = parseIPv4(s.slice(lastColon + 1))
    s = `${s.slice(0, lastColon + 1)}0:0`
  }
  const halves = s.split('::')
  if (halves.length > 2) throw new AddrError('multiple :: in address')
  const groups = (part: string) => (part === '' ? [] : part.split(':'))
  const head = groups(halves[0])
  const rest = halves.length === 2 ? groups(halves[1]) : []
  for (const g of [...head, ...rest]) if (!/^[0-9a-fA-F]{1,4}$/.test(g)) throw new AddrError(g.length > 4 ? 'IPv6 field has value >=2^16' : 'each colon-separated field must have at least one digit')
  const missing = 8 - head.length - rest.length
  if (halves.length === 1 && missing > 0) throw new AddrError('address string too short')
  if (missing < (halves.length === 2 ? 1 : 0)) throw new AddrError(halves.length === 2 ? 'the :: must expand to at least one field of zeros' : 'trailing garbage after address')
  const words = [...head, ...Array(halves.length === 2 ? missing : 0).fill('0'), ...rest].map((g) => parseInt(g, 16))
  const bytes = new Uint8Array(16)
  words.forEach((w, i) => ((bytes[2 * i] = w >> 8), (bytes[2 * i + 1] = w & 0xff)))
  if (tail.length) bytes.set(tail, 12)
  return {bytes, zone}
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

function quoteGo(s: string): string {
  return JSON.stringify(s)
}

/** kube's parseIPAddr: netip.ParseAddr, then no zone and no IPv4-mapped IPv6; the texts are kube's. */
function parseIP(raw: string): IP {
  let parsed: {bytes: Uint8Array; zone: string}
  try {
    parsed = parseAddr(raw)
  } catch (error) {
    throw new CelEvaluationError(`IP Address ${quoteGo(raw)} parse error during conversion from string: ParseAddr(${quoteGo(raw)}): ${(error as Error).message}`)
  }
  if (parsed.zone) throw new CelEvaluationError(`IP address ${quoteGo(raw)} with zone value is not allowed`)
  if (isIPv4Mapped(parsed.bytes)) throw new CelEvaluationError(`IPv4-mapped IPv6 address ${quoteGo(raw)} is not allowed`)
  return new IP(parsed.bytes)
}

/** kube's parseCIDR: netip.ParsePrefix (the address need not be masked), no IPv4-mapped IPv6. */
function parseCIDR(raw: string): CIDR {
  const fail = (why: string) => new CelEvaluationError(`network address parse error during conversion from string: netip.ParsePrefix(${quoteGo(raw)}): ${why}`)
  const slash = raw.lastIndexOf('/')
  if (slash < 0) throw fail("no '/'")
  let parsed: {bytes: Uint8Array; zone: string}
  try {
    parsed = parseAddr(raw.slice(0, slash))
  } catch (error) {
    throw fail(`ParseAddr(${quoteGo(raw.slice(0, slash))}): ${(error as Error).message}`)
  }
  if (parsed.zone) throw fail('IPv6 zones cannot be present in a prefix')
  const bitsText = raw.slice(slash + 1)
  if (!/^(0|[1-9]\d*)$/.test(bitsText)) throw fail(`bad bits after slash: ${quoteGo(bitsText)}`)
  const bits = Number(bitsText)
  if (bits > parsed.bytes.length * 8) throw fail('prefix length out of range')
  if (isIPv4Mapped(parsed.bytes)) throw new CelEvaluationError(`IPv4-mapped IPv6 address ${quoteGo(raw)} is not allowed`)
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
