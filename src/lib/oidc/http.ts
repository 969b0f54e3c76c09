// HTTPS to the issuer through one node:https agent that carries the CA and the timeout, so nothing depends on
// process-wide settings (NODE_EXTRA_CA_CERTS, global agents) and a bad CA or a dead issuer fails with a clear line.
import type {Agent} from 'node:https'

import {AuthctlError} from '../output/errors.js'

export interface HttpOptions {
  /** PEM bundle trusted instead of the system roots (--certificate-authority). */
  ca?: string
  /** Per-request timeout (default 10 s). */
  timeoutMs?: number
}

export interface HttpResponse {
  status: number
  body: string
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: any
}

export interface RequestOptions {
  method?: 'GET' | 'POST'
  /** Sent as application/x-www-form-urlencoded. */
  form?: Record<string, string | undefined>
  /** HTTP basic client authentication (client_secret_basic). */
  basic?: {user: string; password: string}
  /** What the request is for, used in errors: "discovery document". */
  what: string
}

export type Http = (url: string, options: RequestOptions) => Promise<HttpResponse>

const tlsHints: Record<string, string> = {
  CERT_HAS_EXPIRED: 'the issuer certificate has expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'pass the issuer CA with --certificate-authority',
  ERR_TLS_CERT_ALTNAME_INVALID: 'the certificate does not name this host',
  SELF_SIGNED_CERT_IN_CHAIN: 'pass the issuer CA with --certificate-authority',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'pass the issuer CA with --certificate-authority',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'pass the issuer CA with --certificate-authority',
}

function networkError(error: NodeJS.ErrnoException, url: string, what: string): AuthctlError {
  const code = error.code ?? ''
  if (tlsHints[code] || /certificate/i.test(error.message)) {
    return new AuthctlError(`cannot fetch ${what} from ${url}: TLS certificate not trusted (${error.message})`, {
      code: 'OIDC_TLS',
      hint: tlsHints[code] ?? 'check --certificate-authority',
    })
  }
  return new AuthctlError(`cannot reach the issuer for ${what} at ${url}: ${error.message}`, {
    code: 'OIDC_UNREACHABLE',
    hint: 'check --oidc-issuer-url and the network',
  })
}

export function createHttp(options: HttpOptions = {}): Http & {close(): void} {
  const timeoutMs = options.timeoutMs ?? 10_000
  // node:https (and tls) load on the first request: a cache hit, the common case for kubectl, never needs them.
  let agent: Agent | undefined
  const http = async (url: string, req: RequestOptions): Promise<HttpResponse> => {
    const https = await import('node:https')
    agent ??= new https.Agent({ca: options.ca, keepAlive: true, maxSockets: 4})
    return new Promise((resolve, reject) => {
      let parsed: URL
      try {
        parsed = new URL(url)
      } catch {
        reject(new AuthctlError(`${req.what} URL ${JSON.stringify(url)} is not a URL`, {code: 'OIDC_BAD_URL'}))
        return
      }
      if (parsed.protocol !== 'https:') {
        reject(new AuthctlError(`${req.what} URL ${url} is not https`, {code: 'OIDC_NOT_HTTPS', hint: 'OIDC endpoints must use TLS'}))
        return
      }
      const body = req.form
        ? new URLSearchParams(Object.entries(req.form).filter((e): e is [string, string] => e[1] !== undefined)).toString()
        : undefined
      const headers: Record<string, string> = {accept: 'application/json', 'user-agent': 'authctl'}
      if (body !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded'
      if (req.basic) {
        // RFC 6749 §2.3.1: form-encode the id and secret before base64.
        const enc = (s: string) => encodeURIComponent(s).replaceAll('%20', '+')
        headers.authorization = `Basic ${Buffer.from(`${enc(req.basic.user)}:${enc(req.basic.password)}`).toString('base64')}`
      }
      const r = https.request(parsed, {agent, headers, method: req.method ?? (body === undefined ? 'GET' : 'POST')}, (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('error', (e) => reject(networkError(e, url, req.what)))
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8')
          let json: unknown
          try {
            json = JSON.parse(text)
          } catch {
            json = undefined
          }
          resolve({body: text, json, status: res.statusCode ?? 0})
        })
      })
      r.setTimeout(timeoutMs, () => r.destroy(Object.assign(new Error(`no answer within ${timeoutMs / 1000} s`), {code: 'ETIMEDOUT'})))
      r.on('error', (e) => reject(networkError(e, url, req.what)))
      r.end(body)
    })
  }
  return Object.assign(http, {close: () => agent?.destroy()})
}
