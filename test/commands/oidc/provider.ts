// A real OpenID provider (the oidc-provider package) on 127.0.0.1 over HTTPS with a CA made by openssl, plus a
// scripted "browser" that follows redirects and submits the login and consent forms as a person would.
import {execFileSync} from 'node:child_process'
import {readFileSync, writeFileSync} from 'node:fs'
import {createServer as createHttpsServer, request as httpsRequest, type Server} from 'node:https'
import {request as httpRequest} from 'node:http'
import {join} from 'node:path'

export interface TestPki {
  caFile: string
  ca: string
  cert: string
  key: string
}

/** A CA and a server certificate for 127.0.0.1, made by openssl in `dir`. */
export function makePki(dir: string, name = 'issuer'): TestPki {
  const p = (f: string) => join(dir, `${name}-${f}`)
  const run = (args: string[]) => execFileSync('openssl', args, {stdio: 'pipe'})
  run(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', p('ca.key'), '-out', p('ca.crt'), '-subj', `/CN=${name} test CA`, '-days', '2'])
  run(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', p('srv.key'), '-out', p('srv.csr'), '-subj', '/CN=127.0.0.1'])
  writeFileSync(p('ext.cnf'), 'subjectAltName=IP:127.0.0.1\n')
  run(['x509', '-req', '-in', p('srv.csr'), '-CA', p('ca.crt'), '-CAkey', p('ca.key'), '-CAcreateserial', '-out', p('srv.crt'), '-days', '2', '-extfile', p('ext.cnf')])
  const read = (f: string) => readFileSync(p(f), 'utf8')
  return {ca: read('ca.crt'), caFile: p('ca.crt'), cert: read('srv.crt'), key: read('srv.key')}
}

export interface TestProvider {
  issuer: string
  provider: any
  /** Seconds an id_token lives; change it between logins. */
  settings: {idTokenTtl: number}
  /** Requests seen per path (e.g. "/auth", "/token"). */
  hits: Map<string, number>
  close(): Promise<void>
}

/** An HTTPS server on 127.0.0.1:0 answering with `handler` (for the bad-discovery cases). */
export async function startHttps(pki: TestPki, handler: Parameters<typeof createHttpsServer>[1]): Promise<{server: Server; url: string; close(): Promise<void>}> {
  const server = createHttpsServer({cert: pki.cert, key: pki.key}, handler)
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const url = `https://127.0.0.1:${(server.address() as {port: number}).port}`
  return {
    close: () => new Promise((r) => {
      server.close(() => r())
      server.closeAllConnections()
    }),
    server,
    url,
  }
}

export async function startProvider(pki: TestPki): Promise<TestProvider> {
  const {default: Provider} = await import('oidc-provider')
  const jose = await import('jose')
  const {privateKey} = await jose.generateKeyPair('RS256', {extractable: true})
  const jwk = {...(await jose.exportJWK(privateKey)), alg: 'RS256', kid: 'test', use: 'sig'}
  let app: any
  const https = await startHttps(pki, (req, res) => app(req, res))
  const settings = {idTokenTtl: 3600}
  const hits = new Map<string, number>()
  const provider = new Provider(https.url, {
    claims: {email: ['email', 'email_verified'], groups: ['groups'], openid: ['sub']},
    clients: [
      {
        application_type: 'native',
        client_id: 'kubernetes',
        grant_types: ['authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code'],
        redirect_uris: ['http://127.0.0.1/'],
        response_types: ['code'],
        token_endpoint_auth_method: 'none',
      },
      {client_id: 'ci', client_secret: 'ci-secret', grant_types: ['client_credentials'], redirect_uris: [], response_types: []},
    ],
    conformIdTokenClaims: false,
    cookies: {keys: ['authctl-test-cookie-key']},
    features: {
      clientCredentials: {enabled: true},
      devInteractions: {enabled: true},
      deviceFlow: {
        enabled: true,
        successSource: (ctx: any) => void (ctx.body = '<html><body>Sign-in Success</body></html>'),
        userCodeConfirmSource: (ctx: any, form: string) => void (ctx.body = `<html><body>${form}</body></html>`),
        userCodeInputSource: (ctx: any, form: string) => void (ctx.body = `<html><body>${form}</body></html>`),
      },
      resourceIndicators: {
        defaultResource: () => undefined,
        enabled: true,
        // urn:kubernetes issues tokens for the "ci" audience; any other resource for someone else's API.
        getResourceServerInfo: (_ctx: unknown, resource: string) => ({
          accessTokenFormat: 'jwt',
          audience: resource === 'urn:kubernetes' ? 'ci' : 'billing-api',
          jwt: {sign: {alg: 'RS256'}},
          scope: 'kube',
        }),
      },
      revocation: {enabled: true},
    },
    findAccount: (_ctx: unknown, id: string) => ({
      accountId: id,
      claims: () => ({email: `${id}@example.com`, email_verified: true, groups: ['developers', 'oncall'], sub: id}),
    }),
    jwks: {keys: [jwk]},
    pkce: {required: () => true},
    renderError: (ctx: any, out: any) => {
      ctx.type = 'html'
      ctx.body = `<html><body>${out.error}: ${out.error_description}</body></html>`
    },
    scopes: ['openid', 'offline_access', 'email', 'groups'],
    // Every ttl is set so the provider does not print a notice per default.
    ttl: {
      AccessToken: 3600,
      ClientCredentials: 600,
      DeviceCode: 600,
      Grant: 3600,
      IdToken: () => settings.idTokenTtl,
      Interaction: 600,
      RefreshToken: 86_400,
      Session: 3600,
    },
  } as any)
  provider.use(async (ctx: any, next: () => Promise<void>) => {
    hits.set(ctx.path, (hits.get(ctx.path) ?? 0) + 1)
    await next()
    // Poll every second instead of the RFC default of 5 s to keep the suite quick.
    if (ctx.path === '/device/auth' && ctx.status === 200) ctx.body = {...ctx.body, interval: 1}
  })
  app = provider.callback()
  return {close: https.close, hits, issuer: https.url, provider, settings}
}

interface Response {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
  url: string
}

function send(url: URL, method: string, headers: Record<string, string>, body: string | undefined, ca: string): Promise<Response> {
  return new Promise((resolve, reject) => {
    const req = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, {ca, headers, method} as any, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({body: Buffer.concat(chunks).toString(), headers: res.headers, status: res.statusCode ?? 0, url: url.href}))
    })
    req.on('error', reject)
    req.end(body)
  })
}

