import {HandlerCommand} from '../../cli/base.js'
import {talosEditFlags} from '../../cli/flags/talos.js'
import handler from '../../handlers/talosconfig/node.js'
import {ageFlags} from '../../cli/flags/age.js'

export default class TalosconfigNode extends HandlerCommand {
  static override aliases = ['talosconfig:nodes']
  static override summary = 'Replace the nodes of the current (or --context) context; no arguments clears them'
  static override description = 'Values are whitespace-trimmed. Exit codes: 0 set; 1 no such context.'
  static override examples = ['<%= config.bin %> talosconfig node 10.0.0.2', '<%= config.bin %> talosconfig node --context prod']
  static override strict = false
  static override args = {}
  static override flags = {
    ...talosEditFlags,
    ...ageFlags,
  }
  static override handler = handler
}
