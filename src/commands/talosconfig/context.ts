import {Args} from '@oclif/core'

import {HandlerCommand} from '../../cli/base.js'
import {talosconfigFlag} from '../../cli/flags/talos.js'
import handler from '../../handlers/talosconfig/context.js'
import {ageFlags} from '../../cli/flags/age.js'

export default class TalosconfigContext extends HandlerCommand {
  static override aliases = ['talosconfig:use-context']
  static override summary = 'Set the current context'
  static override description = 'Exit codes: 0 set; 1 the context is not defined or the file cannot be written.'
  static override examples = ['<%= config.bin %> talosconfig context prod']
  static override args = {name: Args.string({description: 'context name (left out on a terminal: pick one from a list)'})}
  static override flags = {
    talosconfig: talosconfigFlag,
    ...ageFlags,
  }
  static override handler = handler
}
