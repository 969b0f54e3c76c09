import type {Handler} from '../../cli/handler.js'
import type AuthExplain from '../../commands/auth/explain.js'
import {escapeControls} from '../../lib/go/quote.js'
import {answerLine, parseCanIArgs} from '../../lib/kube/can-i.js'
import {openContext} from '../../lib/kube/context.js'
import {explainLive} from '../../lib/kube/explain.js'
import {explanationText} from '../../lib/rbac/explain.js'
import {ageOptions} from '../age-options.js'

const authExplain: Handler<typeof AuthExplain> = async ({argv, flags}, io) => {
  const probe = parseCanIArgs(argv, {allNamespaces: flags.allNamespaces, subresource: flags.subresource}, '')!
  const {client, namespace} = await openContext({...flags, age: ageOptions(flags, io)}, io)
  const warnings: string[] = []
  try {
    const query = {...probe, namespace: flags.allNamespaces ? '' : namespace}
    const result = await explainLive(client, query, io.now(), warnings)
    for (const w of warnings) io.err(`${io.style.err.warning('Warning:')} ${escapeControls(w, {keepNewlines: true})}\n`)
    const {answer, explanation, notes, user} = result
    const request = answer.resourceAttributes
      ? `${answer.resourceAttributes.verb} ${answer.resourceAttributes.resource}${answer.resourceAttributes.group ? `.${answer.resourceAttributes.group}` : ''}${answer.resourceAttributes.subresource ? `/${answer.resourceAttributes.subresource}` : ''}${answer.resourceAttributes.name ? ` named "${answer.resourceAttributes.name}"` : ''} ${answer.resourceAttributes.namespace ? `in namespace "${answer.resourceAttributes.namespace}"` : 'cluster-wide'}`
      : `${answer.nonResourceAttributes!.verb} ${answer.nonResourceAttributes!.path}`
    io.out(`server: ${answerLine(answer, io.style.out)}`)
    if (explanation && user) io.out(explanationText(explanation, request, user, io.style.out))
    for (const n of notes) io.out(`note: ${n}\n`)
    return {document: {allowed: answer.allowed, answer, explanation, notes, user}, exitCode: answer.allowed ? 0 : 1}
  } finally {
    client.close()
  }
}

export default authExplain
