// A JWT issuer's discovery and JWKS over real HTTPS on 127.0.0.1 (the test CA of test/commands/oidc/provider.ts), for
// the authentication configuration tests: /<name>/.well-known/openid-configuration names issuer(name) of the shared
// token table, or this server's own /<name> URL for names starting with "self-"; /jwks serves the keys.
import {startHttps, type TestPki} from '../commands/oidc/provider.js'
import {issuer} from './authn-tables.js'

export async function startIssuers(pki: TestPki, jwks: () => unknown) {
  const hits = new Map<string, number>()
  /** Issuer names whose discovery answers 503 (an issuer that is down). */
  const down = new Set<string>()
  const server = await startHttps(pki, (req, res) => {
    const path = (req.url ?? '/').split('?')[0]
    hits.set(path, (hits.get(path) ?? 0) + 1)
    const m = /^\/([\w-]+)\/\.well-known\/openid-configuration$/.exec(path)
    res.setHeader('Content-Type', 'application/json')
    if (m && down.has(m[1])) {
      res.statusCode = 503
      return res.end('{}')
    }
    if (m) return res.end(JSON.stringify({issuer: m[1].startsWith('self-') ? `${server.url}/${m[1]}` : issuer(m[1]), jwks_uri: `${server.url}/jwks`}))
    if (path === '/jwks') return res.end(JSON.stringify(jwks()))
    res.statusCode = 404
    res.end('{}')
  })
  return {...server, down, hits}
}

/** Issuer fields that send an issuer's discovery to this server: its discoveryURL and the test CA. */
export const discovery = (url: string, ca: string) => (name: string) => ({certificateAuthority: ca, discoveryURL: `${url}/${name}/.well-known/openid-configuration`})
