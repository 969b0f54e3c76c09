import {Flags} from '@oclif/core'

import {HandlerCommand} from '../../cli/base.js'
import {documentOutputFlag} from '../../cli/flags/output.js'
import {helpText} from '../../cli/help-text.js'
import handler from '../../handlers/rbac/who-can.js'
import {policyFlags, requestArgs, requestScopeFlags} from '../../cli/flags/rbac.js'

export default class RbacWhoCan extends HandlerCommand {
  static override summary = 'Which subjects a policy allows to do VERB on TYPE, with the binding that grants each'
  static override description = helpText`Lists every User, Group and ServiceAccount subject that a ClusterRoleBinding (or a RoleBinding in the
namespace) grants the request to, with the binding and role. Members of system:masters are always allowed (the
privileged authorizer runs before RBAC) and are listed last. Subjects that can never match (a ServiceAccount without a
namespace in a ClusterRoleBinding) are left out. -o json|yaml prints the --json document (entries, request) instead.

Exit codes: 0 listed; 2 usage error or unreadable input (policy, --api-resources).`
  static override examples = [
    '<%= config.bin %> rbac who-can delete secrets -n prod -f rbac/',
    '<%= config.bin %> rbac who-can create pods --subresource exec -n dev -f rbac.yaml --json',
  ]
  static override strict = false
  static override args = requestArgs
  static override flags = {
    ...policyFlags,
    ...requestScopeFlags,
    'no-headers': Flags.boolean({description: 'omit the header line'}),
    output: documentOutputFlag,
  }
  static override handler = handler
}
