// PKCE (RFC 7636) with S256 only: the plain method protects nothing against an intercepted redirect.
import {createHash, randomBytes} from 'node:crypto'

export interface Pkce {
  verifier: string
  challenge: string
  method: 'S256'
}

export function s256(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url')
}

export function createPkce(): Pkce {
  const verifier = randomBytes(32).toString('base64url') // 43 characters, the RFC minimum
  return {challenge: s256(verifier), method: 'S256', verifier}
}

/** A random value for state and nonce. */
export function randomToken(): string {
  return randomBytes(16).toString('base64url')
}
