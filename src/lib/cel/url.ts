// Kubernetes' URL library: url() and isURL (Go's url.ParseRequestURI: an absolute URI or an absolute path), and
// getScheme, getHost, getHostname, getPort, getEscapedPath, getQuery on the url.Parse result.
import {quote} from '../go/quote.js'
import {parseGoUrl} from '../go/url.js'
import {CelEvaluationError} from './errors.js'
import type {CelLibrary} from './library.js'

class KubeUrl {
  readonly celTypeName = 'kubernetes.URL'
  constructor(readonly scheme: string, readonly host: string, readonly path: string, readonly rawQuery: string) {}
}

/** Go's url.ParseRequestURI: no fragment splitting, and a scheme or a leading `/` is required. */
export function parseRequestURI(raw: string): void {
  if (raw === '') throw new Error(`parse "": empty url`)
  // '#' is an ordinary path/query character here; escaping it keeps Go's checks on the rest of the text.
  try {
    parseGoUrl(raw.replaceAll('#', '%23'))
  } catch (error) {
    throw new Error(`parse ${quote(raw)}: ${(error as Error).message.replace(/^parse ".*?": /s, '')}`)
  }
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:/.exec(raw)
  if (!scheme && !raw.startsWith('/') && raw !== '*') throw new Error(`parse ${quote(raw)}: invalid URI for request`)
}

function toURL(raw: string): KubeUrl {
  try {
    parseRequestURI(raw)
    const u = parseGoUrl(raw)
    return new KubeUrl(u.scheme, u.host, u.path, u.rawQuery)
  } catch (error) {
    throw new CelEvaluationError(`URL parse error during conversion from string: ${(error as Error).message}`)
  }
}

function hostname(host: string): string {
  if (host.startsWith('[')) return host.slice(1, host.indexOf(']'))
  const colon = host.lastIndexOf(':')
  return colon < 0 ? host : host.slice(0, colon)
}

function port(host: string): string {
  const colon = host.lastIndexOf(':')
  if (colon < 0 || host.slice(colon).includes(']')) return ''
  return host.slice(colon + 1)
}

// Go's url.EscapedPath: the path as written when it is validly encoded, else the decoded path re-escaped.
const PATH_KEEP = /^[A-Za-z0-9\-_.~$&+,/:;=@]$/
const VALID_ENCODED = /^[A-Za-z0-9\-_.~$&+,/:;=@!'()*[\]%]*$/

function escapedPath(raw: string): string {
  if (VALID_ENCODED.test(raw)) return raw
  const utf8 = Buffer.from(raw, 'utf8')
  const decoded: number[] = []
  for (let i = 0; i < utf8.length; i++) {
    const hex = utf8.subarray(i + 1, i + 3).toString('latin1')
    if (utf8[i] === 0x25 && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      decoded.push(parseInt(hex, 16))
      i += 2
    } else decoded.push(utf8[i])
  }
  return decoded.map((b) => (PATH_KEEP.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('')
}

function unescapeQuery(s: string): string | undefined {
  try {
    return decodeURIComponent(s.replaceAll('+', ' '))
  } catch {
    return undefined
  }
}

/** Go's url.ParseQuery, keeping what parses (pairs with `;` or bad escapes are dropped, as Query() does). */
function query(rawQuery: string): Map<string, string[]> {
  const out = new Map<string, string[]>()
  for (const pair of rawQuery.split('&')) {
    if (pair === '' || pair.includes(';')) continue
    const eq = pair.indexOf('=')
    const key = unescapeQuery(eq < 0 ? pair : pair.slice(0, eq))
    const value = unescapeQuery(eq < 0 ? '' : pair.slice(eq + 1))
    if (key === undefined || value === undefined) continue
    out.set(key, [...(out.get(key) ?? []), value])
  }
  return out
}

export const urls: CelLibrary = (env) => {
  env
    .registerType('kubernetes.URL', KubeUrl)
    .registerFunction('url(string): kubernetes.URL', toURL)
    .registerFunction('isURL(string): bool', (s: string) => {
      try {
        parseRequestURI(s)
        return true
      } catch {
        return false
      }
    })
  const getters: Array<[string, string, (u: KubeUrl) => unknown]> = [
    ['getScheme', 'string', (u) => u.scheme],
    ['getHost', 'string', (u) => u.host],
    ['getHostname', 'string', (u) => hostname(u.host)],
    ['getPort', 'string', (u) => port(u.host)],
    ['getEscapedPath', 'string', (u) => escapedPath(u.path)],
    ['getQuery', 'map<string, list<string>>', (u) => query(u.rawQuery)],
  ]
  for (const [name, returnType, handler] of getters) env.registerFunction({handler: handler as (...args: unknown[]) => unknown, name, params: [], receiverType: 'kubernetes.URL', returnType})
  return env
}
