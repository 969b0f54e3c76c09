import type {Handler} from '../../cli/handler.js'
import {deleteEntry} from '../../lib/kubeconfig/commands.js'
import {commandContext, report} from '../../lib/kubeconfig/flags.js'

const handler: Handler = async ({args, flags}, io) => report(await deleteEntry(commandContext(flags, io), 'clusters', args.name), io)

export default handler
