// The one HTTP(S) client for every outbound call authctl makes: API servers, OIDC issuers (discovery, JWKS, token
// endpoints) and token webhooks. Each client owns its TLS agents (CA bundle, client certificate, server name,
// insecure), so nothing depends on process-wide settings (NODE_EXTRA_CA_CERTS, global agents); a whole-request
// deadline, a response size cap and the proxy rules of proxy.ts apply to every request. node:http(s) and node:tls are
// loaded on the first request, so commands that end before any network call never pay for them.
import type {IncomingHttpHeaders} from 'node:http'
import type {Agent, AgentOptions} from 'node:https'

import {connectProxyAgent, type Modules, proxyFor, type ProxySettings} from './proxy.js'

let loaded: Promise<Modules> | undefined
function loadModules(): Promise<Modules> {
  loaded ??= Promise.all([import('node:http'), import('node:https'), import('node:tls')]).then(([http, https, tls]) => ({http, https, tls}))
  return loaded
}

export interface TlsOptions {
  /** PEM bundle trusted instead of the system roots. */
  ca?: string
  /** Client certificate and key (PEM) presented to the server. */
  cert?: string
  key?: string
  /** Do not verify the server's certificate (kubeconfig insecure-skip-tls-verify). */
  insecure?: boolean
  /** The name the server certificate must carry, when not the URL's host (tls-server-name). */
  serverName?: string
}

export interface ClientOptions extends TlsOptions, ProxySettings {
  /** Deadline for a whole request, response body included (default 30 s). */
  timeoutMs?: number
  /** Largest response body accepted (default: no limit). */
  maxBytes?: number
}

export interface Request {
  method?: string
  headers?: Record<string, string | string[]>
  body?: string
  /** A client certificate for this request instead of the client's (credentials that change, like exec plugins'). */
  cert?: string
  key?: string
}

export interface Response {
  status: number
  headers: IncomingHttpHeaders
  body: string
}

/** A request that ran past the deadline or answered more than the cap; `code` is ETIMEDOUT or ERESPONSETOOLARGE. */
export class NetError extends Error {
  constructor(
    message: string,
    readonly code: 'ETIMEDOUT' | 'ERESPONSETOOLARGE',
    /** The deadline in ms or the cap in bytes that was exceeded. */
    readonly limit: number,
  ) {
    super(message)
    this.name = 'NetError'
  }
}

const DEFAULT_TIMEOUT_MS = 30_000

/** The body parsed as JSON, or undefined when it is not JSON. */
export function parseJson(body: string): any {
  try {
    return JSON.parse(body)
  } catch {
    return undefined
  }
}

export class HttpClient {
  private readonly agents = new Map<string, Agent>()

  constructor(readonly options: ClientOptions = {}) {}

  /** Sends one request; any HTTP status is an answer. Socket and TLS errors reject with node's error (see errors.ts). */
  async request(target: string | URL, req: Request = {}): Promise<Response> {
    const url = typeof target === 'string' ? new URL(target) : target
    const modules = await loadModules()
    const secure = url.protocol === 'https:'
    const mod = secure ? modules.https : modules.http
    const agent = secure ? this.agent(modules, url, req) : undefined
    const timeoutMs = this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS
    const maxBytes = this.options.maxBytes ?? Infinity
    return new Promise((resolve, reject) => {
      const r = mod.request(url, {agent, headers: req.headers, method: req.method ?? 'GET'}, (res) => {
        const chunks: Buffer[] = []
        let size = 0
        res.on('data', (chunk: Buffer) => {
          size += chunk.length
          if (size > maxBytes) r.destroy(new NetError(`response larger than ${maxBytes} bytes`, 'ERESPONSETOOLARGE', maxBytes))
          else chunks.push(chunk)
        })
        res.on('error', fail)
        res.on('end', () => {
          clearTimeout(timer)
          resolve({body: Buffer.concat(chunks).toString('utf8'), headers: res.headers, status: res.statusCode ?? 0})
        })
      })
      function fail(error: Error) {
        clearTimeout(timer)
        reject(error)
      }
      const timer = setTimeout(() => r.destroy(new NetError(`timed out after ${timeoutMs} ms`, 'ETIMEDOUT', timeoutMs)), timeoutMs)
      r.on('error', fail)
      r.end(req.body)
    })
  }

  /** Closes kept-alive connections so the process can exit. */
  close(): void {
    for (const agent of this.agents.values()) agent.destroy()
    this.agents.clear()
  }

  private agent(modules: Modules, url: URL, req: Request): Agent {
    const o = this.options
    const cert = req.cert ?? o.cert
    const key = req.key ?? o.key
    const proxy = proxyFor(url, o)
    const id = `${proxy?.href ?? ''}\0${cert ?? ''}\0${key ?? ''}`
    let agent = this.agents.get(id)
    if (!agent) {
      const options: AgentOptions = {
        ca: o.insecure ? undefined : o.ca,
        cert,
        keepAlive: true,
        key,
        rejectUnauthorized: !o.insecure,
        servername: o.serverName,
      }
      agent = proxy ? connectProxyAgent(modules, proxy, options) : new modules.https.Agent(options)
      this.agents.set(id, agent)
    }
    return agent
  }
}
