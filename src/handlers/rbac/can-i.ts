import {emit, type Handler} from '../../cli/handler.js'
import type RbacCanI from '../../commands/rbac/can-i.js'
import {answerLine} from '../../lib/output/access-answer.js'
import {parseCanIArgs} from '../../lib/kube/can-i-args.js'
import {listRules, rulesTable} from '../../lib/kube/rules.js'
import {authorize, rulesFor} from '../../lib/rbac/authorize.js'
import type {OfflineDecision} from '../../lib/authz/index.js'
import {escapeControls} from '../../lib/go/quote.js'
import type {Io} from '../../lib/io.js'
import {ExitCode} from '../../lib/output/errors.js'
import type {Attributes} from '../../lib/rbac/types.js'
import {attributesFromArgs, authorizationFromFlags, discoveryFromFlags, namespaceFromFlags, policyStore, userFromFlags} from './common.js'

const rbacCanI: Handler<typeof RbacCanI> = async ({argv, flags}, io) => {
  const user = userFromFlags(flags)
  // kubectl's argument rules, texts included; --list prints what `kubectl auth can-i --list` prints for these rules.
  const probe = parseCanIArgs(argv, {allNamespaces: flags.allNamespaces, list: flags.list, noHeaders: flags.noHeaders, quiet: flags.quiet, subresource: flags.subresource}, '')
  const authorization = await authorizationFromFlags(flags, io)
  if (!probe) {
    const namespace = namespaceFromFlags(flags)
    const store = await policyStore(flags, io)
    const status = authorization
      ? (await (await import('../../lib/authz/offline.js')).offlineAuthorizerChain(authorization.loaded, authorization.answers).chain).rules(store, user, namespace)
      : rulesFor(store, user, namespace)
    const rules = listRules(status)
    const document = {evaluationError: status.evaluationError, incomplete: status.incomplete, namespace, rules, user}
    await emit(io, flags.output, document, () => rulesTable(rules, Boolean(flags.noHeaders)))
    return {document}
  }
  const attributes = attributesFromArgs(argv, flags, user, await discoveryFromFlags(flags, io), io)
  const store = await policyStore(flags, io)
  if (authorization) {
    const {decideOffline} = await import('../../lib/authz/offline.js')
    return chainAnswer(await decideOffline(authorization.loaded, authorization.answers, attributes, store), attributes, flags, io)
  }
  const decision = authorize(store, attributes)
  const allowed = decision.decision === 'Allow'
  const {user: _user, ...request} = attributes
  const document = {allowed, ...(decision.reason ? {reason: decision.reason} : {}), ...(decision.error ? {evaluationError: decision.error} : {}), request, user}
  if (!flags.quiet) await emit(io, flags.output, document, () => answerLine({allowed, evaluationError: decision.error, reason: decision.reason}, io.style.out))
  return {document, exitCode: allowed ? 0 : 1}
}

/** The chain's answer: yes/no (or unknown) with the authorizer that decided and each authorizer's answer. */
async function chainAnswer(result: OfflineDecision, attributes: Attributes, flags: {output?: string; quiet?: boolean}, io: Io) {
  const allowed = result.decision === 'Allow'
  const {user, ...request} = attributes
  const document = {
    allowed: result.decision === 'Unknown' ? null : allowed, decision: result.decision, ...(result.decidedBy ? {decidedBy: result.decidedBy} : {}),
    ...(result.reason ? {reason: result.reason} : {}), ...(result.error ? {evaluationError: result.error} : {}), authorizers: result.steps, request, user,
  }
  const human = () => {
    const answer = result.decision === 'Unknown' ? `unknown - ${escapeControls(result.reason)}\n` : answerLine({allowed, evaluationError: result.error, reason: result.reason}, io.style.out)
    const by = result.decidedBy ? `${result.decidedBy.type} ${JSON.stringify(result.decidedBy.name)}` : 'no authorizer (all had no opinion)'
    return `${answer}decided by: ${by}\n`
  }
  if (!flags.quiet) await emit(io, flags.output, document, human)
  return {document, exitCode: result.decision === 'Unknown' ? ExitCode.unanswered : allowed ? ExitCode.ok : ExitCode.failure}
}

export default rbacCanI
