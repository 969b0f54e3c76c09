import type {Handler} from '../../cli/handler.js'
import {argumentOrPick} from '../../cli/prompt.js'
import {useContext} from '../../lib/kubeconfig/commands.js'
import {commandContext, report} from '../../lib/kubeconfig/flags.js'
import {loadKubeconfig} from '../../lib/kubeconfig/load.js'

const handler: Handler = async ({args, flags}, io) => {
  const name = await argumentOrPick(args.name, io, {description: 'context name', message: 'Switch to context', name: 'name'}, async () => {
    const config = await loadKubeconfig({allowMissingExplicit: true, env: io.env, kubeconfig: flags.kubeconfig})
    return {current: config.currentContext || undefined, names: [...config.contexts.keys()].sort()}
  })
  return report(await useContext(commandContext(flags, io), name), io)
}

export default handler
