import {Flags} from '@oclif/core'

import {HandlerCommand} from '../../cli/base.js'
import handler from '../../handlers/kubeconfig/new.js'
import {ageFlags} from '../../cli/flags/age.js'

export default class New extends HandlerCommand {
  static override summary = 'Issue a client certificate and write a ready kubeconfig (kubeadm kubeconfig user)'
  static override description = 'Issues a kubernetes-user client certificate (CN = --user, O = --group values) signed by the CA and builds a kubeconfig with the certificate, key and server CA embedded. Prints it to stdout, writes it to --out (0600, --force to replace), or merges it into --merge-into with the rename-on-conflict rules of `kubeconfig merge` (the target keeps its current-context if it has one).\n\nExit codes: 0 written; 1 bad CA, unreadable file, or --out exists; 2 usage.'
  static override examples = [
    '<%= config.bin %> kubeconfig new --ca ca.crt --ca-key ca.key --user alice --group dev --server https://10.0.0.1:6443 --out alice.kubeconfig',
    '<%= config.bin %> kubeconfig new --ca ca.crt --ca-key ca.key --user ci --ttl 24h --server https://api:6443 --merge-into ~/.kube/config',
  ]
  static override flags = {
    ca: Flags.string({description: 'CA certificate (PEM) that signs the client certificate', required: true}),
    'ca-cert-for-server': Flags.string({description: 'CA bundle that verifies the API server (default: --ca)'}),
    'ca-key': Flags.string({description: 'CA private key (PEM)', required: true}),
    cluster: Flags.string({default: 'kubernetes', description: 'cluster entry name'}),
    context: Flags.string({description: 'context name (default: <user>@<cluster>)'}),
    force: Flags.boolean({description: 'replace an existing --out file'}),
    group: Flags.string({description: 'group (O), repeatable', multiple: true, multipleNonGreedy: true}),
    'merge-into': Flags.string({description: 'merge into this kubeconfig file (created if missing)'}),
    namespace: Flags.string({description: 'default namespace of the context'}),
    out: Flags.string({description: 'write the kubeconfig to this file'}),
    server: Flags.string({description: 'API server URL', required: true}),
    ttl: Flags.string({default: '8760h', description: 'certificate lifetime, e.g. 24h, 30d'}),
    user: Flags.string({description: 'user name (CN)', required: true}),
    ...ageFlags,
  }
  static override handler = handler
}
