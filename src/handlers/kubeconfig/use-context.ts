import type {Handler} from '../../cli/handler.js'
import type UseContext from '../../commands/kubeconfig/use-context.js'
import {argumentOrPick} from '../../cli/prompt.js'
import {escapeControls} from '../../lib/go/quote.js'
import {useContext} from '../../lib/kubeconfig/commands.js'
import {commandContext, report} from './common.js'
import {loadKubeconfig} from '../../lib/kubeconfig/load.js'
import {shellContext} from '../../lib/kubeconfig/shell.js'
import {ageOptions} from '../age-options.js'

/** POSIX shell single quotes: everything literal, a quote as '\''. */
const shellQuote = (value: string) => `'${value.replaceAll("'", `'\\''`)}'`

const handler: Handler<typeof UseContext> = async ({args, flags}, io) => {
  const name = await argumentOrPick(args.name, io, {description: 'context name', message: 'Switch to context', name: 'name'}, async () => {
    const config = await loadKubeconfig({allowMissingExplicit: true, age: ageOptions(flags, io), env: io.env, kubeconfig: flags.kubeconfig})
    return {current: config.currentContext || undefined, names: [...config.contexts.keys()].sort()}
  })
  if (!flags.shell) return report(await useContext(commandContext(flags, io), name), io)
  const shell = await shellContext({cwd: io.cwd, env: io.env, kubeconfig: flags.kubeconfig, name})
  // stdout is for eval; the confirmation goes to the terminal.
  io.out(`export KUBECONFIG=${shellQuote(shell.kubeconfig)}\n`)
  io.err(escapeControls(`Switched to context "${name}" in this shell.`) + '\n')
  return {document: {context: name, file: shell.file, kubeconfig: shell.kubeconfig}}
}

export default handler
