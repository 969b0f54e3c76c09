import {Flags} from '@oclif/core'

import {HandlerCommand} from '../../cli/base.js'
import {forceFlag, keyFlags} from '../../cli/flags/pki.js'
import {helpText} from '../../cli/help-text.js'
import handler from '../../handlers/pki/key.js'
import {ageFlags} from '../../cli/flags/age.js'

export default class PkiKey extends HandlerCommand {
  static override summary = 'Generate a private key'
  static override description = helpText`Keys are written as PKCS#8 (PRIVATE KEY), what openssl, kubeadm and kubectl users expect;
--key-format talos writes the labels Talos writes: Ed25519 as ED25519 PRIVATE KEY (PKCS#8 body), ECDSA as SEC1
(EC PRIVATE KEY), RSA as PKCS#1 (RSA PRIVATE KEY). Every authctl command reads all of these. New key files get mode 0600. Exit codes: 0 written, 1 failure, 2 usage.`
  static override examples = [
    '<%= config.bin %> pki key --out alice.key',
    '<%= config.bin %> pki key --algorithm rsa-3072 --key-format talos --out web.key',
  ]
  static override flags = {
    ...keyFlags,
    force: forceFlag,
    out: Flags.string({description: 'key file to write', required: true}),
    'passphrase-file': Flags.string({description: 'encrypt the key (PKCS#8, AES-256) with the passphrase in this file'}),
    ...ageFlags,
  }
  static override handler = handler
}
