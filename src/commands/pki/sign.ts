import {Flags} from '@oclif/core'

import {HandlerCommand} from '../../cli/base.js'
import handler from '../../handlers/pki/sign.js'

/** How sign and issue take their CA; shared so both spell it the same way. */
export const caFlags = {
  ca: Flags.string({description: 'CA certificate (PEM)'}),
  'ca-key': Flags.string({description: 'CA private key (default: the --ca path with .crt replaced by .key)'}),
  'ca-passphrase-file': Flags.string({description: 'file holding the passphrase of an encrypted CA key'}),
  'from-secrets': Flags.string({description: 'take the Talos OS CA (certs.os) from a secrets bundle (talosctl gen secrets)'}),
}

export const leafFlags = {
  dns: Flags.string({delimiter: ',', description: 'DNS subject alternative name (repeatable, comma-separated)', multiple: true, multipleNonGreedy: true}),
  force: Flags.boolean({char: 'f', description: 'overwrite existing output files'}),
  ip: Flags.string({delimiter: ',', description: 'IP subject alternative name (repeatable, comma-separated)', multiple: true, multipleNonGreedy: true}),
  'not-before-skew': Flags.string({description: 'back-date NotBefore by this much against clock skew, e.g. 5m', default: '0s'}),
  ttl: Flags.string({description: 'validity, e.g. 8760h, 30d', default: '8760h'}),
}

export default class PkiSign extends HandlerCommand {
  static override summary = 'Sign a certificate request (CSR) with a CA'
  static override description = `The subject and SANs come from the CSR (its signature is checked first); --dns/--ip add SANs.
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
  }
  static override handler = handler
}
