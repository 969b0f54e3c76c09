import {type Handler} from '../../cli/handler.js'
import {usageError} from '../../lib/output/errors.js'
import {editTalosconfig, locateFromFlags, selectContext} from '../../lib/talosconfig/index.js'

const handler: Handler = async ({argv, flags}, io) => {
  const endpoints = argv.map((a) => a.trim())
  if (endpoints.length === 0) throw usageError('no endpoints given', 'pass at least one endpoint, e.g. 10.0.0.2')
  const location = await locateFromFlags(flags, io)
  const name = await editTalosconfig(location, (config) => {
    const selected = selectContext(config, flags.context)
    selected.context.endpoints = endpoints
    return {result: selected.name, save: true}
  })
  return {document: {context: name, endpoints, path: location.path}}
}

export default handler
