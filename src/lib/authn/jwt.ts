// Reading a JWT's claims before verification: token authenticators use the unverified `iss` only to decide whether a
// token is theirs, the way kube-apiserver's JWT authenticators do.
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

/** Go's %q of a string slice: ["a" "b"]. */
export const goQuoteList = (values: string[]) => `[${values.map((v) => JSON.stringify(v)).join(' ')}]`

export function audienceList(claims: Record<string, unknown>): string[] {
  const aud = claims.aud
  if (typeof aud === 'string') return [aud]
  return Array.isArray(aud) ? aud.filter((a): a is string => typeof a === 'string') : []
}

export async function joseModule(): Promise<typeof import('jose')> {
  return import('jose')
}
