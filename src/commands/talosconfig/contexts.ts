import {HandlerCommand} from '../../cli/base.js'
import {helpText} from '../../cli/help-text.js'
import {documentOutputFlag} from '../../cli/flags/output.js'
import {talosconfigFlag} from '../../cli/flags/talos.js'
import handler from '../../handlers/talosconfig/contexts.js'
import {ageReadFlags} from '../../cli/flags/age.js'

export default class TalosconfigContexts extends HandlerCommand {
  static override aliases = ['talosconfig:get-contexts']
  static override summary = 'List the contexts of a talosconfig'
  static override description = helpText`Prints talosctl's table: CURRENT (*), NAME, ENDPOINTS (comma-joined) and NODES (first three, then ...), names in byte order.
-o json|yaml prints the --json document (contexts, current, path) instead of the table.
Exit codes: 0 listed; 1 the file cannot be read or parsed.`
  static override examples = ['<%= config.bin %> talosconfig contexts', '<%= config.bin %> talosconfig contexts --talosconfig ./talosconfig --json', '<%= config.bin %> talosconfig contexts -o yaml']
  static override flags = {
    output: documentOutputFlag,
    talosconfig: talosconfigFlag,
    ...ageReadFlags,
  }
  static override handler = handler
}
