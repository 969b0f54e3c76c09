import {Flags} from '@oclif/core'

import {HandlerCommand} from '../../cli/base.js'
import {helpText} from '../../cli/help-text.js'
import handler from '../../handlers/oidc/setup.js'
import {issuerFlags, loginFlags} from '../../cli/flags/oidc.js'

export default class OidcSetup extends HandlerCommand {
  static override summary = 'Check an OIDC issuer and client, and show the Kubernetes user its id_token maps to'
  static override description = helpText`Checks discovery and the JWKS, logs in (or uses the cached login) as get-token would, verifies the id_token,
prints its claims and the username, groups and extra that kube-apiserver would derive with the given
--oidc-username-claim/--oidc-username-prefix/--oidc-groups-claim/--oidc-groups-prefix/--oidc-required-claim
flags (the API server's rules, including the "<issuer>#" default prefix and the email_verified check), the
matching kube-apiserver flags, and then writes the exec user (--user, default "oidc") to the kubeconfig, as
\`authctl kubeconfig set-credentials\` (kubectl config set-credentials) would. The user is written only when the
API server would accept the token.

Exit codes: 0 the API server would accept the token; 1 a check failed or the API server would reject the token;
2 usage error. On a terminal (stdin and stdout), a missing --oidc-issuer-url or --oidc-client-id is asked for;
elsewhere it is a usage error.`
  static override examples = [
    '<%= config.bin %> oidc setup --oidc-issuer-url https://issuer.example.com --oidc-client-id kubernetes --oidc-extra-scope email,groups --oidc-username-claim email --oidc-groups-claim groups --oidc-groups-prefix oidc:',
  ]
  static override flags = {
    ...loginFlags,
    // Asked on a terminal when missing (see the handler's setup-questions); off a terminal still a usage error.
    'oidc-client-id': Flags.string({...issuerFlags['oidc-client-id'], description: 'OAuth client ID (also the audience kube-apiserver expects); asked on a terminal when missing', required: false}),
    'oidc-issuer-url': Flags.string({...issuerFlags['oidc-issuer-url'], description: 'issuer URL, exactly as in kube-apiserver --oidc-issuer-url; asked on a terminal when missing', required: false}),
    'oidc-groups-claim': Flags.string({description: 'kube-apiserver --oidc-groups-claim'}),
    'oidc-groups-prefix': Flags.string({description: 'kube-apiserver --oidc-groups-prefix'}),
    'oidc-required-claim': Flags.string({description: 'kube-apiserver --oidc-required-claim KEY=VALUE; repeatable', multiple: true, multipleNonGreedy: true}),
    'oidc-username-claim': Flags.string({description: 'kube-apiserver --oidc-username-claim (default sub)'}),
    'oidc-username-prefix': Flags.string({description: 'kube-apiserver --oidc-username-prefix ("-" for none; unset: "<issuer>#" unless the claim is email)'}),
    kubeconfig: Flags.string({description: 'kubeconfig file to write the user to (default: KUBECONFIG rules, then ~/.kube/config)'}),
    'skip-kubeconfig': Flags.boolean({description: 'print the kubectl set-credentials command instead of writing the kubeconfig'}),
    user: Flags.string({default: 'oidc', description: 'kubeconfig user (AuthInfo) name'}),
  }
  static override handler = handler
}
