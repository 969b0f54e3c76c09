import {Args, Flags} from '@oclif/core'

import {HandlerCommand} from '../../cli/base.js'
import {helpText} from '../../cli/help-text.js'
import {talosconfigFlag} from '../../cli/flags/talos.js'
import handler from '../../handlers/talosconfig/merge.js'
import {ageFlags} from '../../cli/flags/age.js'

export default class TalosconfigMerge extends HandlerCommand {
  static override summary = 'Merge the contexts of another talosconfig into this one'
  static override description = helpText`Contexts whose names are free keep them. Conflicting names are handled by --on-conflict:
  rename     (default, talosctl's rule) the first free name-1, name-2, ... taken in natural name order
  overwrite  the incoming context replaces the existing one
  skip       the existing context is kept
  fail       any conflict with a different context is an error and nothing is written
Identical contexts are left alone by overwrite, skip and fail. Each rename is reported on stderr as
renamed talosconfig context "a" -> "a-1".
The current context of the target is kept (as the Talos documentation describes); a target with no current context
adopts the incoming one. --use-incoming-context switches to the incoming current context like talosctl does.
Exit codes: 0 merged; 1 unreadable or invalid input (nothing written), conflict with --on-conflict fail.`
  static override examples = [
    '<%= config.bin %> talosconfig merge ./talosconfig',
    '<%= config.bin %> talosconfig merge new.yaml --into ~/.talos/config --on-conflict skip --dry-run',
  ]
  static override args = {from: Args.string({description: 'talosconfig to merge in', required: true})}
  static override flags = {
    'dry-run': Flags.boolean({description: 'report what would change, write nothing'}),
    into: Flags.string({description: 'target file (default: the located talosconfig)'}),
    'on-conflict': Flags.string({default: 'rename', description: 'what to do with a name that exists', options: ['rename', 'overwrite', 'skip', 'fail']}),
    talosconfig: talosconfigFlag,
    'use-incoming-context': Flags.boolean({description: "switch to the incoming file's current context (talosctl's behaviour)"}),
    ...ageFlags,
  }
  static override handler = handler
}
