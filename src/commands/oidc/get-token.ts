import {HandlerCommand} from '../../cli/base.js'
import {helpText} from '../../cli/help-text.js'
import handler from '../../handlers/oidc/get-token.js'
import {loginFlags} from '../../cli/flags/oidc.js'

export default class OidcGetToken extends HandlerCommand {
  static override summary = 'Exec credential plugin for kubectl: print an ExecCredential with an OIDC id_token'
  static override description = helpText`Returns a cached id_token while it is valid, else refreshes it with the cached refresh token, else logs in:
authorization code with PKCE (S256) on a loopback redirect (a browser is opened only with a display and a
terminal; otherwise the URL is printed on stderr), the device code grant, or client credentials for CI.

The cache holds one 0600 file per key; the key covers every input that changes the token (issuer, client,
secret, scopes, grant type, CA, extra parameters). Parallel calls share one login through a per-key lock.
Calls without a person at the terminal (KUBERNETES_EXEC_INFO spec.interactive false, or stdin not a terminal)
fail at once while another process's login is pending, or after a failed login or refresh, instead of
opening more browser tabs.

The apiVersion of the output follows KUBERNETES_EXEC_INFO (client.authentication.k8s.io/v1 when run by hand).

Exit codes: 0 token printed; 1 login, refresh or verification failed; 2 usage error; 130/143 login interrupted.`
  static override examples = [
    'kubectl config set-credentials oidc --exec-api-version=client.authentication.k8s.io/v1 --exec-command=authctl --exec-arg=oidc --exec-arg=get-token --exec-arg=--oidc-issuer-url=https://issuer.example.com --exec-arg=--oidc-client-id=kubernetes',
    '<%= config.bin %> oidc get-token --oidc-issuer-url https://issuer.example.com --oidc-client-id kubernetes --oidc-extra-scope email,groups,offline_access',
    '<%= config.bin %> oidc get-token --oidc-issuer-url https://issuer.example.com --oidc-client-id ci --oidc-client-secret "$SECRET" --grant-type client-credentials',
  ]
  static override flags = loginFlags
  static override handler = handler
}
