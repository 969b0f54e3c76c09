import {type Handler, warningSink} from '../../cli/handler.js'
import {editTalosconfig, locateFromFlags, selectContext} from '../../lib/talosconfig/index.js'

const handler: Handler = async ({args, flags}, io) => {
  const location = await locateFromFlags(flags, io)
  const name = args.name as string
  await editTalosconfig(location, (config) => {
    selectContext(config, name)
    const save = config.context !== name
    config.context = name
    return {result: undefined, save}
  }, {onWarning: warningSink(io)})
  return {document: {context: name, path: location.path}}
}

export default handler
