import {Flags} from '@oclif/core'

import {HandlerCommand} from '../../cli/base.js'
import {outputFlag} from '../../cli/flags/output.js'
import {helpText} from '../../cli/help-text.js'
import {talosconfigFlag} from '../../cli/flags/talos.js'
import handler from '../../handlers/talosconfig/info.js'
import {ageReadFlags} from '../../cli/flags/age.js'

export default class TalosconfigInfo extends HandlerCommand {
  static override summary = 'Show the context, nodes, endpoints, roles and certificate expiry'
  static override description = helpText`Same text as talosctl config info (values at column 22, expiry as "2 years from now (2027-11-23)").
-o json and -o yaml print talosctl's document (context, nodes, endpoints, roles, certTTL, certNotAfter).
Exit codes: 0 shown; 1 no current context, unknown context, or an unreadable certificate.`
  static override examples = ['<%= config.bin %> talosconfig info', '<%= config.bin %> talosconfig info --context prod -o yaml']
  static override flags = {
    context: Flags.string({description: 'context to show instead of the current one'}),
    output: outputFlag(['text', 'json', 'yaml']),
    talosconfig: talosconfigFlag,
    ...ageReadFlags,
  }
  static override handler = handler
}
