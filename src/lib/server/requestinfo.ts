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
  parts: string[]
}

const methodVerbs: Record<string, string> = {DELETE: 'delete', GET: 'get', HEAD: 'get', PATCH: 'patch', POST: 'create', PUT: 'update'}
const SPECIAL_VERBS = new Set(['proxy', 'watch'])
const NAMESPACE_SUBRESOURCES = new Set(['finalize', 'status'])

export function requestInfo(method: string, rawUrl: string): RequestInfo {
  const url = new URL(rawUrl, 'https://x')
  const path = url.pathname
  const nonResource: RequestInfo = {
    apiGroup: '', apiVersion: '', isResourceRequest: false, name: '', namespace: '', parts: [], path, resource: '', subresource: '',
    verb: method.toLowerCase(),
  }
  let parts = path.replace(/^\/+|\/+$/g, '').split('/')
  if (parts.length < 3 || (parts[0] !== 'api' && parts[0] !== 'apis')) return nonResource
  const info: RequestInfo = {...nonResource, apiPrefix: parts[0], isResourceRequest: true}
  parts = parts.slice(1)
  if (info.apiPrefix === 'apis') {
    if (parts.length < 3) return nonResource
    info.apiGroup = parts[0]
    parts = parts.slice(1)
  }
  info.apiVersion = parts[0]
  parts = parts.slice(1)
  if (SPECIAL_VERBS.has(parts[0])) {
    if (parts.length < 2) return nonResource
    info.verb = parts[0]
    parts = parts.slice(1)
  } else info.verb = methodVerbs[method] ?? ''

  if (parts[0] === 'namespaces') {
    if (parts.length > 1) {
      info.namespace = parts[1]
      if (parts.length > 2 && !NAMESPACE_SUBRESOURCES.has(parts[2])) parts = parts.slice(2)
    }
  }
  info.parts = parts
  if (parts.length >= 3 && info.verb !== 'proxy') info.subresource = parts[2]
  if (parts.length >= 2) info.name = parts[1]
  if (parts.length >= 1) info.resource = parts[0]

  if (!info.name && info.verb === 'get') {
    info.verb = url.searchParams.get('watch') === 'true' || url.searchParams.get('watch') === '1' ? 'watch' : 'list'
    const field = url.searchParams.get('fieldSelector')?.match(/^metadata\.name==?([^,]+)$/)
    if (field) info.name = field[1]
  }
  if (!info.name && info.verb === 'delete') info.verb = 'deletecollection'
  return info
}
