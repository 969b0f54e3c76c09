// Issuer → discovery → JWKS, once for every caller (OIDC login, `token verify --issuer`, `authn test`, the server's JWT
// authenticator), by go-oidc's rules, which kube-apiserver and kubelogin both use:
// - the discovery document is at the issuer with ONE trailing "/" removed, plus "/.well-known/openid-configuration"
//   (or at an AuthenticationConfiguration's issuer.discoveryURL);
// - the document's `issuer` must equal the configured issuer exactly (so "https://x/" and "https://x" differ), or
//   the provider is refused: tokens carry that `iss`, and the API server compares it the same way.
// The JWKS is fetched once per Issuer and fetched again only when a token names a key it does not hold, at most every
// 10 s. Problems are reported as IssuerError with a structured `problem`, so each caller words them its own way.

import {type HttpClient, parseJson} from './client.js'

export interface JsonWebKeySet {
  keys: Array<Record<string, unknown>>
}

/** GET `url` and answer its status and body parsed as JSON (undefined when not JSON); network failures reject. */
export type GetJson = (url: string, what: 'discovery document' | 'JWKS') => Promise<{status: number; json: unknown}>

export type IssuerProblem =
  | {kind: 'http'; status: number}
  | {kind: 'not-json'}
  | {kind: 'not-object'}
  | {kind: 'issuer'; got: unknown}
  | {kind: 'missing'; field: string}

export class IssuerError extends Error {
  constructor(
    /** The URL whose answer was wrong (discovery or JWKS). */
    readonly url: string,
    readonly what: 'discovery document' | 'JWKS',
    readonly issuer: string,
    readonly problem: IssuerProblem,
  ) {
    super(defaultMessage(url, what, issuer, problem))
    this.name = 'IssuerError'
  }
}

// go-oidc's texts where it has them.
function defaultMessage(url: string, what: string, issuer: string, p: IssuerProblem): string {
  switch (p.kind) {
    case 'http':
      return `${what} at ${url}: HTTP ${p.status}`
    case 'issuer':
      return `oidc: issuer did not match the issuer returned by provider, expected ${JSON.stringify(issuer)} got ${JSON.stringify(typeof p.got === 'string' ? p.got : '')}`
    case 'missing':
      return `${url} has no ${p.field}`
    case 'not-json':
      return `${what} at ${url} is not JSON`
    case 'not-object':
      return what === 'JWKS' ? `${url} is not a JWKS document (expected {"keys": [...]})` : `${what} at ${url} is not a JSON object`
  }
}

export function discoveryUrl(issuer: string): string {
  return `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`
}

/** Checks a parsed discovery document against the configured issuer; `required` fields must be non-empty strings. */
export function checkDiscovery(issuer: string, url: string, doc: unknown, required: readonly string[]): Record<string, unknown> {
  const fail = (problem: IssuerProblem) => new IssuerError(url, 'discovery document', issuer, problem)
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw fail({kind: 'not-object'})
  const meta = doc as Record<string, unknown>
  if (meta.issuer !== issuer) throw fail({got: meta.issuer, kind: 'issuer'})
  for (const field of required) if (typeof meta[field] !== 'string' || !meta[field]) throw fail({field, kind: 'missing'})
  return meta
}

/** Whether a parsed document has a JWKS's shape: {"keys": [objects]}. */
export function isJwks(doc: unknown): doc is JsonWebKeySet {
  const keys = (doc as JsonWebKeySet | null)?.keys
  return Array.isArray(keys) && keys.every((k) => k !== null && typeof k === 'object')
}

const JWKS_REFRESH_MIN_MS = 10_000

export interface IssuerOptions {
  /** Discovery fields the caller needs besides jwks_uri (the login flows need the endpoints). */
  required?: readonly string[]
  /** Clock for the refresh rate limit (ms). */
  now?: () => number
  /** Where the discovery document is fetched instead of the issuer's well-known URL (an AuthenticationConfiguration's
   * issuer.discoveryURL); its `issuer` must still equal the issuer URL. */
  discoveryUrl?: string
  /** A server's issuer: after a failed fetch, the failure is the answer for this long instead of every request
   * waiting on the issuer again (kube-apiserver answers "not initialized" and retries in the background). */
  failureHoldMs?: number
}

/** One issuer: its discovery document and its JWKS, each fetched once and shared by every verification. */
export class Issuer {
  private metadata?: Promise<Record<string, unknown>>
  private jwks?: Promise<JsonWebKeySet>
  private fetchedAt = -Infinity
  private failedAt?: number
  private readonly clock: () => number

  constructor(
    readonly url: string,
    private readonly get: GetJson,
    private readonly options: IssuerOptions = {},
  ) {
    this.clock = options.now ?? Date.now
  }

  /** The discovery document (a failed fetch is retried on the next call). */
  discovery(): Promise<Record<string, unknown>> {
    const url = this.options.discoveryUrl ?? discoveryUrl(this.url)
    this.metadata ??= this.fetch(url, 'discovery document').then((doc) =>
      checkDiscovery(this.url, url, doc, [...(this.options.required ?? []), 'jwks_uri']))
    this.metadata.catch(() => (this.metadata = undefined))
    return this.metadata
  }

  /** The JWKS, from the cache when it has been fetched; a failure is answered again until failureHoldMs have passed. */
  keys(): Promise<JsonWebKeySet> {
    const now = this.clock()
    if (this.jwks && (this.failedAt === undefined || now - this.failedAt < (this.options.failureHoldMs ?? 0))) return this.jwks
    this.failedAt = undefined
    this.fetchedAt = now
    const jwks = this.discovery().then((meta) => getJwks(this.get, meta.jwks_uri as string, this.url))
    this.jwks = jwks
    jwks.catch(() => {
      if (this.jwks !== jwks) return
      if (this.options.failureHoldMs) this.failedAt = this.clock()
      else this.jwks = undefined
    })
    return jwks
  }

  /** The JWKS fetched again, for a token whose key is not in the cached one; undefined when the last fetch is too recent. */
  refreshKeys(): Promise<JsonWebKeySet> | undefined {
    if (this.clock() - this.fetchedAt < JWKS_REFRESH_MIN_MS) return undefined
    this.jwks = undefined
    return this.keys()
  }

  private fetch(url: string, what: 'discovery document' | 'JWKS'): Promise<unknown> {
    return fetchDocument(this.get, url, what, this.url)
  }
}

async function fetchDocument(get: GetJson, url: string, what: 'discovery document' | 'JWKS', issuer: string): Promise<unknown> {
  const res = await get(url, what)
  if (res.status !== 200) throw new IssuerError(url, what, issuer, {kind: 'http', status: res.status})
  if (res.json === undefined) throw new IssuerError(url, what, issuer, {kind: 'not-json'})
  return res.json
}

/** A JWKS document from `uri` (an issuer's jwks_uri, or one given directly); problems are IssuerErrors. */
export async function getJwks(get: GetJson, uri: string, issuer = ''): Promise<JsonWebKeySet> {
  const doc = await fetchDocument(get, uri, 'JWKS', issuer)
  if (!isJwks(doc)) throw new IssuerError(uri, 'JWKS', issuer, {kind: 'not-object'})
  return {keys: doc.keys}
}

/** GET on `client`, answered as GetJson wants: the status and the body parsed as JSON (undefined when it is not). */
export function jsonGetter(client: HttpClient): GetJson {
  return async (url) => {
    const res = await client.request(url, {headers: {Accept: 'application/json'}})
    return {json: parseJson(res.body), status: res.status}
  }
}
