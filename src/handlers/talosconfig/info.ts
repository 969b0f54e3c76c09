import {type Handler} from '../../cli/handler.js'
import type TalosconfigInfo from '../../commands/talosconfig/info.js'
import {escapeControls} from '../../lib/go/quote.js'
import {renderGoYaml} from '../../lib/go/yaml-v3.js'
import {formatInfoText, loadTalosconfig, locateFromFlags, talosconfigInfo} from '../../lib/talosconfig/index.js'
import {ageOptions} from '../age-options.js'

const handler: Handler<typeof TalosconfigInfo> = async ({flags}, io) => {
  const {config} = await loadTalosconfig(await locateFromFlags(flags, io), ageOptions(flags, io))
  const info = talosconfigInfo(config, flags.context, io.now())
  if (flags.output === 'json') io.out(JSON.stringify(info, null, 2) + '\n')
  else if (flags.output === 'yaml') {
    io.out(renderGoYaml([
      ['context', info.context],
      ['nodes', info.nodes],
      ['endpoints', info.endpoints],
      ['roles', info.roles],
      ['certTTL', info.certTTL],
      ['certNotAfter', info.certNotAfter],
    ]))
  } else {
    // Names, endpoints and roles come from the file and its certificate: control characters escaped.
    io.out(escapeControls(formatInfoText(info), {keepNewlines: true}))
  }
  return {document: info}
}

export default handler
