import type {Handler} from '../../cli/handler.js'
import {commandContext, report} from '../../lib/kubeconfig/flags.js'
import {setProperty} from '../../lib/kubeconfig/property.js'
import {usageError} from '../../lib/output/errors.js'

const handler: Handler = async ({args, flags}, io) => {
  if (args.value === undefined) throw usageError(`Unexpected args: [${args.name}]`)
  return report(await setProperty(commandContext(flags, io), args.name, args.value, Boolean(flags['set-raw-bytes'])), io)
}

export default handler
