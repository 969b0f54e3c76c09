import type {Handler} from '../../cli/handler.js'
import {formatTable} from '../../lib/output/render.js'
import {MATRIX_VERBS, matrix, matrixRows, policyResources} from '../../lib/rbac/matrix.js'
import {splitResource} from '../../lib/rbac/request.js'
import {namespaceFromFlags, policyStore, userFromFlags} from './common.js'

const rbacMatrix: Handler = async ({flags}, io) => {
  const user = userFromFlags(flags)
  const namespace = namespaceFromFlags(flags)
  const store = await policyStore(flags, io)
  const verbs: string[] = flags.verb?.length ? flags.verb : MATRIX_VERBS
  const resources = flags.resource?.length
    ? (flags.resource as string[]).map((r) => {
      const slash = r.indexOf('/')
      const {group, resource} = splitResource(slash < 0 ? r : r.slice(0, slash))
      return {group, resource: slash < 0 ? resource : `${resource}/${r.slice(slash + 1)}`}
    })
    : policyResources(store)
  const rows = matrix(store, user, namespace, resources, verbs)
  io.out(formatTable(['NAME', ...verbs.map((v) => v.toUpperCase())], matrixRows(rows, verbs)))
  return {document: {namespace, rows, user, verbs}}
}

export default rbacMatrix
