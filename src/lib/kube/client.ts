// A minimal Kubernetes API client over node:https: per-client TLS agent (CA, client certificate, server name),
// bearer token / tokenFile / basic auth / exec plugin credentials (sent over https only, as client-go does),
// Impersonate-* headers, timeouts, and errors in kubectl's words.
import {X509Certificate} from 'node:crypto'
import {readFile} from 'node:fs/promises'
import http, {type IncomingHttpHeaders} from 'node:http'
import https from 'node:https'
import tls from 'node:tls'

import {AuthctlError} from '../output/errors.js'
import {type Connection, ImpersonationError, impersonationHeaders} from './connection.js'
import {connectError, StatusError, statusFromResponse} from './errors.js'
import {type ExecCredential, type ExecDeps, execCredential, invalidateExecCredential} from './exec.js'
import {oneLineDn} from '../pki/bundle.js'

export interface KubeRequest {
  method: 'GET' | 'POST'
  path: string
  body?: unknown
  accept?: string
  /** Qualified resource of typed calls (e.g. selfsubjectreviews.authentication.k8s.io), for client-go's messages. */
  resource?: string
}

export interface KubeResponse {
  statusCode: number
  headers: IncomingHttpHeaders
  body: string
}

export interface ClientDeps extends ExecDeps {
  /** Client-side warnings (e.g. credentials withheld over plain http). */
  warn: (message: string) => void
}

export function defaultClientDeps(): ClientDeps {
  return {
    env: process.env,
    now: () => new Date(),
    stderr: (t) => process.stderr.write(t),
    stdinIsTty: Boolean(process.stdin.isTTY),
    warn: (m) => process.stderr.write(`Warning: ${m}\n`),
  }
}

/** The credential actually used for a request (what authctl reports when explaining a 401). */
export interface UsedCredential {
  kind: 'basic' | 'clientCertificate' | 'exec' | 'none' | 'token' | 'tokenFile'
  token?: string
  clientCertPem?: string
  exec?: ExecCredential
}

const DEFAULT_TIMEOUT_MS = 32_000

export class KubeClient {
  private readonly agents = new Map<string, http.Agent>()
  private warnedInsecure = false
  /** The last credential sent (for local 401 diagnosis). */
  lastCredential: UsedCredential = {kind: 'none'}

