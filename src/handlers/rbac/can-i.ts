import type {Handler} from '../../cli/handler.js'
import {answerLine} from '../../lib/access-answer.js'
import {authorize} from '../../lib/rbac/authorize.js'
import {attributesFromArgs, discoveryFromFlags, policyStore, userFromFlags} from './common.js'

const rbacCanI: Handler = async ({argv, flags}, io) => {
  const user = userFromFlags(flags)
  const attributes = attributesFromArgs(argv, flags, user, await discoveryFromFlags(flags, io), io)
  const store = await policyStore(flags, io)
  const decision = authorize(store, attributes)
  const allowed = decision.decision === 'Allow'
  if (!flags.quiet) io.out(answerLine({allowed, evaluationError: decision.error, reason: decision.reason}))
  const {user: _user, ...request} = attributes
  return {
    document: {allowed, ...(decision.reason ? {reason: decision.reason} : {}), ...(decision.error ? {evaluationError: decision.error} : {}), request, user},
    exitCode: allowed ? 0 : 1,
  }
}

export default rbacCanI
