import {Flags} from '@oclif/core'

import {HandlerCommand} from '../../cli/base.js'
import {helpText} from '../../cli/help-text.js'
import {caFlags, leafFlags} from '../../cli/flags/pki.js'
import handler from '../../handlers/pki/sign.js'
import {ageReadFlags} from '../../cli/flags/age.js'

export default class PkiSign extends HandlerCommand {
  static override summary = 'Sign a certificate request (CSR) with a CA'
  static override description = helpText`The subject and SANs come from the CSR (its signature is checked first); --dns/--ip add SANs.
KeyUsage is digitalSignature (critical); EKU follows --usage. --usage client gives EKU exactly [clientAuth], which is
what Talos apid requires. Exit codes: 0 signed, 1 bad input (nothing written), 2 usage.`
  static override examples = [
    '<%= config.bin %> pki sign --csr alice.csr --ca ca.crt --out alice.crt',
    '<%= config.bin %> pki sign --csr web.csr --ca ca.crt --usage server --dns web.example.com --out web.crt',
    '<%= config.bin %> pki sign --csr admin.csr --from-secrets secrets.yaml --usage client --ttl 720h --out admin.crt',
  ]
  static override flags = {
    ...caFlags,
    ...leafFlags,
    csr: Flags.string({description: 'certificate request (PEM), - for stdin', required: true}),
    out: Flags.string({description: 'certificate file to write, - for stdout', required: true}),
    usage: Flags.string({default: 'client', description: 'extended key usage', options: ['client', 'server', 'client,server']}),
    ...ageReadFlags,
  }
  static override handler = handler
}
