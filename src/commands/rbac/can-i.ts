import {Args, Flags} from '@oclif/core'

import {HandlerCommand} from '../../cli/base.js'
import {helpText} from '../../cli/help-text.js'
import handler from '../../handlers/rbac/can-i.js'

/** Where the policy comes from; shared by every `rbac` command. */
export const policyFlags = {
  filename: Flags.string({char: 'f', description: 'RBAC manifests: a file, a directory of *.yaml/*.yml/*.json, or - for stdin (repeatable; multi-document YAML and List dumps)', multiple: true, multipleNonGreedy: true}),
  bootstrap: Flags.boolean({allowNo: true, default: true, description: "include kube-apiserver's bootstrap policy (cluster-admin, system:masters, view/edit/admin, discovery); --no-bootstrap for the files alone"}),
}

/** The subject and request flags shared by can-i and explain. */
export const requestFlags = {
  as: Flags.string({description: 'username to check (a service account as system:serviceaccount:NS:NAME)'}),
  'as-group': Flags.string({description: 'group of the user, repeatable', multiple: true, multipleNonGreedy: true}),
  namespace: Flags.string({char: 'n', description: 'namespace of the request (default "default")'}),
  'all-namespaces': Flags.boolean({char: 'A', description: 'check cluster-wide (empty namespace): only ClusterRoleBindings count'}),
  subresource: Flags.string({description: 'subresource, e.g. log, exec or scale'}),
}

export const requestArgs = {
  verb: Args.string({description: 'API verb: get, list, watch, create, update, patch, delete, …, or *'}),
  type: Args.string({description: 'TYPE[.GROUP], TYPE[.GROUP]/NAME or a NONRESOURCEURL (starts with /)'}),
}

export default class RbacCanI extends HandlerCommand {
  static override summary = 'Offline kubectl auth can-i: would this policy allow the request?'
  static override description = helpText`Evaluates the request against RBAC manifests with the same authorizer as \`authctl serve\` and prints
"yes" or "no[ - reason]" like kubectl auth can-i. TYPE is RESOURCE[.GROUP] (no discovery: well-known resources such as
deployments get their group; others need .GROUP); TYPE/NAME names an object, as in kubectl.

Exit codes: 0 yes; 1 no; 2 usage error or unreadable policy.`
  static override examples = [
    '<%= config.bin %> rbac can-i get pods -n dev --as jane -f policy/',
    '<%= config.bin %> rbac can-i create pods -n dev --subresource exec --as jane --as-group devs -f rbac.yaml',
    'kubectl get roles,rolebindings,clusterroles,clusterrolebindings -A -o yaml | <%= config.bin %> rbac can-i list secrets -A --as system:serviceaccount:ci:deployer -f -',
  ]
  static override strict = false
  static override args = requestArgs
  static override flags = {
    ...policyFlags,
    ...requestFlags,
    quiet: Flags.boolean({char: 'q', description: 'print nothing; the exit code is the answer'}),
  }
  static override handler = handler
}
