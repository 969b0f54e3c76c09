import {HandlerCommand} from '../../cli/base.js'
import {outputFlag} from '../../cli/flags/output.js'
import {helpText} from '../../cli/help-text.js'
import {authenticationConfigFlag, connectionFlags} from '../../cli/flags/kube.js'
import handler from '../../handlers/auth/whoami.js'
import {ageReadFlags} from '../../cli/flags/age.js'

export default class AuthWhoami extends HandlerCommand {
  static override summary = 'Ask the API server who you are (kubectl auth whoami)'
  static override description = helpText`Sends a SelfSubjectReview (authentication.k8s.io v1, then v1beta1, then v1alpha1 when the API answers
NotFound) with the context's credentials and prints the user the server authenticated: kubectl's ATTRIBUTE/VALUE
table, or the whole review with -o json|yaml. When the server has no SelfSubjectReview API, authctl also prints
what the local credential claims (client certificate CN/O, or token claims), labelled as not confirmed by the server. With --authentication-config, a refused bearer token is run through
that AuthenticationConfiguration to name the issuer, step and rule that refused it.

Exit codes: 0 answered; 1 the server refused or could not be reached; 2 usage error.`
  static override examples = [
    '<%= config.bin %> auth whoami',
    '<%= config.bin %> auth whoami --context dev -o json',
    '<%= config.bin %> auth whoami --as jane --as-group developers',
    '<%= config.bin %> auth whoami --authentication-config authentication-config.yaml',
  ]
  static override flags = {
    ...connectionFlags,
    output: outputFlag(['json', 'yaml']),
    ...authenticationConfigFlag,
    ...ageReadFlags,
  }
  static override handler = handler
}
