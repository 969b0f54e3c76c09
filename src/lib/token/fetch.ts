// `token verify`'s documents from the network (OIDC discovery, JWKS) through the one HTTPS client, with an explicit CA
// (never the process's), a deadline and a size cap, and failures worded "cannot fetch <url>: <why>".
import {HttpClient} from '../net/client.js'
import {classifyNetError, issuerTlsHint} from '../net/errors.js'
import {type GetJson, jsonGetter} from '../net/issuer.js'
import {AuthctlError} from '../output/errors.js'

export interface FetchOptions {
  /** PEM CA bundle that replaces the system roots for these requests. */
  ca?: string
  timeoutMs?: number
  maxBytes?: number
  /** HTTPS_PROXY and NO_PROXY are read from here (none when absent). */
  env?: NodeJS.ProcessEnv
}

export const DEFAULT_FETCH_TIMEOUT_MS = 10_000

export function fetchError(url: string, reason: string, hint?: string): AuthctlError {
  return new AuthctlError(`cannot fetch ${url}: ${reason}`, {code: 'FETCH_FAILED', hint})
}

export function requireHttps(url: string, what: string): URL {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw new AuthctlError(`${what} ${JSON.stringify(url)} is not a URL`, {code: 'USAGE', exitCode: 2})
  }
  if (parsed.protocol !== 'https:') {
    throw new AuthctlError(`${what} ${JSON.stringify(url)} must use https`, {code: 'USAGE', exitCode: 2, hint: 'kube-apiserver only talks to OIDC issuers over HTTPS'})
  }
  return parsed
}

/** Runs `use` with a JSON GET on the one client; its connections are closed afterwards. */
export async function withJsonGet<T>(options: FetchOptions, use: (get: GetJson) => Promise<T>): Promise<T> {
  const client = new HttpClient({ca: options.ca, env: options.env, maxBytes: options.maxBytes ?? 1024 * 1024, timeoutMs: options.timeoutMs ?? DEFAULT_FETCH_TIMEOUT_MS})
  const plain = jsonGetter(client)
  const get: GetJson = async (url, what) => {
    requireHttps(url, 'URL')
    try {
      return await plain(url, what)
    } catch (error) {
      const {failure, tls} = classifyNetError(error)
      throw fetchError(url, (error as Error).message, tls ? issuerTlsHint(failure) : undefined)
    }
  }
  try {
    return await use(get)
  } finally {
    client.close()
  }
}
