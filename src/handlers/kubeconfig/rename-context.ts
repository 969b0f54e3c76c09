import type {Handler} from '../../cli/handler.js'
import {renameContext} from '../../lib/kubeconfig/commands.js'
import {commandContext, report} from '../../lib/kubeconfig/flags.js'

const handler: Handler = async ({args, flags}, io) => report(await renameContext(commandContext(flags, io), args.old, args.new), io)

export default handler
