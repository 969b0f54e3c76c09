// Flags shared by the renewal commands (pki renew, kubeconfig renew-credentials, talosconfig renew).
import {Flags} from '@oclif/core'

export const renewFlags = {
  'if-due': Flags.string({description: 'renew only when due: a share of the lifetime left (33%) or a duration (720h), as pki needs-renewal'}),
  'rotate-key': Flags.boolean({description: 'generate a new key of the same algorithm (same PEM form) and replace the old one'}),
  ttl: Flags.string({description: "lifetime of the new certificate (default: the old one's)"}),
}
