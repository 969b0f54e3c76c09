import {emit, type Handler} from '../../cli/handler.js'
import type RbacMatrix from '../../commands/rbac/matrix.js'
import {formatTable} from '../../lib/output/render.js'
import {MATRIX_VERBS, matrix, matrixRows, policyResources} from '../../lib/rbac/matrix.js'
import {resolveType} from '../../lib/rbac/request.js'
import {discoveryFromFlags, namespaceFromFlags, policyStore, printWarnings, userFromFlags} from './common.js'

const rbacMatrix: Handler<typeof RbacMatrix> = async ({flags}, io) => {
  const user = userFromFlags(flags)
  const namespace = namespaceFromFlags(flags)
  const discovery = await discoveryFromFlags(flags, io)
  const warnings: string[] = []
  // --resource TYPE[.GROUP][/SUBRESOURCE]: TYPE resolved as kubectl would, the subresource kept.
  const given = (flags.resource as string[] | undefined)?.map((r) => {
    const slash = r.indexOf('/')
    const {group, resource} = resolveType(slash < 0 ? r : r.slice(0, slash), {discovery, warnings})
    return {group, resource: slash < 0 ? resource : `${resource}/${r.slice(slash + 1)}`}
  })
  printWarnings(io, warnings)
  const store = await policyStore(flags, io)
  const verbs: string[] = flags.verb?.length ? flags.verb : MATRIX_VERBS
  const rows = matrix(store, user, namespace, given?.length ? given : policyResources(store), verbs)
  const document = {namespace, rows, user, verbs}
  await emit(io, flags.output, document, () => formatTable(['NAME', ...verbs.map((v) => v.toUpperCase())], matrixRows(rows, verbs)))
  return {document}
}

export default rbacMatrix
