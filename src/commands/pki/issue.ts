import {Flags} from '@oclif/core'

import {HandlerCommand} from '../../cli/base.js'
import {helpText} from '../../cli/help-text.js'
import handler from '../../handlers/pki/issue.js'
import {KEY_ALGORITHMS} from '../../lib/pki/keys.js'
import {PROFILES} from '../../lib/pki/profiles.js'
import {caFlags, keyFlags, leafFlags} from '../../cli/flags/pki.js'
import {ageFlags} from '../../cli/flags/age.js'

export default class PkiIssue extends HandlerCommand {
  static override summary = 'Generate a key and a signed certificate in one step, by profile'
  static override description = helpText`Profiles:
  kubernetes-user  CN = --user, O = --group values in order, EKU clientAuth
  talos-client     O = --roles sorted (default os:admin), no CN, KeyUsage digitalSignature, EKU exactly [clientAuth];
                   unknown os: roles are rejected unless --allow-unknown-roles
  server           EKU serverAuth, at least one --dns or --ip, CN = --cn or the first SAN
The key is of the CA's algorithm unless --algorithm is given (talos-client keeps the CA's family). Writes <name>.crt
and <name>.key (0600). Exit codes: 0 issued, 1 bad input (nothing written), 2 usage or unknown role.`
  static override examples = [
    '<%= config.bin %> pki issue --profile kubernetes-user --ca ca.crt --user alice --group dev --name alice',
    '<%= config.bin %> pki issue --profile talos-client --from-secrets secrets.yaml --roles os:reader --name reader',
    '<%= config.bin %> pki issue --profile server --ca ca.crt --dns api.example.com --ip 10.0.0.1 --name api',
  ]
  static override flags = {
    ...caFlags,
    ...leafFlags,
    algorithm: Flags.string({description: "key algorithm (default: the CA's)", options: [...KEY_ALGORITHMS]}),
    'allow-unknown-roles': Flags.boolean({description: 'accept os: roles this version does not know (newer Talos)'}),
    cn: Flags.string({description: 'server profile: subject CommonName'}),
    group: Flags.string({description: 'kubernetes-user profile: group (O), repeatable, order kept', multiple: true, multipleNonGreedy: true}),
    'key-format': keyFlags['key-format'],
    name: Flags.string({description: 'output path prefix: writes <name>.crt and <name>.key', required: true}),
    profile: Flags.string({description: 'certificate profile', options: [...PROFILES], required: true}),
    roles: Flags.string({delimiter: ',', description: 'talos-client profile: Talos roles (repeatable, comma-separated; default os:admin)', multiple: true, multipleNonGreedy: true}),
    user: Flags.string({description: 'kubernetes-user profile: user name (CN)'}),
    ...ageFlags,
  }
  static override handler = handler
}
