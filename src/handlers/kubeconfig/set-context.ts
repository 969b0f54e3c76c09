import type {Handler} from '../../cli/handler.js'
import type SetContext from '../../commands/kubeconfig/set-context.js'
import {setContext} from '../../lib/kubeconfig/commands.js'
import {commandContext, report} from './common.js'

const handler: Handler<typeof SetContext> = async ({args, flags}, io) =>
  report(await setContext(commandContext(flags, io), args.name, Boolean(flags.current), {
    cluster: flags.cluster,
    namespace: flags.namespace,
    user: flags.user,
  }), io)

export default handler
