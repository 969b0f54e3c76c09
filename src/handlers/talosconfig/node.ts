import {type Handler} from '../../cli/handler.js'
import {editTalosconfig, locateFromFlags, selectContext} from '../../lib/talosconfig/index.js'

const handler: Handler = async ({argv, flags}, io) => {
  const nodes = argv.map((a) => a.trim())
  const location = await locateFromFlags(flags, io)
  const name = await editTalosconfig(location, (config) => {
    const selected = selectContext(config, flags.context)
    selected.context.nodes = nodes
    return {result: selected.name, save: true}
  })
  return {document: {context: name, nodes, path: location.path}}
}

export default handler
