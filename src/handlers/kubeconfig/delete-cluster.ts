import type {Handler} from '../../cli/handler.js'
import type DeleteCluster from '../../commands/kubeconfig/delete-cluster.js'
import {deleteEntry} from '../../lib/kubeconfig/commands.js'
import {commandContext, report} from './common.js'

const handler: Handler<typeof DeleteCluster> = async ({args, flags}, io) => report(await deleteEntry(commandContext(flags, io), 'clusters', args.name), io)

export default handler
