import {Flags} from '@oclif/core'

import {HandlerCommand} from '../../cli/base.js'
import {helpText} from '../../cli/help-text.js'
import {ageFlags} from '../../cli/flags/age.js'
import {kubeconfigFlag} from '../../cli/flags/kube.js'
import {caFlags} from '../../cli/flags/pki.js'
import {renewFlags} from '../../cli/flags/renew.js'
import handler from '../../handlers/kubeconfig/renew-credentials.js'

export default class RenewCredentials extends HandlerCommand {
  static override summary = 'Re-issue the client certificates of kubeconfig users that a CA issued, in place'
  static override description = helpText`Chooses the user of the current context, of --context, --user, or --all users. Renews each one whose client
certificate (client-certificate-data, or a client-certificate file with its client-key beside it) this CA issued, with
the same subject, groups and usages (see \`pki renew\`); skips the others with a reason: another CA, a token or exec
user, or not due (--if-due). The kubeconfig and the certificate and key files change in one step: on any failure
every file stays as it was.
Exit codes (for cron and CI): 0 renewed or nothing due, 1 failed (nothing written), 2 usage.`
  static override examples = [
    '<%= config.bin %> kubeconfig renew-credentials --ca ca.crt',
    '<%= config.bin %> kubeconfig renew-credentials --all --ca ca.crt --if-due 33% --json',
  ]
  static override flags = {
    ...ageFlags,
    ...renewFlags,
    all: Flags.boolean({description: 'every user of the kubeconfig', exclusive: ['context', 'user']}),
    ca: caFlags.ca,
    'ca-key': caFlags['ca-key'],
    'ca-passphrase-file': caFlags['ca-passphrase-file'],
    context: Flags.string({description: 'the user of this context (default: the current context)', exclusive: ['user']}),
    kubeconfig: kubeconfigFlag,
    user: Flags.string({description: 'this user'}),
  }
  static override handler = handler
}
