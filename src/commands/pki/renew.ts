import {Args, Flags} from '@oclif/core'

import {HandlerCommand} from '../../cli/base.js'
import {helpText} from '../../cli/help-text.js'
import {ageFlags} from '../../cli/flags/age.js'
import {caFlags} from '../../cli/flags/pki.js'
import {renewFlags} from '../../cli/flags/renew.js'
import handler from '../../handlers/pki/renew.js'

export default class PkiRenew extends HandlerCommand {
  static override summary = 'Re-issue a certificate from its CA: same subject, SANs, usages and profile, new serial and validity'
  static override description = helpText`The CA must be the one that issued CERT (issuer name, AKID and signature are checked). The new certificate
has the old lifetime unless --ttl, and the same key unless --rotate-key (then a new key of the same algorithm, in the
old key's PEM form, replaces KEY together with CERT). With --if-due, renews only when due by the rule of
\`pki needs-renewal\` (33% = a third of the lifetime left, or a duration such as 720h).
Exit codes (for cron and CI): 0 renewed or not due, 1 failed (nothing written), 2 usage.`
  static override examples = [
    '<%= config.bin %> pki renew admin.crt --ca ca.crt',
    '<%= config.bin %> pki renew admin.crt --ca ca.crt --if-due 33% --rotate-key',
    '<%= config.bin %> pki renew talos-admin.crt --from-secrets secrets.yaml --ttl 8760h',
  ]
  static override args = {cert: Args.string({description: 'certificate to renew (PEM), replaced in place', required: true})}
  static override flags = {
    ...caFlags,
    ...renewFlags,
    ...ageFlags,
    key: Flags.string({description: "the certificate's key, checked against it (default: CERT with .crt replaced by .key, read with --rotate-key)"}),
  }
  static override handler = handler
}
