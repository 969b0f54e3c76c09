// age encryption at rest: where identities and recipients come from. Spread into any command that reads or writes
// credential files; without these flags the identities come from the environment (see src/lib/files/age.ts).
import {Flags} from '@oclif/core'

/** For commands that only read credential files. */
export const ageReadFlags = {
  identity: Flags.string({
    description: 'age identity file to decrypt with, repeatable (default: AUTHCTL_AGE_IDENTITY_FILE, SOPS_AGE_KEY_FILE, ~/.config/sops/age/keys.txt)',
    helpGroup: 'ENCRYPTION',
    multiple: true,
    multipleNonGreedy: true,
  }),
}

/** For commands that write credential files: read flags plus where a new file is encrypted to. */
export const ageFlags = {
  ...ageReadFlags,
  'encrypt-to': Flags.string({
    description: 'age recipient (age1…) to encrypt written files to, repeatable; replaces the recipients of an encrypted file',
    helpGroup: 'ENCRYPTION',
    multiple: true,
    multipleNonGreedy: true,
  }),
  'recipients-file': Flags.string({
    description: 'file of age recipients, one a line (as age -R), repeatable; adds to --encrypt-to',
    helpGroup: 'ENCRYPTION',
    multiple: true,
    multipleNonGreedy: true,
  }),
}
