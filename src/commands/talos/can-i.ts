import {Args, Flags} from '@oclif/core'

import {HandlerCommand} from '../../cli/base.js'
import {quietFlag} from '../../cli/flags/common.js'
import {documentOutputFlag} from '../../cli/flags/output.js'
import {helpText} from '../../cli/help-text.js'
import handler from '../../handlers/talos/can-i.js'
import {ageReadFlags} from '../../cli/flags/age.js'

export default class TalosCanI extends HandlerCommand {
  static override summary = 'Check whether Talos roles may call a Talos API method'
  static override description = helpText`Answers from machined's rules table for the chosen Talos version, including the checks behind it: methods
missing from the table are admin-only, os:reader's maintenance-only methods, COSI writes (always refused) and
Sensitive resource types (admin only). Prints "yes" or "no - <reason>"; notes go to stderr. -o json|yaml prints the
--json document (the decision, or with --list the methods, roles and version) instead.

Exit codes: 0 allowed, 1 not allowed, 2 usage error.`
  static override examples = [
    '<%= config.bin %> talos can-i Reboot --roles os:operator',
    '<%= config.bin %> talos can-i /machine.MachineService/EtcdSnapshot --roles os:etcd:backup',
    '<%= config.bin %> talos can-i --list --roles os:reader --talos-version 1.12',
    '<%= config.bin %> talos can-i --list --roles os:operator -o yaml',
    '<%= config.bin %> talos can-i EtcdSnapshot --talosconfig ./talosconfig --context backup',
  ]
  static override args = {
    method: Args.string({description: 'API method: /machine.MachineService/Reboot, MachineService/Reboot or Reboot'}),
  }
  static override flags = {
    roles: Flags.string({delimiter: ',', description: "roles to check (comma-separated or repeated); default: the talosconfig context's", multiple: true, multipleNonGreedy: true}),
    talosconfig: Flags.string({description: 'talosconfig file whose context gives the roles (default: TALOSCONFIG, TALOS_HOME, ~/.talos/config)'}),
    context: Flags.string({description: 'talosconfig context (default: the current one)'}),
    'talos-version': Flags.string({description: 'Talos minor version whose rules apply (1.12, 1.13, 1.14; default 1.14)'}),
    maintenance: Flags.boolean({description: 'the node is in maintenance mode (certificates unchecked, callers are os:reader)'}),
    list: Flags.boolean({description: 'list every method the roles may call'}),
    output: documentOutputFlag,
    quiet: quietFlag,
    ...ageReadFlags,
  }
  static override handler = handler
}
