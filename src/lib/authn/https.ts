// Small HTTPS JSON calls for authenticators that talk to other servers (OIDC discovery/JWKS, token webhooks), with
// a custom CA bundle and optional client certificate, a timeout and a response size cap.
import {request} from 'node:https'

export interface HttpsJsonOptions {
  ca?: string
  cert?: string
  key?: string
  token?: string
  method?: 'GET' | 'POST'
  body?: unknown
  timeoutMs?: number
}

export function httpsJson(url: string, options: HttpsJsonOptions = {}): Promise<{status: number; json: any}> {
  return new Promise((resolve, reject) => {
    const body = options.body === undefined ? undefined : JSON.stringify(options.body)
    const req = request(url, {
      ca: options.ca, cert: options.cert, key: options.key, method: options.method ?? 'GET', timeout: options.timeoutMs ?? 30_000,
      headers: {Accept: 'application/json', ...(body ? {'Content-Type': 'application/json'} : {}), ...(options.token ? {Authorization: `Bearer ${options.token}`} : {})},
    }, (res) => {
      const chunks: Buffer[] = []
      let size = 0
      res.on('data', (d: Buffer) => {
        size += d.length
        if (size > 4 * 1024 * 1024) req.destroy(new Error(`response from ${url} is too large`))
        else chunks.push(d)
      })
      res.on('end', () => {
        try {
          resolve({json: JSON.parse(Buffer.concat(chunks).toString('utf8')), status: res.statusCode ?? 0})
        } catch {
          reject(new Error(`${url}: response is not JSON (HTTP ${res.statusCode})`))
        }
      })
    })
    req.on('timeout', () => req.destroy(new Error(`${url}: timed out`)))
    req.on('error', reject)
    req.end(body)
  })
}
