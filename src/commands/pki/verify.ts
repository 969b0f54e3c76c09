import {Args, Flags} from '@oclif/core'

import {HandlerCommand} from '../../cli/base.js'
import {helpText} from '../../cli/help-text.js'
import handler from '../../handlers/pki/verify.js'
import {ageReadFlags} from '../../cli/flags/age.js'

export default class PkiVerify extends HandlerCommand {
  static override summary = 'Verify a certificate against a CA: chain, validity, EKU, host name'
  static override description = helpText`CERT may hold the leaf followed by intermediates. Checks every certificate's validity period, the chain
to --ca, EKU for --usage (Go semantics: a certificate without EKU allows any; CAs in the chain must allow it too),
--talos (EKU exactly [clientAuth], as Talos apid requires) and --host against the DNS/IP SANs (the CN is ignored, as
Go does). Exit codes: 0 valid, 1 invalid (every reason is listed), 2 usage.`
  static override examples = [
    '<%= config.bin %> pki verify alice.crt --ca ca.crt --usage client',
    '<%= config.bin %> pki verify admin.crt --from-secrets secrets.yaml --talos',
    '<%= config.bin %> pki verify web.crt --ca ca.crt --usage server --host web.example.com',
  ]
  static override args = {cert: Args.string({description: 'certificate (PEM), - for stdin', required: true})}
  static override flags = {
    ca: Flags.string({description: 'trusted CA certificate(s) (PEM)'}),
    'from-secrets': Flags.string({description: 'trust the Talos OS CA (certs.os) of a secrets bundle'}),
    host: Flags.string({description: 'DNS name or IP address the certificate must be valid for'}),
    talos: Flags.boolean({description: 'also check what Talos apid requires of a client certificate'}),
    usage: Flags.string({description: 'intended use', options: ['client', 'server', 'client,server']}),
    ...ageReadFlags,
  }
  static override handler = handler
}
