// Go's (*Certificate).VerifyHostname and its HostnameError texts: DNS and IP SANs only; the CN is never used.
import type {Cert} from './cert.js'
import {GENERAL_NAME} from './extensions.js'
import {parseIp} from './ip.js'

function validHostname(host: string, pattern: boolean): boolean {
  if (!pattern) host = host.replace(/\.$/, '')
  if (host === '' || host === '*') return false
  return host.split('.').every((part, i) => part !== '' && ((pattern && i === 0 && part === '*') || /^[A-Za-z0-9_][A-Za-z0-9_-]*$/.test(part)))
}

function matchHostname(pattern: string, host: string): boolean {
  const p = pattern.toLowerCase().split('.')
  const h = host.replace(/\.$/, '').toLowerCase().split('.')
  if (pattern === '' || h.join('.') === '' || p.length !== h.length) return false
  return p.every((part, i) => (i === 0 && part === '*') || part === h[i])
}

const v4InV6 = (ip: Buffer) => (ip.length === 16 && ip.subarray(0, 10).every((b) => b === 0) && ip[10] === 0xff && ip[11] === 0xff ? ip.subarray(12) : ip)

/** Why `leaf` is not valid for `host` (a DNS name, an IP address or a bracketed IPv6 address), in Go's words. */
export function hostnameProblem(leaf: Cert, host: string): string | undefined {
  const ipText = host.length >= 3 && host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host
  const ip = parseIp(ipText)
  const {sanDer, sanEntries, sans} = leaf.fields.extensions
  if (ip) {
    const ips = sanEntries.filter((e) => e.tag === GENERAL_NAME.ip && (e.value.length === 4 || e.value.length === 16))
    if (ips.some((e) => v4InV6(e.value).equals(v4InV6(ip)))) return undefined
  } else {
    const name = host.toLowerCase()
    const valid = validHostname(name, false)
    const matched = sans.dns.some((pattern) => (valid && validHostname(pattern, true) ? matchHostname(pattern, name)
      : pattern !== '' && pattern !== '.' && name !== '' && name !== '.' && pattern.toLowerCase() === name))
    if (matched) return undefined
  }
  const cn = leaf.fields.subject.commonName
  if (!sanDer && cn && matchHostname(cn, host)) return 'x509: certificate relies on legacy Common Name field, use SANs instead'
  let validFor: string
  if (ip) {
    if (sans.ip.length === 0) return `x509: cannot validate certificate for ${host} because it doesn't contain any IP SANs`
    validFor = sans.ip.join(', ')
  } else validFor = sans.dns.join(', ')
  if (validFor === '') return `x509: certificate is not valid for any names, but wanted to match ${host}`
  return `x509: certificate is valid for ${validFor}, not ${host}`
}
