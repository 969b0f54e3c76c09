// A TLS handshake with the API server, classified: unreachable, or the certificate it presented judged against the
// configured CA (chain) and the name client-go would check (name). The certificate is always returned when there is
// one, so its own expiry is reported separately from trust.
import {isIP} from 'node:net'
import {connect} from 'node:tls'

import {x509Reason} from '../net/errors.js'
import {oneLineDn} from '../pki/bundle.js'
import {parseCertificate} from '../pki/certinfo.js'
import {issuerLabel} from '../pki/verify.js'

export interface ServerCertificate {
  subject: string
  notAfter: Date
  /** The issuer it names with its AKID (`issuerLabel`), so a wrong CA can be told from a right one of the same name. */
  issuer?: string
}

function namedIssuer(der: Buffer): string | undefined {
  try {
    return issuerLabel(parseCertificate(der, 'server certificate'))
  } catch {
    return undefined
  }
}

export type TlsProbeResult =
  | {outcome: 'unreachable'; detail: string}
  | {outcome: 'ok'; certificate: ServerCertificate}
  | {outcome: 'chain' | 'name'; detail: string; certificate: ServerCertificate}

// An expired certificate is still chained to the CA; its expiry is a check of its own.
const EXPIRY_ONLY = 'CERT_HAS_EXPIRED'

export interface ProbeOptions {
  /** PEM CA bundle to trust; undefined trusts node's default roots. */
  ca?: Buffer
  /** tls-server-name; otherwise the URL host. */
  serverName?: string
  /** insecure-skip-tls-verify: only reachability is judged. */
  insecure?: boolean
  timeoutMs?: number
}

export function probeTls(server: URL, options: ProbeOptions = {}): Promise<TlsProbeResult> {
  const host = server.hostname.replace(/^\[|\]$/g, '')
  const port = Number(server.port || 443)
  const name = options.serverName ?? host
  const timeoutMs = options.timeoutMs ?? 5000
  return new Promise((resolve) => {
    const socket = connect({
      ALPNProtocols: ['http/1.1'],
      ca: options.ca ? [options.ca] : undefined,
      host,
      port,
      rejectUnauthorized: false,
      ...(isIP(name) ? {} : {servername: name}),
      // The name is judged below, separately from the chain.
      checkServerIdentity: () => undefined,
    })
    const done = (result: TlsProbeResult) => {
      socket.destroy()
      resolve(result)
    }
    socket.setTimeout(timeoutMs, () => done({detail: `no TLS answer within ${timeoutMs / 1000}s`, outcome: 'unreachable'}))
    socket.once('secureConnect', () => {
      const peer = socket.getPeerX509Certificate()
      if (!peer) return done({detail: 'the server presented no certificate', outcome: 'unreachable'})
      const certificate = {issuer: namedIssuer(peer.raw), notAfter: new Date(peer.validTo), subject: oneLineDn(peer.subject)}
      if (options.insecure) return done({certificate, outcome: 'ok'})
      // node gives OpenSSL's verify code (a string, despite its Error typing).
      const code = String(socket.authorizationError ?? '')
      if (!socket.authorized && code !== EXPIRY_ONLY) {
        return done({certificate, detail: `${x509Reason(code) ?? 'x509: certificate verification failed'} (${code})`, outcome: 'chain'})
      }
      // Verify against the name client-go would use (tls-server-name, else the URL host); Go ignores the CN.
      const matches = isIP(name) ? peer.checkIP(name) : peer.checkHost(name, {subject: 'never'})
      if (!matches) {
        const sans = (peer.subjectAltName ?? '').replace(/IP Address:/g, '').replace(/DNS:/g, '')
        return done({certificate, detail: `x509: certificate is valid for ${sans || '(no subject alternative names)'}, not ${name}`, outcome: 'name'})
      }
      done({certificate, outcome: 'ok'})
    })
    socket.once('error', (error: NodeJS.ErrnoException) => done({detail: error.message, outcome: 'unreachable'}))
  })
}
