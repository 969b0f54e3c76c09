import {Flags} from '@oclif/core'

import {HandlerCommand} from '../cli/base.js'
import handler from '../handlers/doctor.js'

export default class Doctor extends HandlerCommand {
  static override summary = 'Check kubeconfig contexts: files, certificates, keys, tokens, exec plugins and the server'
  static override description = `For each context a checklist, each item PASS, WARN or FAIL with a one-line fix: kubeconfig file permissions,
referenced files exist, client certificate validity / time left / clientAuth EKU / signed by the cluster CA, key matches
certificate, token expiry and audience (decoded locally), exec plugin on PATH, and a TLS handshake with the server
(reachable, chain verified with the configured CA, name matches the URL host or tls-server-name).

Exit codes: 0 nothing failed (warnings allowed); 1 any check failed; 2 usage error.`
  static override examples = [
    '<%= config.bin %> doctor',
    '<%= config.bin %> doctor --all-contexts --expires-within 30d --json',
    '<%= config.bin %> doctor --kubeconfig ./admin.conf --context admin@prod',
  ]
  static override flags = {
    kubeconfig: Flags.string({description: 'path to the kubeconfig file (default: KUBECONFIG, then ~/.kube/config)'}),
    context: Flags.string({description: 'the context to check (default: current-context)'}),
    'all-contexts': Flags.boolean({description: 'check every context'}),
    'expires-within': Flags.string({description: 'fail (not warn) when a certificate or token expires within this time, e.g. 30d'}),
  }
  static override handler = handler
}
