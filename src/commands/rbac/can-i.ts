import {Flags} from '@oclif/core'

import {HandlerCommand} from '../../cli/base.js'
import {documentOutputFlag} from '../../cli/flags/output.js'
import {quietFlag} from '../../cli/flags/common.js'
import {chainFlags, policyFlags, requestArgs, requestFlags} from '../../cli/flags/rbac.js'
import {helpText} from '../../cli/help-text.js'
import handler from '../../handlers/rbac/can-i.js'

export default class RbacCanI extends HandlerCommand {
  static override summary = 'Offline kubectl auth can-i: would this policy allow the request?'
  static override description = helpText`Evaluates the request against RBAC manifests with the same authorizer as \`authctl serve\` and prints
"yes" or "no[ - reason]" like kubectl auth can-i. TYPE resolves as in kubectl against the built-in API groups (short
names, kinds, TYPE.GROUP) plus --api-resources; an unknown TYPE gets kubectl's warning. TYPE/NAME names an object.
--list prints the user's rules in the namespace exactly as kubectl auth can-i --list prints them. -o json|yaml prints
the --json document (the answer with the request and user, or with --list the rules) instead.

With --authorization-config the answer comes from that file's authorizer chain as kube-apiserver runs it
(system:masters first, then its RBAC, Node, AlwaysAllow, AlwaysDeny and Webhook authorizers in order) and a
"decided by:" line names the authorizer that decided; the JSON document lists every authorizer's answer. Webhooks are
not called: their matchConditions are evaluated, and one that would be asked answers what --webhook-answer NAME=…
says, or leaves the answer unknown (exit 3).

Exit codes: 0 yes; 1 no; 2 usage error or unreadable input (policy, --api-resources, --authorization-config);
3 unknown offline (an unstubbed webhook would decide).`
  static override examples = [
    '<%= config.bin %> rbac can-i get pods -n dev --as jane -f policy/',
    '<%= config.bin %> rbac can-i --list -n dev --as jane -f policy/',
    '<%= config.bin %> rbac can-i --list -n dev --as jane -f policy/ -o yaml',
    '<%= config.bin %> rbac can-i create pods -n dev --subresource exec --as jane --as-group devs -f rbac.yaml',
    'kubectl get roles,rolebindings,clusterroles,clusterrolebindings -A -o yaml | <%= config.bin %> rbac can-i list secrets -A --as system:serviceaccount:ci:deployer -f -',
    '<%= config.bin %> rbac can-i get secrets -n prod --as jane -f policy/ --authorization-config authz.yaml --webhook-answer policy-webhook=deny',
  ]
  static override strict = false
  static override args = requestArgs
  static override flags = {
    ...policyFlags,
    ...requestFlags,
    ...chainFlags,
    output: documentOutputFlag,
    quiet: quietFlag,
    list: Flags.boolean({description: 'list every action the user may take in the namespace, as kubectl auth can-i --list prints it'}),
    'no-headers': Flags.boolean({description: 'with --list: omit the header line'}),
  }
  static override handler = handler
}
