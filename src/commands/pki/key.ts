import {Flags} from '@oclif/core'

import {HandlerCommand} from '../../cli/base.js'
import {forceFlag, keyFlags} from '../../cli/flags/pki.js'
import {helpText} from '../../cli/help-text.js'
import handler from '../../handlers/pki/key.js'

export default class PkiKey extends HandlerCommand {
  static override summary = 'Generate a private key'
  static override description = helpText`Ed25519 keys are written with the label Talos writes (ED25519 PRIVATE KEY, PKCS#8 body), ECDSA as
SEC1 (EC PRIVATE KEY) and RSA as PKCS#1 (RSA PRIVATE KEY); --key-format pkcs8 writes PRIVATE KEY for all. New key
files get mode 0600. Exit codes: 0 written, 1 failure, 2 usage.`
  static override examples = [
    '<%= config.bin %> pki key --out alice.key',
    '<%= config.bin %> pki key --algorithm rsa-3072 --key-format pkcs8 --out web.key',
  ]
  static override flags = {
    ...keyFlags,
    force: forceFlag,
    out: Flags.string({description: 'key file to write', required: true}),
    'passphrase-file': Flags.string({description: 'encrypt the key (PKCS#8, AES-256) with the passphrase in this file'}),
  }
  static override handler = handler
}
