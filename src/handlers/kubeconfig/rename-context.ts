import type {Handler} from '../../cli/handler.js'
import type RenameContext from '../../commands/kubeconfig/rename-context.js'
import {renameContext} from '../../lib/kubeconfig/commands.js'
import {commandContext, report} from './common.js'

const handler: Handler<typeof RenameContext> = async ({args, flags}, io) => report(await renameContext(commandContext(flags, io), args.old, args.new), io)

export default handler
