// The client certificate chain of a TLS connection, as presented in its handshake. OpenSSL keeps only the leaf in a
// resumed session (the intermediates are not part of the session or ticket), so the chain a leaf came with on its
// last full handshake is remembered for as long as a session from it may be resumed, and handed back on resumption.
// The chain is then verified like any other: a resumed connection is judged on the same chain as a fresh one.
import type {PeerCertificate, TLSSocket} from 'node:tls'

/** What the server needs of a TLS connection (an h1 TLSSocket or the socket proxy of an h2 session). */
export type PeerSocket = Pick<TLSSocket, 'getPeerCertificate' | 'isSessionReused'>

export interface PeerChains {
  /** The presented chain, leaf first; empty when the client sent no certificate. */
  chainFor(socket: PeerSocket): Buffer[]
}

const MAX_REMEMBERED = 10_000

function presented(socket: PeerSocket): {fingerprint?: string; chain: Buffer[]} {
  const chain: Buffer[] = []
  const leaf = socket.getPeerCertificate(true) as PeerCertificate & {issuerCertificate?: PeerCertificate}
  let cert: (PeerCertificate & {issuerCertificate?: PeerCertificate}) | undefined = leaf
  while (cert && cert.raw && !chain.some((c) => c.equals(cert!.raw))) {
    chain.push(cert.raw)
    cert = cert.issuerCertificate
  }
  return {chain, fingerprint: leaf?.fingerprint256}
}

/**
 * `sessionLifetimeMs` is the server's session/ticket lifetime: after it, no session from a full handshake can be
 * resumed, so its chain need not be kept. Entries are refreshed on every use (TLS 1.3 resumption issues new tickets).
 */
export function peerChains(sessionLifetimeMs: number, now: () => number = Date.now): PeerChains {
  const perSocket = new WeakMap<object, Buffer[]>()
  const byLeaf = new Map<string, {chain: Buffer[]; seen: number}>()
  const remember = (fingerprint: string, chain: Buffer[]) => {
    byLeaf.delete(fingerprint)
    byLeaf.set(fingerprint, {chain, seen: now()})
    if (byLeaf.size > MAX_REMEMBERED) byLeaf.delete(byLeaf.keys().next().value!)
  }
  return {
    chainFor(socket) {
      let chain = perSocket.get(socket)
      if (chain) return chain
      const peer = presented(socket)
      chain = peer.chain
      if (peer.fingerprint && chain.length) {
        if (!socket.isSessionReused()) {
          if (chain.length > 1) remember(peer.fingerprint, chain)
        } else if (chain.length === 1) {
          const known = byLeaf.get(peer.fingerprint)
          if (known && now() - known.seen <= sessionLifetimeMs && known.chain[0].equals(chain[0])) {
            chain = known.chain
            remember(peer.fingerprint, chain)
          }
        }
      }
      perSocket.set(socket, chain)
      return chain
    },
  }
}
