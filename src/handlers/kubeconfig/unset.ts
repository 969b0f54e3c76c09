import type {Handler} from '../../cli/handler.js'
import type UnsetProperty from '../../commands/kubeconfig/unset.js'
import {commandContext, report} from './common.js'
import {setProperty} from '../../lib/kubeconfig/property.js'

const handler: Handler<typeof UnsetProperty> = async ({args, flags}, io) => report(await setProperty(commandContext(flags, io), args.name, undefined), io)

export default handler
