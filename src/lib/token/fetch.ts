// HTTPS GET of small JSON documents (OIDC discovery, JWKS) with an explicit CA and a timeout. node:https with its own
// agent, so a --certificate-authority applies to this request only and never to the process (no env, no globals).
import https from 'node:https'

import {AuthctlError} from '../output/errors.js'

export interface FetchOptions {
  /** PEM CA bundle that replaces the system roots for this request. */
  ca?: string
  timeoutMs?: number
  maxBytes?: number
}

export const DEFAULT_FETCH_TIMEOUT_MS = 10_000

function fetchError(url: string, reason: string, hint?: string): AuthctlError {
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

export function fetchJson(url: string, options: FetchOptions = {}): Promise<unknown> {
  const {ca, maxBytes = 1024 * 1024, timeoutMs = DEFAULT_FETCH_TIMEOUT_MS} = options
  const target = requireHttps(url, 'URL')
  const agent = new https.Agent({ca, keepAlive: false})
  return new Promise((resolve, reject) => {
    const done = (error?: Error, value?: unknown) => {
      clearTimeout(timer)
      agent.destroy()
      if (error) reject(error)
      else resolve(value)
    }
    const req = https.get(target, {agent, headers: {accept: 'application/json'}}, (res) => {
      if (res.statusCode !== 200) {
        res.resume()
        done(fetchError(url, `HTTP ${res.statusCode}`))
        return
      }
      const chunks: Buffer[] = []
      let size = 0
      res.on('data', (chunk: Buffer) => {
        size += chunk.length
        if (size > maxBytes) {
          req.destroy()
          done(fetchError(url, `response larger than ${maxBytes} bytes`))
        } else chunks.push(chunk)
      })
      res.on('error', (error) => done(fetchError(url, error.message)))
      res.on('end', () => {
        try {
          done(undefined, JSON.parse(Buffer.concat(chunks).toString('utf8')))
        } catch {
          done(fetchError(url, 'response is not JSON'))
        }
      })
    })
    const timer = setTimeout(() => {
      req.destroy()
      done(fetchError(url, `timed out after ${timeoutMs} ms`))
    }, timeoutMs)
    req.on('error', (error: NodeJS.ErrnoException) => {
      const tlsHint = /certificate|self.signed|SELF_SIGNED|UNABLE_TO/.test(`${error.code} ${error.message}`)
        ? 'pass the issuer CA with --certificate-authority'
        : undefined
      done(fetchError(url, error.message, tlsHint))
    })
  })
}