/**
 * Plays the browser: follows redirects, keeps cookies, fills "login"/"password" and submits each page's form until
 * a page without a form (the loopback listener's answer or the device flow's success page).
 */
export async function browse(start: string, ca: string, login = 'alice'): Promise<Response> {
  const jar = new Map<string, string>()
  let url = new URL(start)
  let method = 'GET'
  let body: string | undefined
  for (let step = 0; step < 25; step++) {
    const headers: Record<string, string> = {cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ')}
    if (body !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded'
    const res = await send(url, method, headers, body, ca)
    for (const c of [res.headers['set-cookie'] ?? []].flat()) {
      const [pair] = c.split(';')
      const eq = pair.indexOf('=')
      const [name, value] = [pair.slice(0, eq), pair.slice(eq + 1)]
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(c)) jar.delete(name)
      else jar.set(name, value)
    }
    if (res.status >= 300 && res.status < 400 && res.headers.location) {
      url = new URL(String(res.headers.location), url)
      method = 'GET'
      body = undefined
      continue
    }
    const form = /<form[^>]*action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/i.exec(res.body) ?? /<form[^>]*>([\s\S]*?)<\/form>/i.exec(res.body)
    if (res.status !== 200 || !form) return res
    const action = /action="([^"]*)"/i.exec(form[0])![1].replaceAll('&amp;', '&')
    const fields = new URLSearchParams()
    for (const input of form[0].matchAll(/<input\b[^>]*>/gi)) {
      const name = /name="([^"]*)"/i.exec(input[0])?.[1]
      if (!name) continue
      const value = /value="([^"]*)"/i.exec(input[0])?.[1]
      fields.set(name, name === 'login' ? login : name === 'password' ? 'any-password' : (value ?? ''))
    }
    url = new URL(action, url)
    method = 'POST'
    body = fields.toString()
  }
  throw new Error(`browser did not finish after 25 steps (at ${url.href})`)
}
