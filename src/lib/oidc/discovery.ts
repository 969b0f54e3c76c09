// The OpenID provider as the login flows see it: lib/net's issuer flow (go-oidc's rule: the document must name the
// issuer we asked for exactly, or a token from it would be rejected by kube-apiserver anyway), with the endpoints the
// flows need, failures worded for the person logging in, and discovery and JWKS fetched at most once per run.
import {checkDiscovery, Issuer, IssuerError, type JsonWebKeySet} from '../net/issuer.js'
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

const REQUIRED = ['authorization_endpoint', 'token_endpoint', 'jwks_uri']

function reworded(error: unknown): unknown {
  if (!(error instanceof IssuerError)) return error
  const p = error.problem
  if (error.what === 'JWKS') {
    return new AuthctlError(`bad JWKS at ${error.url}: ${p.kind === 'http' ? `HTTP ${p.status}` : 'no "keys" array'}`, {code: 'OIDC_BAD_JWKS'})
  }
  const why = p.kind === 'http' ? `HTTP ${p.status}`
    : p.kind === 'not-json' ? 'not JSON'
      : p.kind === 'not-object' ? 'not a JSON object'
        : p.kind === 'issuer' ? `it names issuer ${JSON.stringify(p.got)}, not ${JSON.stringify(error.issuer)}`
          : `${p.field} is missing`
  return new AuthctlError(`bad discovery document at ${error.url}: ${why}`, {
    code: 'OIDC_BAD_DISCOVERY',
    hint: 'check --oidc-issuer-url; it must be the issuer URL exactly as the provider names itself',
  })
}

async function rewording<T>(promise: Promise<T>): Promise<T> {
  try {
    return await promise
  } catch (error) {
    throw reworded(error)
  }
}

/** Validates a parsed discovery document for `issuer`; exported for unit tests. */
export function checkMetadata(issuer: string, url: string, doc: unknown): ProviderMetadata {
  try {
    return checkDiscovery(issuer, url, doc, REQUIRED) as unknown as ProviderMetadata
  } catch (error) {
    throw reworded(error)
  }
}

/** One issuer for one run: its discovery document and JWKS are fetched on first use and then kept. */
export class Provider {
  private readonly issuer: Issuer

  constructor(http: Http, readonly issuerUrl: string) {
    this.issuer = new Issuer(issuerUrl, (url, what) => http(url, {what}), {required: REQUIRED})
  }

  async metadata(): Promise<ProviderMetadata> {
    return (await rewording(this.issuer.discovery())) as unknown as ProviderMetadata
  }

  keys(): Promise<JsonWebKeySet> {
    return rewording(this.issuer.keys())
  }
}
