import {Flags} from '@oclif/core'

import {HandlerCommand} from '../../cli/base.js'
import {helpText} from '../../cli/help-text.js'
import {ageFlags} from '../../cli/flags/age.js'
import {caFlags} from '../../cli/flags/pki.js'
import {renewFlags} from '../../cli/flags/renew.js'
import {talosconfigFlag} from '../../cli/flags/talos.js'
import handler from '../../handlers/talosconfig/renew.js'

export default class TalosconfigRenew extends HandlerCommand {
  static override summary = 'Re-issue the client certificates of talosconfig contexts that a CA issued, in place'
  static override description = helpText`Renews the current context's certificate (or --context's, or --all contexts') when this CA (--ca, or the OS CA of
--from-secrets) issued it: same roles (O=os:…), usages and profile, new serial and validity (see \`pki renew\`); a
rotated key keeps Talos's PEM label (ED25519 PRIVATE KEY). Skips the others with a reason: another CA, no
certificate, or not due (--if-due). One atomic save of the talosconfig.
Exit codes (for cron and CI): 0 renewed or nothing due, 1 failed (nothing written), 2 usage.`
  static override examples = [
    '<%= config.bin %> talosconfig renew --from-secrets secrets.yaml',
    '<%= config.bin %> talosconfig renew --all --from-secrets secrets.yaml --if-due 33% --json',
  ]
  static override flags = {
    ...ageFlags,
    ...caFlags,
    ...renewFlags,
    all: Flags.boolean({description: 'every context of the talosconfig', exclusive: ['context']}),
    context: Flags.string({description: 'context to renew instead of the current one'}),
    talosconfig: talosconfigFlag,
  }
  static override handler = handler
}
