// The redirect target of the authorization code flow (RFC 8252 §7.3): a one-shot HTTP listener on a loopback
// address. Several addresses may be given; the first free one is used, so parallel logins on one host (or a busy
// default port) do not fail with "address in use".
import {createServer, type Server} from 'node:http'

import {AuthctlError, usageError} from '../output/errors.js'

export interface LoopbackListener {
  redirectUri: string
  /** Resolves with the authorization code once the browser comes back with the expected state. */
  code: Promise<string>
  close(): Promise<void>
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', '[::1]', 'localhost'])

export function parseListenAddress(address: string): {host: string; port: number} {
  const m = /^(\[[^\]]+\]|[^:]+):(\d{1,5})$/.exec(address)
  const port = m ? Number(m[2]) : Number.NaN
  if (!m || port > 65_535) throw usageError(`--listen-address ${JSON.stringify(address)} is not HOST:PORT`, 'e.g. 127.0.0.1:8000')
  if (!LOOPBACK_HOSTS.has(m[1])) throw usageError(`--listen-address ${JSON.stringify(address)} is not a loopback address`, 'the redirect must stay on this machine: use 127.0.0.1 or localhost')
  return {host: m[1].replace(/^\[|\]$/g, ''), port}
}

function page(title: string, text: string): string {
  const esc = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`)
  return `<!doctype html><html><head><meta charset="utf-8"><title>${esc(title)}</title></head><body><h1>${esc(title)}</h1><p>${esc(text)}</p></body></html>`
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (e: Error) => reject(e)
    server.once('error', onError)
    server.listen(port, host, () => {
      server.off('error', onError)
      resolve((server.address() as {port: number}).port)
    })
  })
}

export async function startLoopback(addresses: string[], state: string): Promise<LoopbackListener> {
  let settle!: {resolve: (code: string) => void; reject: (e: Error) => void}
  const code = new Promise<string>((resolve, reject) => (settle = {reject, resolve}))
  code.catch(() => {}) // the caller may be gone (timeout) before the browser answers
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://loopback')
    const send = (status: number, title: string, text: string) => {
      res.writeHead(status, {'content-type': 'text/html; charset=utf-8', connection: 'close'})
      res.end(page(title, text))
    }
    if (req.method !== 'GET' || url.pathname !== '/' || (!url.searchParams.has('code') && !url.searchParams.has('error'))) {
      send(404, 'Not found', 'This address only receives the login redirect.')
      return
    }
    // A stale tab from an earlier attempt carries another state; ignore it and keep waiting for ours.
    if (url.searchParams.get('state') !== state) {
      send(400, 'Login not accepted', 'This page belongs to an older login attempt. Use the newest tab.')
      return
    }
    const error = url.searchParams.get('error')
    if (error) {
      const description = url.searchParams.get('error_description')
      send(200, 'Login failed', `${error}${description ? `: ${description}` : ''}`)
      settle.reject(new AuthctlError(`login failed at the issuer: ${error}${description ? ` (${description})` : ''}`, {code: 'OIDC_' + error.toUpperCase()}))
      return
    }
    send(200, 'Logged in', 'authctl has your login. You can close this tab.')
    settle.resolve(url.searchParams.get('code')!)
  })
  const failures: string[] = []
  for (const address of addresses) {
    const {host, port} = parseListenAddress(address)
    try {
      const bound = await listen(server, host, port)
      const hostPart = host.includes(':') ? `[${host}]` : host
      return {
        close: () => new Promise((resolve) => {
          server.close(() => resolve())
          server.closeAllConnections()
        }),
        code,
        redirectUri: `http://${hostPart}:${bound}/`,
      }
    } catch (error) {
      failures.push(`${address}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`)
    }
  }
  throw new AuthctlError(`cannot listen for the login redirect on ${failures.join(', ')}`, {
    code: 'OIDC_LISTEN',
    hint: 'free the port or pass another --listen-address (the issuer must allow the redirect URI)',
  })
}
