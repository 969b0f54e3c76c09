import {Flags} from '@oclif/core'

import {HandlerCommand} from '../../cli/base.js'
import {documentOutputFlag} from '../../cli/flags/output.js'
import {helpText} from '../../cli/help-text.js'
import handler from '../../handlers/rbac/matrix.js'
import {namespaceFlags, policyFlags, subjectFlags} from '../../cli/flags/rbac.js'

export default class RbacMatrix extends HandlerCommand {
  static override summary = 'Verb × resource table of what a user may do (rakkess-style), computed offline'
  static override description = helpText`One row per resource and one column per verb (get list watch create update patch delete deletecollection),
✔ allowed, ✖ not; every cell is a full authorization decision. The resources are those named by the policy's rules
(wildcards left out), or --resource RESOURCE[.GROUP][/SUBRESOURCE] (repeatable). -o json|yaml prints the --json
document (namespace, rows, user, verbs) instead of the table.

Exit codes: 0 printed; 2 usage error or unreadable input (policy, --api-resources).`
  static override examples = [
    '<%= config.bin %> rbac matrix --as jane -n dev -f rbac/',
    '<%= config.bin %> rbac matrix --as-group devs -n dev --resource pods --resource deployments.apps --verb get --verb delete -f rbac.yaml',
  ]
  static override flags = {
    ...policyFlags,
    ...subjectFlags,
    ...namespaceFlags,
    resource: Flags.string({description: 'resource row, repeatable (default: every resource the policy names)', multiple: true, multipleNonGreedy: true}),
    verb: Flags.string({description: 'verb column, repeatable', multiple: true, multipleNonGreedy: true}),
    output: documentOutputFlag,
  }
  static override handler = handler
}
