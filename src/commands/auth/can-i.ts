import {Flags} from '@oclif/core'

import {HandlerCommand} from '../../cli/base.js'
import {quietFlag} from '../../cli/flags/common.js'
import {helpText} from '../../cli/help-text.js'
import handler from '../../handlers/auth/can-i.js'
import {accessCheckArgs, accessCheckFlags, connectionFlags} from '../../cli/flags/kube.js'
import {ageReadFlags} from '../../cli/flags/age.js'

export default class AuthCanI extends HandlerCommand {
  static override summary = 'Check whether an action is allowed (kubectl auth can-i)'
  static override description = helpText`Asks the API server with a SelfSubjectAccessReview whether the context's user may do VERB on TYPE[/NAME]
or on a non-resource URL (/logs), and prints "yes" or "no[ - reason][ - evaluationError]". TYPE is resolved through
discovery (short names, TYPE.group), with kubectl's warnings on stderr. --list prints the rules from a
SelfSubjectRulesReview for the namespace. --batch FILE runs many checks (a YAML/JSON list of {verb, resource,
namespace?, subresource?, allNamespaces?, as?, asGroups?, asUid?, expect?: yes|no}) in one process.

Exit codes: 0 yes (or --list / --batch with every expectation met); 1 no, a failed expectation, or a server error;
2 usage error or unreadable input (kubeconfig, --batch file). kubectl cannot tell "no" from "no answer" by exit code
either; --exit-code-detail keeps 0 and 1 for the answer and exits 3 when there is none (server unreachable, TLS or
credential failure, server error; with --batch, any check that errored).`
  static override examples = [
    '<%= config.bin %> auth can-i get pods',
    '<%= config.bin %> auth can-i list deployments.apps -n prod --as jane',
    '<%= config.bin %> auth can-i get pods --subresource=log',
    '<%= config.bin %> auth can-i get /logs/',
    '<%= config.bin %> auth can-i --list -n dev',
    '<%= config.bin %> auth can-i --batch rbac-checks.yaml',
    '<%= config.bin %> auth can-i create deployments -n prod --exit-code-detail',
  ]
  static override strict = false
  static override args = accessCheckArgs
  static override flags = {
    ...connectionFlags,
    ...accessCheckFlags,
    list: Flags.boolean({description: 'list every allowed action in the namespace'}),
    'no-headers': Flags.boolean({description: 'with --list: omit the header line'}),
    quiet: quietFlag,
    batch: Flags.string({description: 'YAML/JSON file of checks with expected answers; exit 1 if any fails'}),
    'exit-code-detail': Flags.boolean({description: 'exit 3 (not 1) when the answer could not be obtained: 0 yes, 1 no, 3 no answer'}),
    ...ageReadFlags,
  }
  static override handler = handler
}
