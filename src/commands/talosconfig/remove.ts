import {Args, Flags} from '@oclif/core'

import {HandlerCommand} from '../../cli/base.js'
import {helpText} from '../../cli/help-text.js'
import {talosconfigFlag} from '../../cli/flags/talos.js'
import handler from '../../handlers/talosconfig/remove.js'
import {ageFlags} from '../../cli/flags/age.js'

export default class TalosconfigRemove extends HandlerCommand {
  static override summary = 'Remove contexts matching a pattern (never the current one)'
  static override description = helpText`PATTERN is a glob where only * is special. Matches are processed in name order; the current context is skipped
with a message. Each removal is confirmed on a terminal unless -y; without a terminal -y (or --dry-run) is required.
Exit codes: 0 done; 1 no contexts, nothing matched; 2 no confirmation possible.`
  static override examples = ['<%= config.bin %> talosconfig remove "old-*" -y', '<%= config.bin %> talosconfig remove staging --dry-run']
  static override args = {pattern: Args.string({description: 'context name or glob', required: true})}
  static override flags = {
    'dry-run': Flags.boolean({description: 'show what would be removed, write nothing'}),
    noconfirm: Flags.boolean({char: 'y', description: 'do not ask for confirmation'}),
    talosconfig: talosconfigFlag,
    ...ageFlags,
  }
  static override handler = handler
}
