import {Args, Flags} from '@oclif/core'

import {HandlerCommand} from '../cli/base.js'
import {ageFlags} from '../cli/flags/age.js'
import {helpText} from '../cli/help-text.js'
import handler from '../handlers/decrypt.js'

export default class Decrypt extends HandlerCommand {
  static override summary = 'Decrypt an age-encrypted file, in place, to another file, or to stdout'
  static override description = helpText`Identities: --identity, else AUTHCTL_AGE_IDENTITY_FILE, SOPS_AGE_KEY_FILE, ~/.config/sops/age/keys.txt (each may hold several identities and # comments). Binary and ASCII-armored files are read.

authctl commands read encrypted files directly; decrypt only for tools that cannot. --output - prints the plaintext and writes nothing. Exit codes: 0 done, 1 failure (no matching identity, not an age file), 2 usage.`
  static override examples = [
    '<%= config.bin %> decrypt ~/.kube/config',
    '<%= config.bin %> decrypt talosconfig --identity ~/keys/admin.txt --output -',
  ]
  static override args = {file: Args.string({description: 'the age-encrypted file', required: true})}
  static override flags = {
    identity: ageFlags.identity,
    output: Flags.string({char: 'o', description: 'write here instead of replacing the file; - for stdout'}),
    force: Flags.boolean({description: 'replace an existing --output file'}),
  }
  static override handler = handler
}
