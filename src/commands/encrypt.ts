import {Args, Flags} from '@oclif/core'

import {HandlerCommand} from '../cli/base.js'
import {ageFlags} from '../cli/flags/age.js'
import {helpText} from '../cli/help-text.js'
import handler from '../handlers/encrypt.js'

export default class Encrypt extends HandlerCommand {
  static override summary = 'Encrypt a file with age, in place or to another file'
  static override description = helpText`The file is encrypted in memory and replaces itself (or goes to --output) atomically; no plaintext copy is written.

Recipients: --encrypt-to and --recipients-file; without them, the recipients of your age identities (--identity, AUTHCTL_AGE_IDENTITY_FILE, SOPS_AGE_KEY_FILE, ~/.config/sops/age/keys.txt), so you can decrypt it again. An encrypted file is re-encrypted only when recipients are named: that is how its recipients are changed.

Every authctl command then reads the file as before, and writes it back encrypted to the same recipients. Exit codes: 0 written, 1 failure, 2 usage.`
  static override examples = [
    '<%= config.bin %> encrypt ~/.kube/config',
    '<%= config.bin %> encrypt talosconfig --encrypt-to age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p --armor',
    '<%= config.bin %> encrypt secrets.yaml --recipients-file team.txt --output secrets.yaml.age',
  ]
  static override args = {file: Args.string({description: 'the file to encrypt', required: true})}
  static override flags = {
    ...ageFlags,
    armor: Flags.boolean({char: 'a', description: 'write ASCII armor (-----BEGIN AGE ENCRYPTED FILE-----) instead of binary'}),
    output: Flags.string({char: 'o', description: 'write here instead of replacing the file'}),
    force: Flags.boolean({description: 'replace an existing --output file'}),
  }
  static override handler = handler
}
