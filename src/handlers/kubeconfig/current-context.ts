// Runs in shell prompts: only the lean loader (no yaml library unless the file needs it).
import type {Handler} from '../../cli/handler.js'
import type CurrentContext from '../../commands/kubeconfig/current-context.js'
import {loadKubeconfig} from '../../lib/kubeconfig/load.js'
import {escapeControls} from '../../lib/go/quote.js'
import {AuthctlError} from '../../lib/output/errors.js'
import {ageOptions} from '../age-options.js'

const handler: Handler<typeof CurrentContext> = async ({flags}, io) => {
  const config = await loadKubeconfig({allowMissingExplicit: true, age: ageOptions(flags, io), env: io.env, kubeconfig: flags.kubeconfig})
  if (!config.currentContext) throw new AuthctlError('current-context is not set', {code: 'NO_CONTEXT'})
  io.out(escapeControls(config.currentContext) + '\n')
  return {document: {currentContext: config.currentContext}}
}

export default handler
