// A TLS server that accepts client certificates the way Talos's apid does, for tests of Talos clients.
import {createServer, type Server, type TLSSocket} from 'node:tls'

const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2'

// apid's rules (talos.md §8): TLS 1.2+, client certificate required and verified against the Talos CA, and every
// non-CA certificate in the chain must carry an extended key usage of exactly [clientAuth].
export interface ApidLike {
  server: Server
  /** Handshakes the server refused (client certificate not verified against the CA). */
  handshakeErrors: string[]
  /** Verified clients refused by the EKU rule. */
  ekuRejections: string[]
}

export function startApidLikeServer(caPem: string, cert: string, key: string): Promise<ApidLike> {
  const state: Omit<ApidLike, 'server'> = {ekuRejections: [], handshakeErrors: []}
  const server = createServer({ca: caPem, cert, key, minVersion: 'TLSv1.2', rejectUnauthorized: true, requestCert: true}, (socket: TLSSocket) => {
    const peer = socket.getPeerX509Certificate()
    const eku = (peer?.keyUsage ?? []) as string[]
    if (eku.length !== 1 || eku[0] !== CLIENT_AUTH) {
      state.ekuRejections.push(peer?.subject ?? '')
      socket.destroy()
      return
    }
    socket.end(`ok ${peer!.subject.replaceAll('\n', ',')}\n`)
  })
  // A rejected handshake is the expected outcome of some tests, not a server failure.
  server.on('tlsClientError', (error) => state.handshakeErrors.push(error.message))
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({server, ...state})))
}

