// Request header views the filter chain needs only for impersonation, so most requests never build them.
import type {Request} from './serving.js'

/** Whether any header is an Impersonate-* one. */
export function impersonating(req: Request): boolean {
  const raw = req.rawHeaders
  for (let i = 0; i < raw.length; i += 2) if (raw[i].length > 12 && raw[i].slice(0, 12).toLowerCase() === 'impersonate-') return true
  return false
}

/** Request headers by lower-cased name, repeated ones in order (HTTP/2 pseudo-headers included). */
export function distinctHeaders(req: Request): Record<string, string[]> {
  const headers: Record<string, string[]> = Object.create(null)
  const raw = req.rawHeaders
  for (let i = 0; i + 1 < raw.length; i += 2) (headers[raw[i].toLowerCase()] ??= []).push(raw[i + 1])
  return headers
}
