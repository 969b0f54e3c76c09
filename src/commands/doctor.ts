import {Flags} from '@oclif/core'

import {HandlerCommand} from '../cli/base.js'
import {helpText} from '../cli/help-text.js'
import {authenticationConfigFlag, connectionFlags} from '../cli/flags/kube.js'
import handler from '../handlers/doctor.js'
import {ageReadFlags} from '../cli/flags/age.js'

export default class Doctor extends HandlerCommand {
  static override summary = 'Check kubeconfig or talosconfig contexts end to end, with a one-line fix for each problem'
  static override description = helpText`For each context a checklist, each item PASS, WARN or FAIL with a one-line fix.

kubeconfig (default): file permissions, referenced files exist, client certificate validity / time left / clientAuth EKU / signed by the cluster CA, key matches certificate, token expiry and audience (decoded locally), exec plugin on PATH, a TLS handshake with the server (reachable, chain verified with the configured CA, name matches the URL host or tls-server-name, the server certificate's own expiry), and whoami: a SelfSubjectReview with the context's credentials (with --authentication-config, a refused bearer token is run through the API server's AuthenticationConfiguration to name the rule that refused it).

talosconfig (--talosconfig FILE, or --talos for TALOSCONFIG / ~/.talos/config): file permissions, endpoints, the client certificate as apid judges it (validity, EKU exactly clientAuth, signed by the context CA), its roles, key matches certificate, and an mTLS handshake with each endpoint (node accepts the certificate, node certificate trusted).

--offline skips the network steps (TLS handshakes, whoami, Talos endpoints).

Exit codes: 0 nothing failed (warnings allowed); 1 any check failed; 2 usage error.`
  static override examples = [
    '<%= config.bin %> doctor',
    '<%= config.bin %> doctor --all-contexts --expires-within 30d --json',
    '<%= config.bin %> doctor --kubeconfig ./admin.conf --context admin@prod',
    '<%= config.bin %> doctor --talosconfig ./talosconfig --all-contexts',
  ]
  static override flags = {
    kubeconfig: connectionFlags.kubeconfig,
    talosconfig: Flags.string({description: 'check this talosconfig instead of a kubeconfig'}),
    talos: Flags.boolean({description: 'check the talosconfig talosctl would use (TALOSCONFIG, TALOS_HOME, ~/.talos/config)'}),
    context: Flags.string({description: 'the context to check (default: the current context)'}),
    'all-contexts': Flags.boolean({description: 'check every context'}),
    'expires-within': Flags.string({description: 'fail (not warn) when a certificate or token expires within this time, e.g. 30d'}),
    offline: Flags.boolean({description: 'skip the network steps (TLS handshakes, whoami, Talos endpoints)'}),
    timeout: Flags.string({description: 'time to wait for each server or node (default 5s)'}),
    ...authenticationConfigFlag,
    ...ageReadFlags,
  }
  static override handler = handler
}
