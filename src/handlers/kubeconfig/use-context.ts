import type {Handler} from '../../cli/handler.js'
import {useContext} from '../../lib/kubeconfig/commands.js'
import {commandContext, report} from '../../lib/kubeconfig/flags.js'

const handler: Handler = async ({args, flags}, io) => report(await useContext(commandContext(flags, io), args.name), io)

export default handler
