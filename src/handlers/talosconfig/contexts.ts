import {emit, type Handler} from '../../cli/handler.js'
import type TalosconfigContexts from '../../commands/talosconfig/contexts.js'
import {formatTable} from '../../lib/output/render.js'
import {contextCells, contextRows, loadTalosconfig, locateFromFlags} from '../../lib/talosconfig/index.js'
import {ageOptions} from '../age-options.js'

const handler: Handler<typeof TalosconfigContexts> = async ({flags}, io) => {
  const {config, location} = await loadTalosconfig(await locateFromFlags(flags, io), ageOptions(flags, io))
  const rows = contextRows(config)
  const document = {contexts: rows, current: config.context, path: location.path}
  await emit(io, flags.output, document, () => formatTable(['CURRENT', 'NAME', 'ENDPOINTS', 'NODES'], rows.map(contextCells), {minWidth: 0, padding: 3}))
  return {document}
}

export default handler
