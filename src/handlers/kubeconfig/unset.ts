import type {Handler} from '../../cli/handler.js'
import {commandContext, report} from '../../lib/kubeconfig/flags.js'
import {setProperty} from '../../lib/kubeconfig/property.js'

const handler: Handler = async ({args, flags}, io) => report(await setProperty(commandContext(flags, io), args.name, undefined), io)

export default handler
