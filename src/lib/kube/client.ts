// A minimal Kubernetes API client on the one HTTPS client (lib/net): the cluster's TLS settings (CA, client
// certificate, server name, proxy-url), bearer token / tokenFile / basic auth / exec plugin credentials (sent over
// https only, as client-go does), Impersonate-* headers, timeouts, and errors in kubectl's words.
import {X509Certificate} from 'node:crypto'
import {readFile} from 'node:fs/promises'
import type {IncomingHttpHeaders} from 'node:http'

import {HttpClient, NetError} from '../net/client.js'
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
  /** Client-side warnings (e.g. credentials withheld over plain http), one message each, without "Warning: ". */
  onWarning?: (line: string) => void
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
  private readonly http: HttpClient
  private warnedInsecure = false
  /** The last credential sent (for local 401 diagnosis). */
  lastCredential: UsedCredential = {kind: 'none'}

  constructor(
    readonly connection: Connection,
    readonly deps: ClientDeps,
  ) {
    const url = new URL(connection.server)
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new AuthctlError(`unsupported server URL ${JSON.stringify(connection.server)}`, {code: 'CONFIG', hint: 'use https://host:port'})
    }
    this.http = new HttpClient({
      ca: connection.caPem,
      env: deps.env,
      insecure: connection.insecureSkipTlsVerify,
      proxyUrl: connection.proxyUrl,
      serverName: connection.tlsServerName,
      timeoutMs: connection.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    })
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
    this.http.close()
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
        this.deps.onWarning?.(`credentials are only sent over https; ${conn.server} is plain http, so this request is anonymous`)
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

  private async send(url: URL, method: string, headers: Record<string, string | string[]>, body: string | undefined, cred: UsedCredential): Promise<KubeResponse> {
    const key = cred.kind === 'exec' ? cred.exec?.clientKeyPem : this.connection.clientKeyPem
    try {
      const res = await this.http.request(url, {body, cert: this.secure ? cred.clientCertPem : undefined, headers, key: this.secure ? key : undefined, method})
      return {body: res.body, headers: res.headers, statusCode: res.status}
    } catch (error) {
      // Go's http.Client words its deadline so; kubectl users search for it.
      const cause = error instanceof NetError && error.code === 'ETIMEDOUT'
        ? Object.assign(new Error(`net/http: request canceled (Client.Timeout exceeded after ${error.limit / 1000}s)`), {code: 'ETIMEDOUT'})
        : error
      throw connectError(cause, this.connectContext(url))
    }
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
