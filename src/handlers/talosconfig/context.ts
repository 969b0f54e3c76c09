import {type Handler, warningSink} from '../../cli/handler.js'
import type TalosconfigContext from '../../commands/talosconfig/context.js'
import {argumentOrPick} from '../../cli/prompt.js'
import {editTalosconfig, loadTalosconfig, locateFromFlags, selectContext} from '../../lib/talosconfig/index.js'
import {ageOptions} from '../age-options.js'

const handler: Handler<typeof TalosconfigContext> = async ({args, flags}, io) => {
  const location = await locateFromFlags(flags, io)
  const name = await argumentOrPick(args.name, io, {description: 'context name', message: 'Switch to context', name: 'name'}, async () => {
    const {config} = await loadTalosconfig(location, ageOptions(flags, io))
    return {current: config.context || undefined, names: [...config.contexts.keys()].sort()}
  })
  await editTalosconfig(location, (config) => {
    selectContext(config, name)
    const save = config.context !== name
    config.context = name
    return {result: undefined, save}
  }, {age: ageOptions(flags, io), onWarning: warningSink(io)})
  return {document: {context: name, path: location.path}}
}

export default handler
