// The issuer's endpoints as the OIDC flows see them: form posts with client authentication, JSON answers, and
// failures worded for the person logging in. The wire is the one HTTPS client (lib/net), with the issuer CA only.
import {HttpClient, parseJson} from '../net/client.js'
import {classifyNetError, issuerTlsHint} from '../net/errors.js'
import {AuthctlError} from '../output/errors.js'

export interface HttpOptions {
  /** PEM bundle trusted instead of the system roots (--certificate-authority). */
  ca?: string
  /** Per-request deadline (default 10 s). */
  timeoutMs?: number
  /** HTTPS_PROXY and NO_PROXY are read from here (none when absent). */
  env?: NodeJS.ProcessEnv
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

function networkError(error: Error, url: string, what: string): AuthctlError {
  const {failure, tls} = classifyNetError(error)
  if (tls) {
    return new AuthctlError(`cannot fetch ${what} from ${url}: TLS certificate not trusted (${error.message})`, {code: 'OIDC_TLS', hint: issuerTlsHint(failure)})
  }
  return new AuthctlError(`cannot reach the issuer for ${what} at ${url}: ${error.message}`, {
    code: 'OIDC_UNREACHABLE',
    hint: 'check --oidc-issuer-url and the network',
  })
}

export function createHttp(options: HttpOptions = {}): Http & {close(): void} {
  const client = new HttpClient({ca: options.ca, env: options.env, timeoutMs: options.timeoutMs ?? 10_000})
  const http = async (url: string, req: RequestOptions): Promise<HttpResponse> => {
    let parsed: URL
    try {
      parsed = new URL(url)
    } catch {
      throw new AuthctlError(`${req.what} URL ${JSON.stringify(url)} is not a URL`, {code: 'OIDC_BAD_URL'})
    }
    if (parsed.protocol !== 'https:') throw new AuthctlError(`${req.what} URL ${url} is not https`, {code: 'OIDC_NOT_HTTPS', hint: 'OIDC endpoints must use TLS'})
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
    try {
      const res = await client.request(parsed, {body, headers, method: req.method ?? (body === undefined ? 'GET' : 'POST')})
      return {body: res.body, json: parseJson(res.body), status: res.status}
    } catch (error) {
      throw networkError(error as Error, url, req.what)
    }
  }
  return Object.assign(http, {close: () => client.close()})
}
