// "Who am I to Talos?" from a talosconfig context: the roles in its client certificate, whether apid would accept
// that certificate (chain to the context's CA, validity, EKU exactly [clientAuth]), and optionally a live mTLS
// handshake with each endpoint to see whether the node really accepts it and which CA the node presents.
import {connect, type TLSSocket} from 'node:tls'

import {AuthctlError} from '../output/errors.js'
import {tlsKeyPem} from '../pki/keys.js'
import {parseCertificate} from '../pki/certinfo.js'
import {issuerLabel, readCertificates, verifyCertificate, type VerifyResult} from '../pki/verify.js'
import {decodeBase64} from '../talosconfig/cert.js'
import type {TalosContext} from '../talosconfig/format.js'
import {relativeTime} from '../go/time.js'
import {parseRoles} from '../api/talos-roles.js'
import {oneLineDn} from '../pki/bundle.js'

export const APID_PORT = 50000

export interface TalosIdentity {
  context: string
  roles: string[]
  unknownRoles: string[]
  subject: string
  issuer: string
  notAfter: string
  expires: string
  fingerprintSha256: string
  /** apid's acceptance rules, checked locally against the context's CA. */
  check: VerifyResult
}

function pemOf(field: string, what: string): string {
  if (!field) throw new AuthctlError(`the context has no ${what}`, {code: 'NO_CREDENTIALS', hint: 'add one with authctl talosconfig add or new'})
  return decodeBase64(field, what).toString('utf8')
}

export function localIdentity(name: string, context: TalosContext, now: Date): TalosIdentity {
  // talosctl sends every certificate of crt (tls.X509KeyPair): the leaf and any intermediates.
  const presented = readCertificates(pemOf(context.crt, 'client certificate (crt)'), 'client certificate')
  const leaf = presented[0]
  const cas = readCertificates(pemOf(context.ca, 'CA certificate (ca)'), 'CA certificate')
  const {roles, unknown} = parseRoles(leaf.fields.subject.organizations)
  return {
    check: verifyCertificate(presented, cas, {now, talos: true}),
    context: name,
    expires: relativeTime(leaf.fields.notAfter, now),
    fingerprintSha256: leaf.fields.fingerprintSha256,
    issuer: leaf.fields.issuer.dn,
    notAfter: leaf.fields.notAfter.toISOString(),
    roles,
    subject: leaf.fields.subject.dn,
    unknownRoles: unknown,
  }
}

/** talosctl's endpoint rules: no port means :50000; an https:// URL without a port means :443. */
export function endpointAddress(endpoint: string): {host: string; port: number} {
  let rest = endpoint.trim()
  let defaultPort = APID_PORT
  if (rest.startsWith('https://')) {
    rest = rest.slice('https://'.length).replace(/\/.*$/, '')
    defaultPort = 443
  }
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(rest)
  if (bracketed) return {host: bracketed[1], port: bracketed[2] ? Number(bracketed[2]) : defaultPort}
  const parts = rest.split(':')
  if (parts.length === 2 && /^\d+$/.test(parts[1])) return {host: parts[0], port: Number(parts[1])}
  return {host: rest, port: defaultPort}
}

export type ProbeOutcome = 'accepted' | 'rejected' | 'unreachable' | 'no-answer'

export interface EndpointProbe {
  endpoint: string
  address: string
  outcome: ProbeOutcome
  detail: string
  /** The certificate the node presented. */
  /** `issuerLabel`: the issuer with its key ID, for messages that must tell CAs apart. */
  server?: {subject: string; issuer: string; issuerLabel?: string; trustedByContextCa: boolean; error?: string}
}

const isIp = (host: string) => /^[\d.]+$/.test(host) || host.includes(':')

/**
 * One mTLS handshake as talosctl makes it (context CA as the only root, the context's certificate as the client
 * certificate, ALPN h2). Under TLS 1.3 the node judges the client certificate after the client's handshake is done,
 * so acceptance shows as the node's first bytes (apid starts HTTP/2 at once) and refusal as an alert or a close.
 */
export function probeEndpoint(endpoint: string, context: TalosContext, timeoutMs = 5000): Promise<EndpointProbe> {
  const {host, port} = endpointAddress(endpoint)
  const address = `${host.includes(':') ? `[${host}]` : host}:${port}`
  const ca = pemOf(context.ca, 'CA certificate (ca)')
  const cert = pemOf(context.crt, 'client certificate (crt)')
  const key = tlsKeyPem(pemOf(context.key, 'client key (key)'), {source: 'key', what: 'talosconfig client key'})
  return new Promise((resolve) => {
    let server: EndpointProbe['server']
    let settled = false
    const finish = (outcome: ProbeOutcome, detail: string, socket?: TLSSocket) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      socket?.destroy()
      resolve({address, detail, endpoint, outcome, ...(server ? {server} : {})})
    }
    // The server's certificate is judged and reported rather than refused, so a wrong CA is named, not hidden.
    const socket = connect({
      ALPNProtocols: ['h2'], ca, cert, host, key, port, rejectUnauthorized: false, ...(isIp(host) ? {} : {servername: host}),
    })
    const timer = setTimeout(() => finish(socket.encrypted && server ? 'no-answer' : 'unreachable',
      server ? `the node sent nothing within ${timeoutMs} ms after the handshake` : `no TLS handshake within ${timeoutMs} ms`, socket), timeoutMs)
    socket.on('secureConnect', () => {
      const peer = socket.getPeerX509Certificate()
      server = {
        issuer: peer ? oneLineDn(peer.issuer) : '',
        ...(peer ? {issuerLabel: issuerLabel(parseCertificate(peer.raw, 'node certificate'))} : {}),
        subject: peer ? oneLineDn(peer.subject) : '',
        trustedByContextCa: socket.authorized,
        ...(socket.authorized ? {} : {error: String(socket.authorizationError)}),
      }
      // TLS 1.2 verifies the client certificate inside the handshake: completing it means the node accepted it.
      if (socket.getProtocol() === 'TLSv1.2') finish('accepted', 'the node verified the client certificate', socket)
    })
    socket.on('data', () => finish('accepted', 'the node verified the client certificate and answered', socket))
    socket.on('error', (error: NodeJS.ErrnoException) => {
      const message = error.message
      if (/alert|certificate/i.test(message)) finish('rejected', `the node refused the client certificate: ${message}`, socket)
      else if (server) finish('rejected', `the node closed the connection: ${message}`, socket)
      else finish('unreachable', `cannot connect to ${address}: ${error.code ?? message}`, socket)
    })
    socket.on('close', () => finish(server ? 'rejected' : 'unreachable', server ? 'the node closed the connection after the handshake (client certificate refused)' : `cannot connect to ${address}`))
  })
}
