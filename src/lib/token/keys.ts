// Verification keys: PEM files (like --service-account-key-file: public keys, private keys or certificates, several
// per file), JWKS documents, and OIDC discovery (issuer → /.well-known/openid-configuration → jwks_uri).
import {createPublicKey, type KeyObject, X509Certificate} from 'node:crypto'

import {AuthctlError} from '../output/errors.js'
import {parsePrivateKey} from '../pki/keys.js'
import {fetchJson, type FetchOptions, requireHttps} from './fetch.js'

export interface JsonWebKeySet {
  keys: Array<Record<string, unknown>>
}

export type VerificationKeys =
  | {kind: 'pem'; keys: KeyObject[]; source: string}
  | {jwks: JsonWebKeySet; kind: 'jwks'; source: string}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]+?-----END \1-----/g

/** Every public key in a PEM bundle; private keys contribute their public half. */
export function parsePemKeys(text: string, source: string): KeyObject[] {
  const keys: KeyObject[] = []
  for (const match of text.matchAll(PEM_BLOCK)) {
    const [block, label] = match
    if (label === 'EC PARAMETERS') continue
    try {
      // Private keys go through the one key reader (Talos's ED25519 PRIVATE KEY label is unknown to OpenSSL).
      if (label.endsWith('PRIVATE KEY')) keys.push(createPublicKey(parsePrivateKey(block, {what: `private key in ${source}`}).key))
      else keys.push(label === 'CERTIFICATE' ? new X509Certificate(block).publicKey : createPublicKey(block))
    } catch (error) {
      if (error instanceof AuthctlError) throw error
      throw new AuthctlError(`cannot read ${label} in ${source}: ${(error as Error).message}`, {code: 'KEY_INVALID'})
    }
  }
  if (keys.length === 0) {
    throw new AuthctlError(`no PEM public key, private key or certificate in ${source}`, {code: 'KEY_INVALID'})
  }
  return keys
}

export function parseJwks(value: unknown, source: string): JsonWebKeySet {
  const keys = (value as JsonWebKeySet | null)?.keys
  if (!Array.isArray(keys) || keys.some((k) => k === null || typeof k !== 'object')) {
    throw new AuthctlError(`${source} is not a JWKS document (expected {"keys": [...]})`, {code: 'KEY_INVALID'})
  }
  return {keys}
}

export function parseJwksText(text: string, source: string): JsonWebKeySet {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw new AuthctlError(`${source} is not JSON`, {code: 'KEY_INVALID', hint: 'a JWKS file is {"keys": [...]}'})
  }
  return parseJwks(value, source)
}

export async function fetchJwks(url: string, options: FetchOptions): Promise<VerificationKeys> {
  return {jwks: parseJwks(await fetchJson(url, options), url), kind: 'jwks', source: url}
}

export function discoveryUrl(issuer: string): string {
  return `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`
}

/** OIDC discovery as go-oidc does it: the document's issuer must equal the configured one exactly. */
export async function discoverJwks(issuer: string, options: FetchOptions): Promise<VerificationKeys> {
  requireHttps(issuer, 'issuer')
  const url = discoveryUrl(issuer)
  const doc = (await fetchJson(url, options)) as Record<string, unknown> | null
  if (doc?.issuer !== issuer) {
    throw new AuthctlError(
      `oidc: issuer did not match the issuer returned by provider, expected ${JSON.stringify(issuer)} got ${JSON.stringify(doc?.issuer ?? '')}`,
      {code: 'DISCOVERY_FAILED', hint: 'the --issuer value must match the provider\'s issuer exactly, including any trailing slash'},
    )
  }
  if (typeof doc.jwks_uri !== 'string') throw new AuthctlError(`${url} has no jwks_uri`, {code: 'DISCOVERY_FAILED'})
  return fetchJwks(doc.jwks_uri, options)
}
