// Flags and args shared by the offline `rbac` command classes.
import {Args, Flags} from '@oclif/core'

/** Where the policy comes from; shared by every `rbac` command. */
export const policyFlags = {
  filename: Flags.string({char: 'f', description: 'RBAC manifests: a file, a directory of *.yaml/*.yml/*.json, or - for stdin (repeatable; multi-document YAML and List dumps)', multiple: true, multipleNonGreedy: true}),
  'api-resources': Flags.string({description: 'more API resources (CRDs) to resolve TYPE against: the output of `kubectl api-resources -o wide`, or discovery JSON (APIResourceList, APIGroupDiscoveryList)'}),
  bootstrap: Flags.boolean({allowNo: true, description: "include kube-apiserver's bootstrap policy (cluster-admin, system:masters, view/edit/admin, discovery); --no-bootstrap for the files alone"}),
}

/** Who asks: shared by can-i, explain and matrix. */
export const subjectFlags = {
  as: Flags.string({description: 'username to check (a service account as system:serviceaccount:NS:NAME)'}),
  'as-group': Flags.string({description: 'group of the user, repeatable', multiple: true, multipleNonGreedy: true}),
}

/** The namespace of the request: shared by every request-shaped command. */
export const namespaceFlags = {
  namespace: Flags.string({char: 'n', description: 'namespace of the request (default "default")'}),
  'all-namespaces': Flags.boolean({char: 'A', description: 'check cluster-wide (empty namespace): only ClusterRoleBindings count'}),
}

/** Where the request is made: shared by can-i, explain and who-can. */
export const requestScopeFlags = {
  ...namespaceFlags,
  subresource: Flags.string({description: 'subresource, e.g. log, exec or scale'}),
}

/** Who asks, and where: shared by can-i and explain. */
export const requestFlags = {...subjectFlags, ...requestScopeFlags}

export const requestArgs = {
  verb: Args.string({description: 'API verb: get, list, watch, create, update, patch, delete, …, or *'}),
  type: Args.string({description: 'TYPE[.GROUP], TYPE[.GROUP]/NAME or a NONRESOURCEURL (starts with /)'}),
}

/** The authorizer chain to answer with instead of RBAC alone: shared by can-i. */
export const chainFlags = {
  'authorization-config': Flags.string({description: 'AuthorizationConfiguration file: answer with its authorizer chain (RBAC, Node, AlwaysAllow, AlwaysDeny, Webhook) and report which authorizer decided'}),
  'webhook-answer': Flags.string({description: 'with --authorization-config: NAME=allow|deny|no-opinion, what webhook NAME answers when its matchConditions let it be asked (repeatable; unstubbed webhooks are unknown offline)', multiple: true, multipleNonGreedy: true}),
}
