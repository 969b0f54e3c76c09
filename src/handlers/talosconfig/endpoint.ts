import {type Handler, warningSink} from '../../cli/handler.js'
import type TalosconfigEndpoint from '../../commands/talosconfig/endpoint.js'
import {usageError} from '../../lib/output/errors.js'
import {locateFromFlags, setContextList} from '../../lib/talosconfig/index.js'
import {ageOptions} from '../age-options.js'

const handler: Handler<typeof TalosconfigEndpoint> = async ({argv, flags}, io) => {
  const endpoints = argv.map((a) => a.trim())
  if (endpoints.length === 0) throw usageError('no endpoints given', 'pass at least one endpoint, e.g. 10.0.0.2')
  const location = await locateFromFlags(flags, io)
  const name = await setContextList(location, flags.context, 'endpoints', endpoints, warningSink(io), ageOptions(flags, io))
  return {document: {context: name, endpoints, path: location.path}}
}

export default handler
