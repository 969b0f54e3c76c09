import {type Handler, warningSink} from '../../cli/handler.js'
import type TalosconfigNode from '../../commands/talosconfig/node.js'
import {locateFromFlags, setContextList} from '../../lib/talosconfig/index.js'
import {ageOptions} from '../age-options.js'

const handler: Handler<typeof TalosconfigNode> = async ({argv, flags}, io) => {
  const nodes = argv.map((a) => a.trim())
  const location = await locateFromFlags(flags, io)
  const name = await setContextList(location, flags.context, 'nodes', nodes, warningSink(io), ageOptions(flags, io))
  return {document: {context: name, nodes, path: location.path}}
}

export default handler
