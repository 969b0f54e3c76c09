import {emit, type Handler} from '../../cli/handler.js'
import type RbacCanI from '../../commands/rbac/can-i.js'
import {answerLine} from '../../lib/output/access-answer.js'
import {parseCanIArgs} from '../../lib/kube/can-i-args.js'
import {listRules, rulesTable} from '../../lib/kube/rules.js'
import {authorize, rulesFor} from '../../lib/rbac/authorize.js'
import {attributesFromArgs, discoveryFromFlags, namespaceFromFlags, policyStore, userFromFlags} from './common.js'

const rbacCanI: Handler<typeof RbacCanI> = async ({argv, flags}, io) => {
  const user = userFromFlags(flags)
  // kubectl's argument rules, texts included; --list prints what `kubectl auth can-i --list` prints for these rules.
  const probe = parseCanIArgs(argv, {allNamespaces: flags.allNamespaces, list: flags.list, noHeaders: flags.noHeaders, quiet: flags.quiet, subresource: flags.subresource}, '')
  if (!probe) {
    const namespace = namespaceFromFlags(flags)
    const store = await policyStore(flags, io)
    const status = rulesFor(store, user, namespace)
    const rules = listRules(status)
    const document = {evaluationError: status.evaluationError, incomplete: status.incomplete, namespace, rules, user}
    await emit(io, flags.output, document, () => rulesTable(rules, Boolean(flags.noHeaders)))
    return {document}
  }
  const attributes = attributesFromArgs(argv, flags, user, await discoveryFromFlags(flags, io), io)
  const store = await policyStore(flags, io)
  const decision = authorize(store, attributes)
  const allowed = decision.decision === 'Allow'
  const {user: _user, ...request} = attributes
  const document = {allowed, ...(decision.reason ? {reason: decision.reason} : {}), ...(decision.error ? {evaluationError: decision.error} : {}), request, user}
  if (!flags.quiet) await emit(io, flags.output, document, () => answerLine({allowed, evaluationError: decision.error, reason: decision.reason}, io.style.out))
  return {document, exitCode: allowed ? 0 : 1}
}

export default rbacCanI
