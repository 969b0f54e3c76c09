import {emit, type Handler} from '../../cli/handler.js'
import type RbacExplain from '../../commands/rbac/explain.js'
import {explain, explanationText} from '../../lib/rbac/explain.js'
import {describeRequest} from '../../lib/rbac/request.js'
import {attributesFromArgs, discoveryFromFlags, policyStore, userFromFlags} from './common.js'

const rbacExplain: Handler<typeof RbacExplain> = async ({argv, flags}, io) => {
  const user = userFromFlags(flags)
  const attributes = attributesFromArgs(argv, flags, user, await discoveryFromFlags(flags, io), io)
  const store = await policyStore(flags, io)
  const explanation = explain(store, attributes)
  const {user: _user, ...request} = attributes
  const document = {...explanation, request, user}
  await emit(io, flags.output, document, () => explanationText(explanation, describeRequest(attributes), user, io.style.out))
  return {document, exitCode: explanation.allowed ? 0 : 1}
}

export default rbacExplain
