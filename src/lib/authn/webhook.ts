// Webhook token authentication (AS plugin/pkg/authenticator/token/webhook): POST a TokenReview to the URL in a
// kubeconfig (the exact `server`), authenticated with its CA and client credentials; answers are cached (2m default,
// success and failure alike).
import {readFile} from 'node:fs/promises'
import {dirname, resolve} from 'node:path'

import {unmarshalError} from '../go/json.js'
import {parseJson} from '../net/client.js'
import {loadYaml} from '../output/yaml.js'
import {authnClient} from './https.js'
import type {AuthResult, TokenAuthenticator} from './types.js'

export interface WebhookTarget {
  server: string
  ca?: string
  cert?: string
  key?: string
  token?: string
}

async function material(base: string, data: unknown, file: unknown): Promise<string | undefined> {
  if (typeof data === 'string' && data) return Buffer.from(data, 'base64').toString('utf8')
  if (typeof file === 'string' && file) return readFile(resolve(base, file), 'utf8')
  return undefined
}

/** Reads the webhook kubeconfig: current-context (or the first context/cluster/user) decides the entry. */
export async function loadWebhookConfig(path: string): Promise<WebhookTarget> {
  const {parse} = await loadYaml()
  const doc = parse(await readFile(path, 'utf8')) ?? {}
  const base = dirname(path)
  const context = (doc.contexts ?? []).find((c: any) => c.name === doc['current-context'])?.context ?? doc.contexts?.[0]?.context ?? {}
  const cluster = ((doc.clusters ?? []).find((c: any) => c.name === context.cluster) ?? doc.clusters?.[0])?.cluster
  const user = ((doc.users ?? []).find((u: any) => u.name === context.user) ?? doc.users?.[0])?.user ?? {}
  if (!cluster?.server) throw new Error(`webhook config ${JSON.stringify(path)}: no cluster server URL`)
  return {
    ca: await material(base, cluster['certificate-authority-data'], cluster['certificate-authority']),
    cert: await material(base, user['client-certificate-data'], user['client-certificate']),
    key: await material(base, user['client-key-data'], user['client-key']),
    server: cluster.server,
    token: user.token,
  }
}

export interface WebhookOptions {
  target: WebhookTarget
  /** authentication.k8s.io version of the TokenReview sent (kube-apiserver's default is v1beta1). */
  version?: 'v1' | 'v1beta1'
  cacheTtlMs?: number
  apiAudiences?: string[]
}

export function webhookAuthenticator(options: WebhookOptions): TokenAuthenticator {
  const cache = new Map<string, {expires: number; result: AuthResult}>()
  const ttl = options.cacheTtlMs ?? 120_000
  const {ca, cert, key, server, token: bearer} = options.target
  const client = authnClient({ca, cert, key})
  return {
    async authenticateToken(token, audiences): Promise<AuthResult> {
      const wanted = audiences?.length ? audiences : (options.apiAudiences ?? [])
      const key = `${token}\u0000${wanted.join(',')}`
      const hit = cache.get(key)
      if (hit && hit.expires > Date.now()) return hit.result
      const review = {apiVersion: `authentication.k8s.io/${options.version ?? 'v1beta1'}`, kind: 'TokenReview', spec: {token, ...(wanted.length ? {audiences: wanted} : {})}}
      const res = await client.request(server, {
        body: JSON.stringify(review),
        headers: {Accept: 'application/json', 'Content-Type': 'application/json', ...(bearer ? {Authorization: `Bearer ${bearer}`} : {})},
        method: 'POST',
      })
      const json = parseJson(res.body)
      if (json === undefined) throw new Error(`${server}: response is not JSON (HTTP ${res.status})`)
      if (res.status < 200 || res.status >= 300) throw new Error(`webhook: the server responded with HTTP ${res.status}`)
      const s = tokenReviewStatus(json?.status)
      let result: AuthResult
      if (!s.authenticated) result = s.error ? {error: s.error} : undefined
      else {
        const granted = s.audiences.length ? s.audiences : wanted
        if (wanted.length && !granted.some((a) => wanted.includes(a))) result = undefined
        else {
          const u = s.user
          result = {audiences: granted, user: {groups: u.groups, username: u.username, ...(u.uid ? {uid: u.uid} : {}), ...(u.extra ? {extra: u.extra} : {})}}
        }
      }
      if (ttl > 0) {
        // Bounded: drop the oldest entry rather than grow with every distinct token seen.
        if (cache.size >= 10_000) cache.delete(cache.keys().next().value!)
        cache.set(key, {expires: Date.now() + ttl, result})
      }
      return result
    },
    name: 'webhook',
  }
}

interface TokenReviewStatus {
  authenticated: boolean
  error: string
  audiences: string[]
  user: {username: string; uid: string; groups: string[]; extra?: Record<string, string[]>}
}

/**
 * The answer's status, typed as kube-apiserver decodes it: a field of the wrong JSON type (`"authenticated": "false"`,
 * a string of groups) fails the review with encoding/json's error instead of being read loosely.
 */
function tokenReviewStatus(status: unknown): TokenReviewStatus {
  const field = (name: string) => `TokenReviewStatus.status.${name}`
  const object = (value: unknown, name: string, goType: string): Record<string, unknown> => {
    if (value === undefined || value === null) return {}
    if (typeof value !== 'object' || Array.isArray(value)) throw new Error(unmarshalError(value, goType, name))
    return value as Record<string, unknown>
  }
  const text = (value: unknown, name: string): string => {
    if (value === undefined || value === null) return ''
    if (typeof value !== 'string') throw new Error(unmarshalError(value, 'string', name))
    return value
  }
  const texts = (value: unknown, name: string): string[] => {
    if (value === undefined || value === null) return []
    if (!Array.isArray(value)) throw new Error(unmarshalError(value, '[]string', name))
    return value.map((v) => text(v, name))
  }
  const s = object(status, 'TokenReview.status', 'v1.TokenReviewStatus')
  if (s.authenticated !== undefined && s.authenticated !== null && typeof s.authenticated !== 'boolean') {
    throw new Error(unmarshalError(s.authenticated, 'bool', field('authenticated')))
  }
  const u = object(s.user, field('user'), 'v1.UserInfo')
  const extraIn = object(u.extra, 'UserInfo.user.extra', 'map[string]v1.ExtraValue')
  const extra = Object.fromEntries(Object.entries(extraIn).map(([k, v]) => [k, texts(v, 'UserInfo.user.extra')]))
  return {
    audiences: texts(s.audiences, field('audiences')),
    authenticated: s.authenticated === true,
    error: text(s.error, field('error')),
    user: {
      ...(u.extra === undefined || u.extra === null ? {} : {extra}),
      groups: texts(u.groups, 'UserInfo.user.groups'),
      uid: text(u.uid, 'UserInfo.user.uid'),
      username: text(u.username, 'UserInfo.user.username'),
    },
  }
}
