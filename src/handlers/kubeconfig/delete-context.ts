import type {Handler} from '../../cli/handler.js'
import {deleteContext} from '../../lib/kubeconfig/commands.js'
import {commandContext, report} from '../../lib/kubeconfig/flags.js'

const handler: Handler = async ({args, flags}, io) =>
  report(await deleteContext(commandContext(flags, io), args.name, Boolean(flags.cascade)), io)

export default handler
