import {emit, type Handler} from '../../cli/handler.js'
import type RbacExplain from '../../commands/rbac/explain.js'
import {escapeControls} from '../../lib/go/quote.js'
import {ExitCode} from '../../lib/output/errors.js'
import {explain, explanationText} from '../../lib/rbac/explain.js'
import {describeRequest} from '../../lib/rbac/request.js'
import {attributesFromArgs, authorizationFromFlags, discoveryFromFlags, policyStore, userFromFlags} from './common.js'

const rbacExplain: Handler<typeof RbacExplain> = async ({argv, flags}, io) => {
  const user = userFromFlags(flags)
  const authorization = await authorizationFromFlags(flags, io)
  const attributes = attributesFromArgs(argv, flags, user, await discoveryFromFlags(flags, io), io)
  const store = await policyStore(flags, io)
  const explanation = explain(store, attributes)
  const {user: _user, ...request} = attributes
  const rbacText = () => explanationText(explanation, describeRequest(attributes), user, io.style.out)
  if (!authorization) {
    const document = {...explanation, request, user}
    await emit(io, flags.output, document, rbacText)
    return {document, exitCode: explanation.allowed ? 0 : 1}
  }
  // With a chain: its answer and every authorizer's, then RBAC's own explanation (what RBAC would answer if asked).
  const {decideOffline, offlineStepLines} = await import('../../lib/authz/offline.js')
  const chain = await decideOffline(authorization.loaded, authorization.answers, attributes, store)
  const answer = chain.decision === 'Unknown' ? 'unknown' : chain.decision === 'Allow' ? 'yes' : 'no'
  const document = {...explanation, allowed: chain.decision === 'Unknown' ? null : chain.decision === 'Allow', chain, request, rbacAllowed: explanation.allowed, user}
  await emit(io, flags.output, document, () => {
    const by = chain.decidedBy ? `decided by ${chain.decidedBy.type} ${JSON.stringify(chain.decidedBy.name)}` : 'no authorizer decided'
    const head = escapeControls(`authorizer chain: ${answer} (${by})${chain.reason ? ` - ${chain.reason}` : ''}`)
    return [head, ...offlineStepLines(chain).map((line) => escapeControls(line)), 'RBAC on its own:', ''].join('\n') + rbacText()
  })
  return {document, exitCode: chain.decision === 'Unknown' ? ExitCode.unanswered : chain.decision === 'Allow' ? ExitCode.ok : ExitCode.failure}
}

export default rbacExplain