  constructor(
    readonly connection: Connection,
    readonly deps: ClientDeps = defaultClientDeps(),
  ) {
    const url = new URL(connection.server)
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new AuthctlError(`unsupported server URL ${JSON.stringify(connection.server)}`, {code: 'CONFIG', hint: 'use https://host:port'})
    }
  }

  get secure(): boolean {
    return new URL(this.connection.server).protocol === 'https:'
  }

  /** Sends a request; any HTTP status is returned. Network/TLS/credential failures throw AuthctlError. */
  async raw(req: KubeRequest): Promise<KubeResponse> {
    const conn = this.connection
    const headers: Record<string, string | string[]> = {
      'Accept': req.accept ?? 'application/json, */*',
      'User-Agent': 'authctl (kubernetes client)',
    }
    for (const [name, value] of this.impersonation()) {
      const prev = headers[name]
      headers[name] = prev === undefined ? value : [...(Array.isArray(prev) ? prev : [prev]), value]
    }
    let body: string | undefined
    if (req.body !== undefined) {
      body = JSON.stringify(req.body)
      headers['Content-Type'] = 'application/json'
    }
    const cred = await this.credential()
    this.lastCredential = cred
    if (cred.token) headers.Authorization = `Bearer ${cred.token}`
    else if (cred.kind === 'basic') headers.Authorization = `Basic ${Buffer.from(`${conn.username}:${conn.password ?? ''}`).toString('base64')}`

    const base = new URL(conn.server)
    const url = new URL(base.pathname.replace(/\/$/, '') + req.path, base)
    const response = await this.send(url, req.method, headers, body, cred)
    if (response.statusCode === 401 && cred.kind === 'exec' && cred.exec) invalidateExecCredential(conn, cred.exec)
    return response
  }

  /** Sends a request and parses the JSON answer; non-2xx answers throw StatusError. */
  async request<T>(req: KubeRequest): Promise<T> {
    const res = await this.raw(req)
    if (res.statusCode < 200 || res.statusCode > 299) {
      throw new StatusError(statusFromResponse(res.statusCode, res.body, String(res.headers['content-type'] ?? ''), req.method, req.resource), res.statusCode)
    }
    try {
      return JSON.parse(res.body) as T
    } catch {
      throw new AuthctlError(`the server answered ${req.method} ${req.path} with a body that is not JSON`, {code: 'BAD_RESPONSE'})
    }
  }

  /** Closes kept-alive connections so the process can exit. */
  close(): void {
    for (const agent of this.agents.values()) agent.destroy()
    this.agents.clear()
  }

  private impersonation(): Array<[string, string]> {
    try {
      return impersonationHeaders(this.connection.impersonate, this.connection.authInfoName)
    } catch (error) {
      if (error instanceof ImpersonationError) throw new AuthctlError(error.message, {code: 'IMPERSONATION'})
      throw error
    }
  }

  // client-go's order: a static token (or tokenFile) wins for Authorization; client certificates go on the TLS
  // layer; the exec plugin runs only when the user has neither a token, basic auth nor a client certificate.
  private async credential(): Promise<UsedCredential> {
    const conn = this.connection
    const hasAny = conn.token || conn.tokenFile || conn.username || conn.clientCertPem || conn.exec
    if (!this.secure) {
      if (hasAny && !this.warnedInsecure) {
        this.warnedInsecure = true
        this.deps.warn(`credentials are only sent over https; ${conn.server} is plain http, so this request is anonymous`)
      }
      return {kind: 'none'}
    }
    if (conn.token) return {clientCertPem: conn.clientCertPem, kind: 'token', token: conn.token}
    if (conn.tokenFile) {
      let token: string
      try {
        token = (await readFile(conn.tokenFile, 'utf8')).trim()
      } catch (error) {
        throw new AuthctlError(`cannot read token file ${JSON.stringify(conn.tokenFile)}: ${(error as Error).message}`, {code: 'TOKEN_FILE'})
      }
      return {clientCertPem: conn.clientCertPem, kind: 'tokenFile', token}
    }
    if (conn.username) return {clientCertPem: conn.clientCertPem, kind: 'basic'}
    if (conn.clientCertPem) return {clientCertPem: conn.clientCertPem, kind: 'clientCertificate'}
    if (conn.exec) {
      const exec = await execCredential(conn, this.deps)
      return {clientCertPem: exec.clientCertPem, exec, kind: 'exec', token: exec.token}
    }
    return {kind: 'none'}
  }

  private agent(cred: UsedCredential): http.Agent | undefined {
    if (!this.secure) return undefined
    const conn = this.connection
    const cert = cred.clientCertPem
    const key = cred.kind === 'exec' ? cred.exec?.clientKeyPem : conn.clientKeyPem
    const id = `${cert ?? ''}\0${key ?? ''}`
    let agent = this.agents.get(id)
    if (!agent) {
      const options: https.AgentOptions = {
        ca: conn.insecureSkipTlsVerify ? undefined : conn.caPem,
        cert,
        keepAlive: true,
        key,
        rejectUnauthorized: !conn.insecureSkipTlsVerify,
        servername: conn.tlsServerName,
      }
      agent = conn.proxyUrl ? connectProxyAgent(new URL(conn.proxyUrl), options) : new https.Agent(options)
      this.agents.set(id, agent)
    }
    return agent
  }

  private send(url: URL, method: string, headers: Record<string, string | string[]>, body: string | undefined, cred: UsedCredential): Promise<KubeResponse> {
    const conn = this.connection
    const timeout = conn.timeoutMs ?? DEFAULT_TIMEOUT_MS
    const mod = url.protocol === 'https:' ? https : http
    return new Promise((resolve, reject) => {
      const fail = (error: unknown) => reject(connectError(error, this.connectContext(url)))
      const req = mod.request(url, {agent: this.agent(cred), headers, method}, (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('error', fail)
        res.on('end', () => resolve({body: Buffer.concat(chunks).toString('utf8'), headers: res.headers, statusCode: res.statusCode ?? 0}))
      })
      req.setTimeout(timeout, () => {
        req.destroy(Object.assign(new Error(`net/http: request canceled (Client.Timeout exceeded after ${timeout / 1000}s)`), {code: 'ETIMEDOUT'}))
      })
      req.on('error', fail)
      req.end(body)
    })
  }

  private connectContext(url: URL) {
    const conn = this.connection
    let caSubject: string | undefined
    if (conn.caPem) {
      try {
        caSubject = oneLineDn(new X509Certificate(conn.caPem).subject)
      } catch {
        caSubject = undefined
      }
    }
    return {caSource: conn.caPem ? (conn.caSource ?? 'certificate-authority-data') : undefined, caSubject, server: url.origin, serverName: conn.tlsServerName ?? url.hostname}
  }
}

// HTTP CONNECT through the kubeconfig's proxy-url, then TLS to the API server over the tunnel.
function connectProxyAgent(proxy: URL, options: https.AgentOptions): https.Agent {
  if (proxy.protocol !== 'http:' && proxy.protocol !== 'https:') {
    throw new AuthctlError(`unsupported proxy-url scheme ${JSON.stringify(proxy.protocol.replace(/:$/, ''))}`, {code: 'CONFIG', hint: 'authctl supports http:// and https:// proxies'})
  }
  const agent = new https.Agent(options)
  const proxyModule = proxy.protocol === 'https:' ? https : http
  ;(agent as any).createConnection = (opts: tls.ConnectionOptions & {host: string; port: number}, callback: (err: Error | null, socket?: tls.TLSSocket) => void) => {
    const headers: Record<string, string> = {Host: `${opts.host}:${opts.port}`}
    if (proxy.username) headers['Proxy-Authorization'] = `Basic ${Buffer.from(`${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`).toString('base64')}`
    const req = proxyModule.request({agent: false, headers, host: proxy.hostname, method: 'CONNECT', path: `${opts.host}:${opts.port}`, port: proxy.port || (proxy.protocol === 'https:' ? 443 : 80)})
    req.once('connect', (res, socket) => {
      if (res.statusCode !== 200) {
        socket.destroy()
        callback(new Error(`proxyconnect tcp: the proxy ${proxy.host} answered CONNECT with ${res.statusCode}`))
        return
      }
      callback(null, tls.connect({...opts, socket}))
    })
    req.once('error', (error) => callback(error))
    req.end()
    return undefined
  }
  return agent
}
