// Secure serving as k8s.io/apiserver's: HTTP/2 and HTTP/1.1 over ALPN on one TLS port, with its limits.
// - header timeout (ReadHeaderTimeout, 32 s): a connection must finish the TLS handshake and send its first
//   request's headers within it; later HTTP/1.1 requests must send their headers within it too;
// - idle timeout (IdleTimeout, 90 s): keep-alive connections and h2 sessions without traffic are closed;
// - header bytes (MaxHeaderBytes, 1 MiB): larger HTTP/1.1 header blocks get 431. nghttp2 caps one HTTP/2 header
//   field at 64 KiB whatever the list limit, so larger single h2 headers end the session (COMPRESSION_ERROR).
// HTTP/2 streams are served from node's stream API through H2Request/H2Response, which offer the handlers the few
// parts of the (req, res) interface they use: node's compatibility objects (a Readable and a Stream per request, with
// their listeners) cost about a quarter of a bare server's CPU per request.
import {constants, createSecureServer, type Http2SecureServer, type Http2Session, type IncomingHttpHeaders, type ServerHttp2Stream} from 'node:http2'
import type {IncomingMessage, ServerResponse} from 'node:http'
import type {AddressInfo, Socket} from 'node:net'
import type {TLSSocket} from 'node:tls'

import {type PeerSocket} from './peers.js'

export interface ServingLimits {
  headerTimeoutMs: number
  idleTimeoutMs: number
  maxHeaderBytes: number
  /** TLS session (ticket) lifetime. */
  sessionTimeoutMs: number
}

export const DEFAULT_LIMITS: ServingLimits = {headerTimeoutMs: 32_000, idleTimeoutMs: 90_000, maxHeaderBytes: 1 << 20, sessionTimeoutMs: 300_000}

type Listener = (...args: any[]) => void
/** Errors of a stream are seen as its 'close' (as node's compatibility layer does): no 'error' goes unhandled. */
const ignore = () => {}

/** An HTTP/2 request: its stream, headers and body, seen as an IncomingMessage is. */
export class H2Request {
  readonly httpVersionMajor = 2
  constructor(readonly stream: ServerHttp2Stream, readonly headers: IncomingHttpHeaders, readonly rawHeaders: string[]) {}

  get method(): string {
    return this.headers[':method'] as string
  }

  get url(): string {
    return this.headers[':path'] as string
  }

  /** The session's TLS socket (addresses, peer certificate). */
  get socket(): TLSSocket {
    return this.stream.session!.socket as TLSSocket
  }

  /** True once the body was read to its end or the stream is gone. */
  get complete(): boolean {
    return this.stream.readableEnded || this.stream.destroyed
  }

  on(event: 'data' | 'end' | 'close' | 'error', listener: Listener): this {
    this.stream.on(event, listener)
    return this
  }

  once(event: 'end' | 'close' | 'error', listener: Listener): this {
    this.stream.once(event, listener)
    return this
  }

  resume(): this {
    this.stream.resume()
    return this
  }
}

/** The answer on an HTTP/2 stream, written as a ServerResponse is; a stream already gone takes nothing. */
export class H2Response {
  constructor(readonly stream: ServerHttp2Stream) {}

  get headersSent(): boolean {
    return this.stream.headersSent
  }

  writeHead(code: number, headers: Record<string, string | number>): this {
    if (this.stream.destroyed || this.stream.headersSent) return this
    const fields: Record<string, string | number> = {':status': code}
    for (const name in headers) fields[name.toLowerCase()] = headers[name]
    this.stream.respond(fields)
    return this
  }

  /** The body (a HEAD request's stream was ended by its headers). */
  end(body: string): void {
    if (!this.stream.destroyed && !this.stream.writableEnded) this.stream.end(body)
  }

  writeContinue(): void {
    if (!this.stream.destroyed && !this.stream.headersSent) this.stream.additionalHeaders({':status': 100})
  }

  destroy(): void {
    this.stream.destroy()
  }

  /** 'finish': the answer is written; 'close': the stream is done. */
  once(event: 'finish' | 'close', listener: Listener): this {
    this.stream.once(event, listener)
    return this
  }
}

export type Request = IncomingMessage | H2Request
export type Response = ServerResponse | H2Response

/** The TLS connection a request came on: one object per connection (h1) or per session (h2). */
export function connectionOf(req: Request): PeerSocket {
  return req.socket as TLSSocket
}

/** Answered: tells the client to stop sending and frees the connection or stream without reading the rest. */
export function stopReading(req: Request, res: Response): void {
  if (req.complete) return
  if (req.httpVersionMajor === 2) {
    res.once('finish', () => (req as H2Request).stream.close(constants.NGHTTP2_NO_ERROR))
    return
  }
  ;(res as ServerResponse).shouldKeepAlive = false
  // Closing while the client still sends makes its kernel reset the connection, which can lose the answer: half-close
  // after the answer, drop what arrives, and cut the connection shortly after.
  req.resume()
  res.once('finish', () => setTimeout(() => req.socket.destroy(), 1000).unref())
}

export interface Serving {
  server: Http2SecureServer
  listen(port: number, host: string): Promise<number>
  /** Stops accepting, lets busy connections finish their requests (at most `graceMs`), closes idle ones. */
  close(graceMs: number): Promise<void>
  /** True once close() was called: answers should close their connection. */
  closing(): boolean
}

const key = (s: {remoteAddress?: string; remotePort?: number}) => `${s.remoteAddress}|${s.remotePort}`

