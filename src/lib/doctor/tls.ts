// A TLS handshake with the API server, classified: reachable and verified, unreachable, wrong name, or a chain the
// configured CA does not vouch for.
import {isIP} from 'node:net'
import {checkServerIdentity, connect} from 'node:tls'

export type TlsProbeResult = {outcome: 'ok'} | {outcome: 'chain' | 'name' | 'unreachable'; detail: string}

const NAME_ERRORS = new Set(['ERR_TLS_CERT_ALTNAME_INVALID'])

export function probeTls(server: URL, ca: Buffer | undefined, serverName: string | undefined, timeoutMs = 5000): Promise<TlsProbeResult> {
  const host = server.hostname.replace(/^\[|\]$/g, '')
  const port = Number(server.port || 443)
  const name = serverName ?? host
  return new Promise((resolve) => {
    const socket = connect({
      ALPNProtocols: ['http/1.1'],
      ca: ca ? [ca] : undefined,
      host,
      port,
      rejectUnauthorized: true,
      ...(isIP(name) ? {} : {servername: name}),
      // Verify against the name client-go would use (tls-server-name, else the URL host).
      checkServerIdentity: (_host, cert) => checkServerIdentity(name, cert),
    })
    const done = (result: TlsProbeResult) => {
      socket.destroy()
      resolve(result)
    }
    socket.setTimeout(timeoutMs, () => done({detail: `no TLS answer within ${timeoutMs / 1000}s`, outcome: 'unreachable'}))
    socket.once('secureConnect', () => done({outcome: 'ok'}))
    socket.once('error', (error: NodeJS.ErrnoException) => {
      const code = error.code ?? ''
      if (NAME_ERRORS.has(code)) done({detail: error.message, outcome: 'name'})
      else if (/CERT|SELF_SIGNED|UNABLE_TO|VERIFY/.test(code)) done({detail: `${code}: ${error.message}`, outcome: 'chain'})
      else done({detail: error.message, outcome: 'unreachable'})
    })
  })
}
