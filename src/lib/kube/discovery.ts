// API discovery the way kubectl's RESTMapper sees it: aggregated discovery (apidiscovery.k8s.io/v2, asked for with
// kubectl's Accept header) in one round trip per root, or the legacy /api + /apis + per-group-version documents.
import {AuthctlError} from '../output/errors.js'
import type {KubeClient, KubeResponse} from './client.js'
import {StatusError, statusFromResponse} from './errors.js'
import {type ApiResource, type Discovery, fromAggregated, fromResourceList} from '../api/resources.js'

export type {ApiResource, Discovery} from '../api/resources.js'

export const AGGREGATED_ACCEPT =
  'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json'

function isAggregated(res: KubeResponse): boolean {
  const [type, ...params] = String(res.headers['content-type'] ?? '').split(';').map((p) => p.trim())
  if (type !== 'application/json') return false
  const p = Object.fromEntries(params.map((kv) => kv.split('=').map((s) => s.trim())))
  return p.g === 'apidiscovery.k8s.io' && (p.v === 'v2' || p.v === 'v2beta1') && p.as === 'APIGroupDiscoveryList'
}

async function getJson(client: KubeClient, path: string): Promise<any> {
  return client.request({method: 'GET', path})
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/**
 * Fetches discovery. Like client-go: a failing /api is tolerated, a failing /apis is reported, failing group
 * versions are skipped. Connection and credential failures (AuthctlError) and a 401 or 403 (StatusError) are thrown.
 */
export async function discover(client: KubeClient): Promise<Discovery> {
  const errors: string[] = []
  const resources: ApiResource[] = []
  const roots: Array<[string, 'core' | 'groups']> = [['/api', 'core'], ['/apis', 'groups']]
  const legacy: Array<{path: string; group: string; version: string}> = []
  for (const [path, kind] of roots) {
    const res = await client.raw({accept: AGGREGATED_ACCEPT, method: 'GET', path})
    // kubectl stops when discovery is refused outright (401, or 403 e.g. for a forbidden impersonation).
    if (res.statusCode === 401 || res.statusCode === 403) {
      throw new StatusError(statusFromResponse(res.statusCode, res.body, String(res.headers['content-type'] ?? ''), 'GET'), res.statusCode)
    }
    if (res.statusCode < 200 || res.statusCode > 299) {
      if (kind === 'groups') errors.push(`couldn't get current server API group list: the server returned HTTP ${res.statusCode} for GET ${path}`)
      continue
    }
    let doc: any
    try {
      doc = JSON.parse(res.body)
    } catch {
      errors.push(`couldn't get current server API group list: GET ${path} did not return JSON`)
      continue
    }
    if (isAggregated(res)) {
      resources.push(...fromAggregated(doc))
    } else if (kind === 'core') {
      for (const v of doc?.versions ?? []) legacy.push({group: '', path: `/api/${v}`, version: v})
    } else {
      for (const g of doc?.groups ?? []) {
        const preferred = g?.preferredVersion?.version
        const versions: string[] = (g?.versions ?? []).map((v: any) => v.version)
        for (const v of [...versions.filter((x) => x === preferred), ...versions.filter((x) => x !== preferred)]) {
          legacy.push({group: g.name, path: `/apis/${g.name}/${v}`, version: v})
        }
      }
    }
  }
  const lists = await Promise.all(
    legacy.map(async ({group, path, version}) => {
      try {
        return fromResourceList(await getJson(client, path), group, version)
      } catch (error) {
        if (error instanceof AuthctlError) throw error
        errors.push(`unable to retrieve the complete list of server APIs: ${group ? group + '/' : ''}${version}: ${describe(error)}`)
        return []
      }
    }),
  )
  for (const list of lists) resources.push(...list)
  return {errors, resources}
}

/**
 * Whether a resolved resource is namespaced, from the uncached group-version document kubectl reads on every
 * can-i call. undefined when that document is unavailable or does not list the resource (kubectl stays silent).
 */
export async function isNamespaced(client: KubeClient, group: string, version: string, resource: string): Promise<boolean | undefined> {
  if (resource === '*') return true
  if (!version) return undefined
  const path = group ? `/apis/${group}/${version}` : `/api/${version}`
  try {
    const list = await getJson(client, path)
    const found = (list?.resources ?? []).find((r: any) => r?.name === resource)
    return found ? Boolean(found.namespaced) : undefined
  } catch (error) {
    if (error instanceof AuthctlError) throw error
    return undefined
  }
}
