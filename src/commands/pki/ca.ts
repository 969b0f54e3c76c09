import {Flags} from '@oclif/core'

import {HandlerCommand} from '../../cli/base.js'
import {forceFlag, keyFlags} from '../../cli/flags/pki.js'
import {helpText} from '../../cli/help-text.js'
import handler from '../../handlers/pki/ca.js'
import {ageFlags} from '../../cli/flags/age.js'

export default class PkiCa extends HandlerCommand {
  static override summary = 'Create a self-signed CA (or import the Talos OS CA from a secrets bundle)'
  static override description = helpText`Writes <name>.crt, <name>.key and, like talosctl gen ca, <name>.sha256 (sha256:<hex> of the
SubjectPublicKeyInfo, no newline). KeyUsage certSign+digitalSignature and BasicConstraints CA:TRUE are critical; the
CA has a SubjectKeyIdentifier. --profile talos makes a Talos OS CA: Ed25519, O=talos, EKU serverAuth+clientAuth,
10 years. Exit codes: 0 created, 1 failure (nothing written), 2 usage.`
  static override examples = [
    '<%= config.bin %> pki ca --name ca',
    '<%= config.bin %> pki ca --name k8s-ca --algorithm ecdsa-p256 --cn kubernetes',
    '<%= config.bin %> pki ca --profile talos --name talos-ca',
    '<%= config.bin %> pki ca --from-secrets secrets.yaml --name talos-ca',
  ]
  static override flags = {
    ...keyFlags,
    cn: Flags.string({description: 'subject CommonName (default: the basename of --name when no --org is given)'}),
    force: forceFlag,
    'from-secrets': Flags.string({description: 'write the Talos OS CA (certs.os) of this secrets bundle instead of creating one'}),
    name: Flags.string({default: 'ca', description: 'output path prefix: writes <name>.crt, <name>.key, <name>.sha256'}),
    org: Flags.string({description: 'subject Organization (repeatable)', multiple: true, multipleNonGreedy: true}),
    'passphrase-file': Flags.string({description: 'encrypt the written key (PKCS#8, AES-256) with the passphrase in this file'}),
    profile: Flags.string({description: 'talos: a Talos OS CA (Ed25519, O=talos, EKU serverAuth+clientAuth)', options: ['talos']}),
    ttl: Flags.string({default: '87600h', description: 'validity, e.g. 87600h (10 years)'}),
    ...ageFlags,
  }
  static override handler = handler
}
