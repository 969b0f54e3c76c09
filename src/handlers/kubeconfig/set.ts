import type {Handler} from '../../cli/handler.js'
import type SetProperty from '../../commands/kubeconfig/set.js'
import {commandContext, report} from './common.js'
import {setProperty} from '../../lib/kubeconfig/property.js'
import {usageError} from '../../lib/output/errors.js'

const handler: Handler<typeof SetProperty> = async ({args, flags}, io) => {
  if (args.value === undefined) throw usageError(`Unexpected args: [${args.name}]`)
  return report(await setProperty(commandContext(flags, io), args.name, args.value, Boolean(flags.setRawBytes)), io)
}

export default handler
