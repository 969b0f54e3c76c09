import {emit, type Handler} from '../../cli/handler.js'
import type RbacWhoCan from '../../commands/rbac/who-can.js'
import {formatTable} from '../../lib/output/render.js'
import {whoCan, whoCanRows} from '../../lib/rbac/who-can.js'
import {attributesFromArgs, discoveryFromFlags, policyStore} from './common.js'

const rbacWhoCan: Handler<typeof RbacWhoCan> = async ({argv, flags}, io) => {
  const {user: _user, ...request} = attributesFromArgs(argv, flags, {groups: [], username: ''}, await discoveryFromFlags(flags, io), io)
  const store = await policyStore(flags, io)
  const result = whoCan(store, request)
  for (const e of result.errors) io.err(`Warning: ${e}\n`)
  const document = {...result, request}
  await emit(io, flags.output, document, () => formatTable(['KIND', 'NAME', 'BINDING', 'ROLE'], whoCanRows(result), {noHeaders: flags.noHeaders}))
  return {document}
}

export default rbacWhoCan
