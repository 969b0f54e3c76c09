// Verification keys: PEM files (like --service-account-key-file: public keys, private keys or certificates, several
// per file), JWKS documents, and OIDC discovery (issuer → /.well-known/openid-configuration → jwks_uri, lib/net).
import {createPublicKey, type KeyObject, X509Certificate} from 'node:crypto'

import {AuthctlError} from '../output/errors.js'
import {parsePrivateKey} from '../pki/keys.js'
import {getJwks, Issuer, IssuerError, isJwks, type JsonWebKeySet} from '../net/issuer.js'
import {fetchError, type FetchOptions, requireHttps, withJsonGet} from './fetch.js'

export type {JsonWebKeySet}

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
  if (!isJwks(value)) throw new AuthctlError(`${source} is not a JWKS document (expected {"keys": [...]})`, {code: 'KEY_INVALID'})
  return {keys: value.keys}
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

/** A JWKS from a URL (--jwks https://…). */
export function fetchJwks(url: string, options: FetchOptions): Promise<VerificationKeys> {
  return withJsonGet(options, async (get) => {
    try {
      return {jwks: await getJwks(get, url), kind: 'jwks', source: url}
    } catch (error) {
      throw error instanceof IssuerError ? keysError(error) : error
    }
  })
}

/** An IssuerError in `token verify`'s words. */
function keysError(error: IssuerError): AuthctlError {
  const {kind} = error.problem
  if (kind === 'http') return fetchError(error.url, `HTTP ${error.problem.status}`)
  if (kind === 'not-json') return fetchError(error.url, 'response is not JSON')
  if (error.what === 'JWKS') return new AuthctlError(error.message, {code: 'KEY_INVALID'})
  return new AuthctlError(error.message, {
    code: 'DISCOVERY_FAILED',
    hint: kind === 'issuer' ? 'the --issuer value must match the provider\'s issuer exactly, including any trailing slash' : undefined,
  })
}

/** The issuer's JWKS through OIDC discovery (lib/net/issuer.ts: the discovery `issuer` must equal --issuer exactly). */
export function discoverJwks(issuer: string, options: FetchOptions): Promise<VerificationKeys> {
  requireHttps(issuer, 'issuer')
  return withJsonGet(options, async (get) => {
    const provider = new Issuer(issuer, get)
    try {
      const jwks = await provider.keys()
      return {jwks, kind: 'jwks', source: (await provider.discovery()).jwks_uri as string}
    } catch (error) {
      throw error instanceof IssuerError ? keysError(error) : error
    }
  })
}
