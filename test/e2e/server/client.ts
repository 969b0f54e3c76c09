// A tiny HTTPS client for server tests: client certificates, bearer tokens, extra headers, raw bodies.
import {request} from 'node:https'

export interface Call {
  method?: string
  path: string
  body?: string | Buffer
  contentType?: string
  headers?: Record<string, string | string[]>
  cert?: string
  key?: string
  token?: string
  accept?: string
}

export interface Answer {
  code: number
  headers: Record<string, string | string[] | undefined>
  text: string
  json: any
}

export function call(url: string, ca: string, c: Call): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | string[]> = {...(c.headers ?? {})}
    if (c.token !== undefined) headers.Authorization = `Bearer ${c.token}`
    if (c.body !== undefined) headers['Content-Type'] = c.contentType ?? 'application/json'
    if (c.accept) headers.Accept = c.accept
    const req = request(`${url}${c.path}`, {agent: false, ca, cert: c.cert, headers, key: c.key, method: c.method ?? (c.body === undefined ? 'GET' : 'POST')}, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (d) => chunks.push(d))
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString()
        let json: any
        try {
          json = JSON.parse(text)
        } catch {
          json = undefined
        }
        resolve({code: res.statusCode ?? 0, headers: res.headers, json, text})
      })
    })
    req.on('error', reject)
    req.end(c.body)
  })
}
