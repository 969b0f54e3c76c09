import {Args, Flags} from '@oclif/core'

import {HandlerCommand} from '../../cli/base.js'
import {helpText} from '../../cli/help-text.js'
import handler from '../../handlers/pki/needs-renewal.js'
import {ageReadFlags} from '../../cli/flags/age.js'

export default class PkiNeedsRenewal extends HandlerCommand {
  static override summary = 'Tell whether a certificate is due for renewal (for scripts)'
  static override description = helpText`Due when the time left is at most --expires-in: a duration (720h, 30d) or a share of the certificate's
whole lifetime (33% = renew once two thirds have passed; the default, as in step). An expired certificate is due.
Exit codes follow step's convention and differ from other commands: 0 due, 1 not due, 2 file missing,
255 any other error (unreadable or not a certificate).`
  static override examples = [
    '<%= config.bin %> pki needs-renewal admin.crt && renew-it',
    '<%= config.bin %> pki needs-renewal admin.crt --expires-in 720h',
  ]
  static override args = {cert: Args.string({description: 'certificate (PEM)', required: true})}
  static override flags = {
    'expires-in': Flags.string({default: '33%', description: 'threshold: a duration (720h) or a percentage of the lifetime (33%)'}),
    ...ageReadFlags,
  }
  static override handler = handler
}
