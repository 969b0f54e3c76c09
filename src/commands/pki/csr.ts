import {Flags} from '@oclif/core'

import {HandlerCommand} from '../../cli/base.js'
import {forceFlag} from '../../cli/flags/pki.js'
import {helpText} from '../../cli/help-text.js'
import handler from '../../handlers/pki/csr.js'
import {ageReadFlags} from '../../cli/flags/age.js'

export default class PkiCsr extends HandlerCommand {
  static override summary = 'Create a certificate request (CSR) for a key'
  static override description = helpText`Subject O values come before CN (Go's order); each O is its own RDN, as openssl -subj writes them.
The key may be PKCS#8, PKCS#1, SEC1, Talos's ED25519 PRIVATE KEY, or encrypted (--passphrase-file).
Exit codes: 0 written, 1 bad input (nothing written), 2 usage.`
  static override examples = [
    '<%= config.bin %> pki csr --key alice.key --cn alice --org dev --org ops --out alice.csr',
    '<%= config.bin %> pki csr --key admin.key --org os:admin --ip 10.0.0.2 --out -',
  ]
  static override flags = {
    cn: Flags.string({description: 'subject CommonName (the Kubernetes user)'}),
    dns: Flags.string({delimiter: ',', description: 'DNS SAN (repeatable, comma-separated)', multiple: true, multipleNonGreedy: true}),
    force: forceFlag,
    ip: Flags.string({delimiter: ',', description: 'IP SAN (repeatable, comma-separated)', multiple: true, multipleNonGreedy: true}),
    key: Flags.string({description: 'private key (PEM)', required: true}),
    org: Flags.string({description: 'subject Organization: Kubernetes group or Talos role (repeatable)', multiple: true, multipleNonGreedy: true}),
    out: Flags.string({description: 'CSR file to write, - for stdout', required: true}),
    'passphrase-file': Flags.string({description: 'passphrase of an encrypted key'}),
    ...ageReadFlags,
  }
  static override handler = handler
}