export function createServing(tls: {cert: string; key: string}, limits: ServingLimits,
  onRequest: (req: Request, res: Response, expectsContinue: boolean) => void, log: (line: string) => void): Serving {
  const server = createSecureServer({
    allowHTTP1: true, cert: tls.cert, handshakeTimeout: limits.headerTimeoutMs, key: tls.key, minVersion: 'TLSv1.2', rejectUnauthorized: false,
    requestCert: true, sessionTimeout: Math.ceil(limits.sessionTimeoutMs / 1000), settings: {maxHeaderListSize: limits.maxHeaderBytes},
  })
  // The HTTP/1.1 fallback reads these from the server object (as http.Server does from its options).
  Object.assign(server, {
    connectionsCheckingInterval: Math.min(30_000, Math.max(100, Math.floor(limits.headerTimeoutMs / 4))),
    headersTimeout: limits.headerTimeoutMs, keepAliveTimeout: limits.idleTimeoutMs, maxHeaderSize: limits.maxHeaderBytes, requestTimeout: 0,
  })
  server.setTimeout(limits.idleTimeoutMs)

  // Connections (by address) that have not yet delivered a first request, with the timer that closes them.
  const awaitingFirst = new Map<string, {raw: Socket; timer: NodeJS.Timeout}>()
  const h1 = new Map<TLSSocket, number>() // HTTP/1.1 connections → requests in progress
  const h2 = new Set<Http2Session>()
  let closing = false

  server.on('connection', (raw: Socket) => {
    // As http.Server does by default: answers are not held back waiting for the client's ACK (Nagle).
    raw.setNoDelay(true)
    const k = key(raw)
    const timer = setTimeout(() => {
      awaitingFirst.delete(k)
      raw.destroy()
    }, limits.headerTimeoutMs)
    awaitingFirst.set(k, {raw, timer})
    raw.once('close', () => {
      clearTimeout(timer)
      if (awaitingFirst.get(k)?.raw === raw) awaitingFirst.delete(k)
    })
  })
  server.on('secureConnection', (socket: TLSSocket) => {
    if (socket.alpnProtocol === 'h2') return
    h1.set(socket, 0)
    socket.once('close', () => h1.delete(socket))
  })
  server.on('session', (session: Http2Session) => {
    h2.add(session)
    session.once('close', () => h2.delete(session))
    if (closing) session.close()
  })
  server.on('tlsClientError', (error) => log(`TLS handshake failed: ${error.message}`))

  // Connections (h1 sockets, h2 sessions) that delivered a request: only their first one looks up the header timer.
  const started = new WeakSet<object>()
  function accept(req: Request, res: Response, expectsContinue: boolean): void {
    const connection = req.httpVersionMajor === 2 ? (req as H2Request).stream.session! : req.socket
    if (!started.has(connection)) {
      started.add(connection)
      const k = key(req.httpVersionMajor === 2 ? (connection as Http2Session).socket : req.socket)
      const pending = awaitingFirst.get(k)
      if (pending) {
        clearTimeout(pending.timer)
        awaitingFirst.delete(k)
      }
    }
    if (req.httpVersionMajor !== 2) {
      const tlsSocket = req.socket as TLSSocket
      h1.set(tlsSocket, (h1.get(tlsSocket) ?? 0) + 1)
      res.once('close', () => {
        const busy = (h1.get(tlsSocket) ?? 1) - 1
        if (!h1.has(tlsSocket)) return
        h1.set(tlsSocket, busy)
        if (closing && busy === 0) tlsSocket.destroy()
      })
      if (closing) (res as ServerResponse).shouldKeepAlive = false
    }
    onRequest(req, res, expectsContinue)
  }
  // HTTP/1.1 requests come as (req, res) from node's http parser; adding a 'request' listener also makes node answer
  // h2 streams through its compatibility layer, which is replaced by the stream listener below.
  server.on('request', (req: IncomingMessage, res: ServerResponse) => accept(req, res, false))
  server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => accept(req, res, true))
  server.removeAllListeners('stream')
  server.on('stream', (stream: ServerHttp2Stream, headers: IncomingHttpHeaders, _flags: number, rawHeaders: string[]) => {
    stream.on('error', ignore)
    const method = headers[':method']
    // As the compatibility layer: CONNECT is not served, and of the expectations only 100-continue is known.
    if (method === 'CONNECT' || (headers.expect !== undefined && headers.expect !== '100-continue')) {
      stream.respond({':status': method === 'CONNECT' ? 405 : 417}, {endStream: true})
      return
    }
    accept(new H2Request(stream, headers, rawHeaders), new H2Response(stream), headers.expect === '100-continue')
  })

  let closed: Promise<void> | undefined
  return {
    close: (graceMs) =>
      (closed ??= new Promise<void>((resolve) => {
        closing = true
        server.close(() => resolve())
        for (const [socket, busy] of h1) if (busy === 0) socket.destroy()
        for (const session of h2) session.close()
        for (const {raw, timer} of awaitingFirst.values()) {
          clearTimeout(timer)
          raw.destroy()
        }
        // Connections still busy after the grace period are cut so shutdown always finishes.
        setTimeout(() => {
          for (const socket of h1.keys()) socket.destroy()
          for (const session of h2) session.destroy()
        }, graceMs).unref()
      })),
    closing: () => closing,
    listen: (port, host) =>
      new Promise<number>((resolve, reject) => {
        server.once('error', reject)
        server.listen(port, host, () => {
          server.off('error', reject)
          resolve((server.address() as AddressInfo).port)
        })
      }),
    server,
  }
}
