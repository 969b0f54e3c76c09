import {HandlerCommand} from '../../cli/base.js'
import {documentOutputFlag} from '../../cli/flags/output.js'
import {helpText} from '../../cli/help-text.js'
import handler from '../../handlers/rbac/explain.js'
import {chainFlags, policyFlags, requestArgs, requestFlags} from '../../cli/flags/rbac.js'

export default class RbacExplain extends HandlerCommand {
  static override summary = 'Why a request is allowed or denied: every granting binding and rule, or the near misses'
  static override description = helpText`Evaluates the request like \`rbac can-i\` and explains it. When allowed: every binding and rule that grants it,
in kube-apiserver's wording (ClusterRoleBinding "x" of ClusterRole "y" to User "z"); the first is the server's reason.
When denied: each near miss and why it fails —
  namespace                a RoleBinding grants the role only in its own namespace
  resourceNames            a rule limited to names cannot grant list/watch/create/deletecollection (no name)
  missingRole              the roleRef points to a role that does not exist
  serviceAccountNamespace  a ClusterRoleBinding names a ServiceAccount without a namespace
  verb / apiGroup / resource / nonResourceURL  the one field of an otherwise matching rule that differs
  subresource              pods does not cover pods/exec (and the reverse)
  groupName / userName     a subject differing only by a prefix or case (OIDC prefix)
-o json|yaml prints the --json document instead of the text.

With --authorization-config (and --webhook-answer stubs, as for \`rbac can-i\`) the chain's answer comes first, with
every authorizer asked and what it answered, then RBAC's own explanation; the exit code follows the chain.

Exit codes: 0 allowed; 1 denied; 2 usage error or unreadable input (policy, --api-resources, --authorization-config);
3 unknown offline (an unstubbed webhook would decide).`
  static override examples = [
    '<%= config.bin %> rbac explain create pods --subresource exec -n dev --as jane -f rbac/',
    '<%= config.bin %> rbac explain list secrets -n prod --as-group oidc:ops -f rbac.yaml --json',
    '<%= config.bin %> rbac explain get secrets -n prod --as jane -f rbac/ --authorization-config authz.yaml --webhook-answer secrets-policy=no-opinion',
  ]
  static override strict = false
  static override args = requestArgs
  static override flags = {...policyFlags, ...requestFlags, ...chainFlags, output: documentOutputFlag}
  static override handler = handler
}
