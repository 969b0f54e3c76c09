import {Flags} from '@oclif/core'

import {HandlerCommand} from '../cli/base.js'
import {helpText} from '../cli/help-text.js'
import handler from '../handlers/quickstart.js'

export default class Quickstart extends HandlerCommand {
  static override summary = 'Create a sandbox: CAs, users, an RBAC policy, a server config, a kubeconfig and a talosconfig'
  static override description = helpText`Everything needed to try authctl end to end on one machine with no cluster: a CA and a server
certificate for \`authctl serve\`, four identities (admin in system:masters and developer jane with client
certificates, a reader with a static token, the ServiceAccount default/ci with a bound token), the RBAC policy
(ClusterRole pod-reader bound to jane in default, edit for group developers in dev, view for readers and ci), a
server config, a kubeconfig with one context per identity, and a talosconfig with reader, operator and admin contexts.
Existing files are not overwritten without --force.`
  static override examples = [
    '<%= config.bin %> quickstart --dir /tmp/sandbox',
    '<%= config.bin %> serve --config /tmp/sandbox/server.yaml',
  ]
  static override flags = {
    dir: Flags.string({description: 'directory to create (default ./authctl-quickstart)'}),
    server: Flags.string({description: 'API server URL for the kubeconfig (default https://127.0.0.1:6443)'}),
    force: Flags.boolean({description: 'overwrite existing files'}),
  }
  static override handler = handler
}
