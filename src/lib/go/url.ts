// Go's net/url.Parse, as far as kube-apiserver's configuration validation depends on it: the parts it inspects
// (scheme, user info, query, fragment) and its error texts (`parse "…": invalid port ":x" after host`).
import {quote} from './quote.js'

export interface GoUrl {
  scheme: string
  /** True when the authority had user info (`user:pass@`). */
  hasUser: boolean
  host: string
  path: string
  rawQuery: string
  fragment: string
}

class UrlError extends Error {}

const CTL = /[\x00-\x1f\x7f]/

function unescape(text: string): string {
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== '%') continue
    const hex = text.slice(i + 1, i + 3)
    if (!/^[0-9a-fA-F]{2}$/.test(hex)) throw new UrlError(`invalid URL escape ${quote(text.slice(i, i + 3))}`)
    i += 2
  }
  return text
}

function parseHost(host: string): string {
  if (host.startsWith('[')) {
    const end = host.lastIndexOf(']')
    if (end < 0) throw new UrlError('missing \']\' in host')
    const colonPort = host.slice(end + 1)
    if (!/^(:\d*)?$/.test(colonPort)) throw new UrlError(`invalid port ${quote(colonPort)} after host`)
    return host
  }
  const i = host.lastIndexOf(':')
  if (i >= 0 && !/^:\d*$/.test(host.slice(i))) throw new UrlError(`invalid port ${quote(host.slice(i))} after host`)
  const bad = /[^A-Za-z0-9\-._~!$&'()*+,;=:%\[\]]/.exec(host)
  if (bad && bad[0].charCodeAt(0) < 0x80) throw new UrlError(`invalid character ${quote(bad[0])} in host name`)
  return unescape(host)
}

function scheme(raw: string): [string, string] {
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]
    if (/[A-Za-z]/.test(c)) continue
    if (/[0-9+\-.]/.test(c)) {
      if (i === 0) return ['', raw]
      continue
    }
    if (c === ':') {
      if (i === 0) throw new UrlError('missing protocol scheme')
      return [raw.slice(0, i), raw.slice(i + 1)]
    }
    return ['', raw]
  }
  return ['', raw]
}

/** Go's url.Parse; throws an Error whose message is Go's `parse "<url>": <reason>`. */
export function parseGoUrl(raw: string): GoUrl {
  const hash = raw.indexOf('#')
  const withoutFragment = hash < 0 ? raw : raw.slice(0, hash)
  try {
    if (CTL.test(withoutFragment)) throw new UrlError('net/url: invalid control character in URL')
    const [rawScheme, afterScheme] = scheme(withoutFragment)
    let rest = afterScheme
    let rawQuery = ''
    if (!(rest.endsWith('?') && rest.split('?').length === 2)) {
      const q = rest.indexOf('?')
      if (q >= 0) [rest, rawQuery] = [rest.slice(0, q), rest.slice(q + 1)]
    } else rest = rest.slice(0, -1)
    const url: GoUrl = {fragment: '', hasUser: false, host: '', path: '', rawQuery, scheme: rawScheme.toLowerCase()}
    if (!rest.startsWith('/')) {
      if (rawScheme !== '') return withFragment(url, raw, hash)
      const colon = rest.indexOf(':')
      const slash = rest.indexOf('/')
      if (colon >= 0 && (slash < 0 || colon < slash)) throw new UrlError('first path segment in URL cannot contain colon')
    }
    if ((rawScheme !== '' || !rest.startsWith('///')) && rest.startsWith('//')) {
      const authorityEnd = rest.indexOf('/', 2)
      const authority = authorityEnd < 0 ? rest.slice(2) : rest.slice(2, authorityEnd)
      rest = authorityEnd < 0 ? '' : rest.slice(authorityEnd)
      const at = authority.lastIndexOf('@')
      if (at >= 0) {
        if (/[^A-Za-z0-9\-._:~!$&'()*+,;=%@]/.test(authority.slice(0, at))) throw new UrlError('net/url: invalid userinfo')
        url.hasUser = true
      }
      url.host = parseHost(authority.slice(at + 1))
    }
    url.path = unescape(rest)
    return withFragment(url, raw, hash)
  } catch (error) {
    if (error instanceof UrlError && !(error as UrlError & {whole?: boolean}).whole) throw new Error(`parse ${quote(withoutFragment)}: ${error.message}`)
    if (error instanceof UrlError) throw new Error(`parse ${quote(raw)}: ${error.message}`)
    throw error
  }
}

function withFragment(url: GoUrl, raw: string, hash: number): GoUrl {
  if (hash < 0) return url
  try {
    url.fragment = unescape(raw.slice(hash + 1))
  } catch (error) {
    // Go names the whole input when only the fragment is bad.
    throw Object.assign(error as UrlError, {whole: true})
  }
  return url
}
