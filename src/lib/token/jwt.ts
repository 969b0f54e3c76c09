// Unverified JWT parsing: base64url + JSON.parse only, so `token decode` never loads a crypto library. Errors name
// the broken segment but never echo the token: tokens are bearer secrets and end up in terminal scrollback and CI logs.
import {AuthctlError} from '../output/errors.js'

/** Longer inputs are refused before any decoding (real tokens are a few KiB; API servers cap headers near 1 MiB). */
export const MAX_TOKEN_LENGTH = 256 * 1024

export interface DecodedJwt {
  header: Record<string, unknown>
  claims: Record<string, unknown>
  /** The base64url signature segment (empty for `alg: none`). */
  signature: string
}

const BASE64URL = /^[A-Za-z0-9_-]*$/
const BOOTSTRAP = /^[a-z0-9]{6}\.[a-z0-9]{16}$/

function invalid(message: string, hint?: string): AuthctlError {
  return new AuthctlError(message, {code: 'TOKEN_MALFORMED', hint})
}

/** Trims surrounding whitespace and an `Authorization: Bearer ` style prefix; refuses oversized or empty input. */
export function normalizeToken(input: string): string {
  if (input.length > MAX_TOKEN_LENGTH) {
    throw invalid(`token is too long (${input.length} characters, limit ${MAX_TOKEN_LENGTH})`, 'a JWT is normally a few KiB')
  }
  const token = input.trim().replace(/^(authorization:\s*)?bearer\s+/i, '')
  if (token === '') throw invalid('no token given', 'pass it as an argument, with --file, or on stdin')
  if (/\s/.test(token)) throw invalid('token contains whitespace', 'paste the token as one line')
  return token
}

/** A kubeadm bootstrap token `<id>.<secret>` (§7.4); its secret part is never shown. */
export function bootstrapTokenId(token: string): string | undefined {
  return BOOTSTRAP.test(token) ? token.slice(0, 6) : undefined
}

function decodeSegment(segment: string, name: string): Record<string, unknown> {
  if (segment === '') throw invalid(`token ${name} segment is empty`)
  if (!BASE64URL.test(segment)) throw invalid(`token ${name} is not base64url`, 'characters outside A-Z a-z 0-9 - _')
  let value: unknown
  try {
    value = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'))
  } catch {
    throw invalid(`token ${name} is not JSON`)
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw invalid(`token ${name} is not a JSON object`)
  return value as Record<string, unknown>
}

/** Splits and decodes a compact JWS without checking its signature. */
export function parseJwt(input: string): DecodedJwt {
  const token = normalizeToken(input)
  const parts = token.split('.')
  if (parts.length === 5) throw invalid('token is an encrypted JWT (JWE)', 'only signed tokens (JWS) can be decoded')
  if (parts.length !== 3) {
    const hint = bootstrapTokenId(token) ? undefined : 'static and webhook tokens are opaque strings with no claims to decode'
    throw invalid(`token is not a JWT: expected 3 dot-separated segments, found ${parts.length}`, hint)
  }
  const header = decodeSegment(parts[0], 'header')
  if (typeof header.alg !== 'string') throw invalid('token header has no "alg"')
  const claims = decodeSegment(parts[1], 'claims')
  if (!BASE64URL.test(parts[2])) throw invalid('token signature is not base64url')
  return {claims, header, signature: parts[2]}
}

/** The payload of a compact JWT, or undefined when it is not one (for callers that only peek, e.g. at `iss`). */
export function unverifiedClaims(token: string): Record<string, unknown> | undefined {
  const parts = token.split('.')
  if (parts.length !== 3) return undefined
  try {
    const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'))
    return claims && typeof claims === 'object' && !Array.isArray(claims) ? claims : undefined
  } catch {
    return undefined
  }
}
