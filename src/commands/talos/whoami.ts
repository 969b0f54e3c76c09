import {Flags} from '@oclif/core'

import {HandlerCommand} from '../../cli/base.js'
import {helpText} from '../../cli/help-text.js'
import {talosconfigFlag} from '../../cli/flags/talos.js'
import handler from '../../handlers/talos/whoami.js'
import {ageReadFlags} from '../../cli/flags/age.js'

export default class TalosWhoami extends HandlerCommand {
  static override summary = "Show the Talos roles of a talosconfig context and whether the nodes accept its certificate"
  static override description = helpText`Reads the context's client certificate: its roles (O), subject, issuer and expiry, and checks it the way
apid does (chains to the context's CA, valid now, extended key usage exactly [clientAuth]). Then, for each
endpoint (--endpoints, else the context's), makes one mTLS handshake as talosctl would (port 50000 unless given)
and reports whether the node accepted the certificate and which CA the node's own certificate comes from.

Exit codes: 0 every check passed, 1 a check failed or a node refused the certificate, 2 usage error.`
  static override examples = [
    '<%= config.bin %> talos whoami',
    '<%= config.bin %> talos whoami --context operator --endpoints 10.5.0.2',
    '<%= config.bin %> talos whoami --offline --json',
  ]
  static override flags = {
    talosconfig: talosconfigFlag,
    context: Flags.string({description: 'context to use (default: the current one)'}),
    endpoints: Flags.string({char: 'e', delimiter: ',', description: 'endpoints to probe instead of the context\'s', multiple: true, multipleNonGreedy: true}),
    offline: Flags.boolean({description: 'check the certificate only; contact no node'}),
    timeout: Flags.string({description: 'time to wait for each node (default 5s)'}),
    ...ageReadFlags,
  }
  static override handler = handler
}
