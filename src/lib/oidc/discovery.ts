// OpenID Provider discovery: the document must name the same issuer we asked for (OIDC Discovery §4.3), or a
// token from it would be rejected by kube-apiserver anyway.
import {AuthctlError} from '../output/errors.js'
import type {Http} from './http.js'

export interface ProviderMetadata {
  issuer: string
  authorization_endpoint: string
  token_endpoint: string
  jwks_uri: string
  device_authorization_endpoint?: string
  revocation_endpoint?: string
  grant_types_supported?: string[]
  code_challenge_methods_supported?: string[]
}

export function discoveryUrl(issuer: string): string {
  return `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`
}

function bad(url: string, why: string): AuthctlError {
  return new AuthctlError(`bad discovery document at ${url}: ${why}`, {
    code: 'OIDC_BAD_DISCOVERY',
    hint: 'check --oidc-issuer-url; it must be the issuer URL exactly as the provider names itself',
  })
}

/** Validates a parsed discovery document for `issuer`; exported for unit tests. */
export function checkMetadata(issuer: string, url: string, doc: unknown): ProviderMetadata {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw bad(url, 'not a JSON object')
  const meta = doc as Record<string, unknown>
  if (meta.issuer !== issuer) throw bad(url, `it names issuer ${JSON.stringify(meta.issuer)}, not ${JSON.stringify(issuer)}`)
  for (const field of ['authorization_endpoint', 'token_endpoint', 'jwks_uri']) {
    if (typeof meta[field] !== 'string' || !meta[field]) throw bad(url, `${field} is missing`)
  }
  return meta as unknown as ProviderMetadata
}

export async function discover(http: Http, issuer: string): Promise<ProviderMetadata> {
  const url = discoveryUrl(issuer)
  const res = await http(url, {what: 'discovery document'})
  if (res.status !== 200) throw bad(url, `HTTP ${res.status}`)
  if (res.json === undefined) throw bad(url, 'not JSON')
  return checkMetadata(issuer, url, res.json)
}
