import type {Handler} from '../../cli/handler.js'
import type DeleteContext from '../../commands/kubeconfig/delete-context.js'
import {deleteContext} from '../../lib/kubeconfig/commands.js'
import {commandContext, report} from './common.js'

const handler: Handler<typeof DeleteContext> = async ({args, flags}, io) =>
  report(await deleteContext(commandContext(flags, io), args.name, Boolean(flags.cascade)), io)

export default handler
