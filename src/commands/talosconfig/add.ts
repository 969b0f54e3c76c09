import {Args, Flags} from '@oclif/core'

import {HandlerCommand} from '../../cli/base.js'
import {helpText} from '../../cli/help-text.js'
import {talosconfigFlag} from '../../cli/flags/talos.js'
import handler from '../../handlers/talosconfig/add.js'
import {ageFlags} from '../../cli/flags/age.js'

export default class TalosconfigAdd extends HandlerCommand {
  static override summary = 'Add (or replace) a context from PEM files'
  static override description = helpText`The files are stored base64-encoded verbatim, like talosctl, with endpoints: []. Unlike talosctl the PEMs are
checked first: --ca must be a certificate, --crt/--key must be given together and the key must match the
certificate. Warnings (stderr) when the certificate's EKU is not exactly clientAuth (Talos 1.12+ rejects it), when
it is not signed by --ca, or when it has expired. The current context is not changed.
Exit codes: 0 added; 1 unreadable or invalid PEM, key mismatch; 2 only one of --crt/--key.`
  static override examples = ['<%= config.bin %> talosconfig add prod --ca ca.crt --crt admin.crt --key admin.key']
  static override args = {name: Args.string({description: 'context name', required: true})}
  static override flags = {
    ca: Flags.string({description: 'CA certificate (PEM file)'}),
    crt: Flags.string({description: 'client certificate (PEM file)'}),
    key: Flags.string({description: 'client private key (PEM file)'}),
    talosconfig: talosconfigFlag,
    ...ageFlags,
  }
  static override handler = handler
}
