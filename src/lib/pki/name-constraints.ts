// Name constraints as Go's crypto/x509 checks them for a CA on a path (RFC 5280 with Go's extensions and limits):
// every DNS, email, URI and IP SAN of the certificates below the CA, in SAN order, against its excluded then
// permitted subtrees, with Go's error texts.
import {quote} from '../go/quote.js'
import type {Cert} from './cert.js'
import {GENERAL_NAME} from './extensions.js'
import {formatIp} from './ip.js'

/** A chain rejection in Go's words. */
export class Rejection extends Error {}

// Go's CertificateInvalidError has no text for TooManyConstraints and prints this.
const tooManyConstraints = 'x509: unknown error'
const notAuthorizedForName = (detail: string) => `x509: a root or intermediate certificate is not authorized to sign for this name: ${detail}`

/** Go's domainToReverseLabels: undefined when the name cannot be parsed. */
function reverseLabels(domain: string): string[] | undefined {
  if (domain === '') return []
  const labels = domain.split('.').reverse()
  if (labels.some((l) => l === '' || [...l].some((c) => c.charCodeAt(0) < 33 || c.charCodeAt(0) > 126))) return undefined
  return labels
}

const foldEqual = (a: string, b: string) => a.toLowerCase() === b.toLowerCase()

function matchDomain(domain: string, constraint: string): boolean {
  if (constraint === '') return true
  const domainLabels = reverseLabels(domain)
  if (!domainLabels) throw new Error(`x509: internal error: cannot parse domain ${quote(domain)}`)
  const mustHaveSubdomains = constraint.startsWith('.')
  const constraintLabels = reverseLabels(mustHaveSubdomains ? constraint.slice(1) : constraint)
  if (!constraintLabels) throw new Error(`x509: internal error: cannot parse domain ${quote(constraint)}`)
  if (domainLabels.length < constraintLabels.length || (mustHaveSubdomains && domainLabels.length === constraintLabels.length)) return false
  return constraintLabels.every((label, i) => foldEqual(label, domainLabels[i]))
}

interface Mailbox {
  local: string
  domain: string
}

/** A simplified RFC 2821 mailbox split: local part (possibly quoted) and domain. */
function parseMailbox(text: string): Mailbox | undefined {
  const at = text.lastIndexOf('@')
  if (at <= 0 || at === text.length - 1) return undefined
  let local = text.slice(0, at)
  if (local.startsWith('"')) {
    if (!local.endsWith('"') || local.length < 2) return undefined
    local = local.slice(1, -1).replace(/\\(.)/g, '$1')
  }
  const domain = text.slice(at + 1)
  if (!reverseLabels(domain)) return undefined
  return {domain, local}
}

function matchEmail(mailbox: Mailbox, constraint: string): boolean {
  if (constraint.includes('@')) {
    const wanted = parseMailbox(constraint)
    if (!wanted) throw new Error(`x509: internal error: cannot parse constraint ${quote(constraint)}`)
    return mailbox.local === wanted.local && foldEqual(mailbox.domain, wanted.domain)
  }
  return matchDomain(mailbox.domain, constraint)
}

function matchUri(uri: string, constraint: string): boolean {
  let host: string
  try {
    host = new URL(uri).host
  } catch {
    host = ''
  }
  if (host === '') throw new Error(`URI with empty host (${quote(uri)}) cannot be matched against constraints`)
  if (host.includes(':') && !host.endsWith(']')) host = host.slice(0, host.lastIndexOf(':'))
  if ((host.startsWith('[') && host.endsWith(']')) || /^\d+\.\d+\.\d+\.\d+$/.test(host)) {
    throw new Error(`URI with IP (${quote(uri)}) cannot be matched against constraints`)
  }
  return matchDomain(host, constraint)
}

function matchIp(ip: Buffer, constraint: {ip: Buffer; mask: Buffer}): boolean {
  if (ip.length !== constraint.ip.length) return false
  return [...ip].every((b, i) => (b & constraint.mask[i]) === (constraint.ip[i] & constraint.mask[i]))
}

const MAX_CONSTRAINT_COMPARISONS = 250_000

/** net.IPNet's String(): address/prefix length, or address/hex mask when the mask is not a prefix. */
function formatIpNet({ip, mask}: {ip: Buffer; mask: Buffer}): string {
  const bits = [...mask].map((b) => b.toString(2).padStart(8, '0')).join('')
  return /^1*0*$/.test(bits) ? `${formatIp(ip)}/${bits.indexOf('0') === -1 ? bits.length : bits.indexOf('0')}` : `${formatIp(ip)}/${mask.toString('hex')}`
}

function checkConstraints<T>(counter: {n: number}, kind: string, name: string, parsed: T, match: (name: T, constraint: any) => boolean, permitted: unknown[], excluded: unknown[]): void {
  const show = (c: unknown) => quote(typeof c === 'string' ? c : formatIpNet(c as {ip: Buffer; mask: Buffer}))
  counter.n += excluded.length
  if (counter.n > MAX_CONSTRAINT_COMPARISONS) throw new Rejection(tooManyConstraints)
  for (const constraint of excluded) {
    if (guard(() => match(parsed, constraint))) throw new Rejection(notAuthorizedForName(`${kind} ${quote(name)} is excluded by constraint ${show(constraint)}`))
  }
  counter.n += permitted.length
  if (counter.n > MAX_CONSTRAINT_COMPARISONS) throw new Rejection(tooManyConstraints)
  if (permitted.length > 0 && !permitted.some((constraint) => guard(() => match(parsed, constraint)))) {
    throw new Rejection(notAuthorizedForName(`${kind} ${quote(name)} is not permitted by any constraint`))
  }
}

/** A matching error inside a constraint check is Go's CANotAuthorizedForThisName with the error as detail. */
function guard(fn: () => boolean): boolean {
  try {
    return fn()
  } catch (error) {
    throw new Rejection(notAuthorizedForName((error as Error).message))
  }
}

/** Throws a Rejection when a SAN of a certificate in `chain` breaks the name constraints of `ca`. */
export function checkNameConstraints(ca: Cert, chain: Cert[]): void {
  const nc = ca.fields.extensions.nameConstraints!
  const counter = {n: 0}
  for (const cert of chain) {
    for (const {tag, value} of cert.fields.extensions.sanEntries) {
      const name = value.toString('latin1')
      switch (tag) {
        case GENERAL_NAME.email: {
          const mailbox = parseMailbox(name)
          if (!mailbox) throw new Rejection(`x509: cannot parse rfc822Name ${quote(name)}`)
          checkConstraints(counter, 'email address', name, mailbox, matchEmail, nc.permitted.email, nc.excluded.email)
          break
        }
        case GENERAL_NAME.dns:
          if (!reverseLabels(name)) throw new Rejection(`x509: cannot parse dnsName ${quote(name)}`)
          checkConstraints(counter, 'DNS name', name, name, matchDomain, nc.permitted.dns, nc.excluded.dns)
          break
        case GENERAL_NAME.uri:
          checkConstraints(counter, 'URI', name, name, matchUri, nc.permitted.uri, nc.excluded.uri)
          break
        case GENERAL_NAME.ip:
          if (value.length !== 4 && value.length !== 16) throw new Rejection(`x509: internal error: IP SAN ${value.toString('hex')} failed to parse`)
          checkConstraints(counter, 'IP address', formatIp(value), value, matchIp, nc.permitted.ip, nc.excluded.ip)
          break
        default:
        // Other name forms are not constrained (Go ignores them).
      }
    }
  }
}
