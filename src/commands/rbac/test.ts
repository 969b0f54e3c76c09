import {Args} from '@oclif/core'

import {HandlerCommand} from '../../cli/base.js'
import {documentOutputFlag} from '../../cli/flags/output.js'
import {helpText} from '../../cli/help-text.js'
import handler from '../../handlers/rbac/test.js'
import {policyFlags} from '../../cli/flags/rbac.js'

export default class RbacTest extends HandlerCommand {
  static override summary = 'Check access expectations against a policy offline: a CI gate for RBAC changes'
  static override description = helpText`TESTS is a YAML/JSON list (or {tests: [...]}) of sentences
  SUBJECT [in groups G1,G2] can|cannot VERB RESOURCE[.GROUP][/SUBRESOURCE] [named NAME] [in NAMESPACE | cluster-wide]
e.g. "jane can get pods in dev", "ci cannot delete secrets in prod", "group:oncall can create pods/exec in prod",
"system:serviceaccount:ci:deployer can patch deployments in prod"; or objects
  {as, groups?, verb, resource, subresource?, name?, namespace?, expect: allow|deny}.
The namespace defaults to "default". SUBJECT group:NAME is a member of that group alone. Every test prints PASS or
FAIL; a failure shows expected and actual and the grants or near misses behind the answer. -o json|yaml prints the
--json document (failed, outcomes, passed) instead; the summary line stays on stderr.

Exit codes: 0 every expectation met; 1 any failed; 2 usage error, unreadable tests, policy or --api-resources.`
  static override examples = [
    '<%= config.bin %> rbac test rbac-tests.yaml -f rbac/',
    '<%= config.bin %> rbac test rbac-tests.yaml -f rbac/ --json',
  ]
  static override args = {
    tests: Args.string({description: 'tests file (YAML/JSON), or - for stdin', required: true}),
  }
  static override flags = {...policyFlags, output: documentOutputFlag}
  static override handler = handler
}
