// Runs in shell prompts: only the lean loader (no yaml library unless the file needs it).
import {emit, type Handler} from '../../cli/handler.js'
import type GetContexts from '../../commands/kubeconfig/get-contexts.js'
import {loadKubeconfig} from '../../lib/kubeconfig/load.js'
import {AuthctlError} from '../../lib/output/errors.js'
import {escapeControls} from '../../lib/go/quote.js'
import {formatTable} from '../../lib/output/render.js'
import {ageOptions} from '../age-options.js'

const handler: Handler<typeof GetContexts> = async ({argv, flags}, io) => {
  const config = await loadKubeconfig({allowMissingExplicit: true, age: ageOptions(flags, io), env: io.env, kubeconfig: flags.kubeconfig})
  const missing = argv.filter((name) => !config.contexts.has(name))
  const names = (argv.length > 0 ? argv.filter((n) => config.contexts.has(n)) : [...config.contexts.keys()]).sort()
  const rows = names.map((name) => {
    const body = config.contexts.get(name)!.body
    return {cluster: String(body.cluster), current: name === config.currentContext, name, namespace: String(body.namespace ?? ''), user: String(body.user)}
  })
  const document = {contexts: rows, currentContext: config.currentContext}
  if (flags.output === 'name') {
    for (const row of rows) io.out(escapeControls(row.name) + '\n')
  } else if (flags.output) {
    // -o json|yaml: authctl's additions (kubectl's get-contexts has only -o name).
    await emit(io, flags.output, document, () => '')
  } else if (rows.length > 0 || !flags.noHeaders) {
    io.out(formatTable(
      ['CURRENT', 'NAME', 'CLUSTER', 'AUTHINFO', 'NAMESPACE'],
      rows.map((r) => [r.current ? '*' : '', r.name, r.cluster, r.user, r.namespace]),
      {noHeaders: flags.noHeaders},
    ))
  }
  // kubectl prints the rows it found, then fails for the names it did not.
  if (missing.length > 0) {
    const message = missing.map((n) => `context ${n} not found`).join(', ')
    throw new AuthctlError(missing.length > 1 ? `[${message}]` : message, {code: 'NOT_FOUND'})
  }
  return {document}
}

export default handler
