import {HandlerCommand} from '../../cli/base.js'
import {talosEditFlags} from '../../cli/flags/talos.js'
import handler from '../../handlers/talosconfig/endpoint.js'
import {ageFlags} from '../../cli/flags/age.js'

export default class TalosconfigEndpoint extends HandlerCommand {
  static override aliases = ['talosconfig:endpoints']
  static override summary = 'Replace the endpoints of the current (or --context) context'
  static override description = 'Values are whitespace-trimmed. Exit codes: 0 set; 1 no such context; 2 no endpoint given.'
  static override examples = ['<%= config.bin %> talosconfig endpoint 10.0.0.2 10.0.0.3', '<%= config.bin %> talosconfig endpoint 10.0.0.2 --context prod']
  static override strict = false
  static override args = {}
  static override flags = {
    ...talosEditFlags,
    ...ageFlags,
  }
  static override handler = handler
}
