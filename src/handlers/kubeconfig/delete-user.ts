import type {Handler} from '../../cli/handler.js'
import type DeleteUser from '../../commands/kubeconfig/delete-user.js'
import {deleteEntry} from '../../lib/kubeconfig/commands.js'
import {commandContext, report} from './common.js'

const handler: Handler<typeof DeleteUser> = async ({args, flags}, io) => report(await deleteEntry(commandContext(flags, io), 'users', args.name), io)

export default handler
