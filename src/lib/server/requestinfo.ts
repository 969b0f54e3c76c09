// Request classification as k8s.io/apiserver's RequestInfoFactory: which requests are resource requests, their
// namespace/resource/subresource/name, and the verb RBAC sees.
export interface RequestInfo {
  isResourceRequest: boolean
  path: string
  verb: string
  apiPrefix?: string
  apiGroup: string
  apiVersion: string
  namespace: string
  resource: string
  subresource: string
  name: string
  parts: readonly string[]
}

const methodVerbs: Record<string, string> = {DELETE: 'delete', GET: 'get', HEAD: 'get', PATCH: 'patch', POST: 'create', PUT: 'update'}
const SPECIAL_VERBS = new Set(['proxy', 'watch'])
const NAMESPACE_SUBRESOURCES = new Set(['finalize', 'status'])

/** The query parameter `name` of a request URI (first occurrence), without building a URL object per request. */
function queryParam(query: string, name: string): string | undefined {
  for (const pair of query.split('&')) {
    const eq = pair.indexOf('=')
    const key = eq < 0 ? pair : pair.slice(0, eq)
    if (key !== name) continue
    try {
      return decodeURIComponent((eq < 0 ? '' : pair.slice(eq + 1)).replace(/\+/g, ' '))
    } catch {
      return undefined
    }
  }
  return undefined
}

function nonResource(method: string, path: string): RequestInfo {
  return {apiGroup: '', apiVersion: '', isResourceRequest: false, name: '', namespace: '', parts: [], path, resource: '', subresource: '', verb: method.toLowerCase()}
}

// Clients repeat the same few request lines (kubectl, controllers polling one path), so classifications are remembered,
// a bounded number of them, as frozen objects shared by the requests that have the same method and URI.
const remembered = new Map<string, Readonly<RequestInfo>>()
const MAX_REMEMBERED = 1024

export function requestInfo(method: string, rawUrl: string): Readonly<RequestInfo> {
  const key = `${method} ${rawUrl}`
  let info = remembered.get(key)
  if (!info) {
    if (remembered.size >= MAX_REMEMBERED) remembered.clear()
    remembered.set(key, (info = Object.freeze(classify(method, rawUrl))))
  }
  return info
}

function classify(method: string, rawUrl: string): RequestInfo {
  const q = rawUrl.indexOf('?')
  const path = q < 0 ? rawUrl : rawUrl.slice(0, q)
  const query = q < 0 ? '' : rawUrl.slice(q + 1)
  // strings.Split(strings.Trim(path, "/"), "/")
  let start = 0
  let end = path.length
  while (start < end && path[start] === '/') start++
  while (end > start && path[end - 1] === '/') end--
  let parts = path.slice(start, end).split('/')
  if (parts.length < 3 || (parts[0] !== 'api' && parts[0] !== 'apis')) return nonResource(method, path)
  const apiPrefix = parts[0]
  parts = parts.slice(1)
  let apiGroup = ''
  if (apiPrefix === 'apis') {
    if (parts.length < 3) return nonResource(method, path)
    apiGroup = parts[0]
    parts = parts.slice(1)
  }
  const apiVersion = parts[0]
  parts = parts.slice(1)
  let verb: string
  if (SPECIAL_VERBS.has(parts[0])) {
    if (parts.length < 2) return nonResource(method, path)
    verb = parts[0]
    parts = parts.slice(1)
  } else verb = methodVerbs[method] ?? ''

  let namespace = ''
  if (parts[0] === 'namespaces' && parts.length > 1) {
    namespace = parts[1]
    if (parts.length > 2 && !NAMESPACE_SUBRESOURCES.has(parts[2])) parts = parts.slice(2)
  }
  const subresource = parts.length >= 3 && verb !== 'proxy' ? parts[2] : ''
  let name = parts.length >= 2 ? parts[1] : ''
  const resource = parts.length >= 1 ? parts[0] : ''

  if (!name && verb === 'get') {
    const watch = queryParam(query, 'watch')
    verb = watch === 'true' || watch === '1' ? 'watch' : 'list'
    const field = queryParam(query, 'fieldSelector')?.match(/^metadata\.name==?([^,]+)$/)
    if (field) name = field[1]
  }
  if (!name && verb === 'delete') verb = 'deletecollection'
  return {apiGroup, apiPrefix, apiVersion, isResourceRequest: true, name, namespace, parts, path, resource, subresource, verb}
}
