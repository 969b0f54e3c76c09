// Flags and args shared by the auth command classes: how to reach the API (kubectl's names) and what to check.
import {Args, Flags} from '@oclif/core'

/** --kubeconfig for the kubeconfig commands (the file to read, and to write new entries to). */
export const kubeconfigFlag = Flags.string({description: 'path to the kubeconfig file to use (default: KUBECONFIG, then ~/.kube/config)'})

export const connectionFlags = {
  kubeconfig: Flags.string({description: 'path to the kubeconfig file (default: KUBECONFIG, then ~/.kube/config)'}),
  context: Flags.string({description: 'the kubeconfig context to use (default: current-context)'}),
  namespace: Flags.string({char: 'n', description: 'namespace (default: the context\'s, then "default")'}),
  as: Flags.string({description: 'username to impersonate (Impersonate-User)'}),
  'as-group': Flags.string({description: 'group to impersonate, repeatable (Impersonate-Group)', multiple: true, multipleNonGreedy: true}),
  'as-uid': Flags.string({description: 'UID to impersonate (Impersonate-Uid)'}),
  'request-timeout': Flags.string({description: 'per-request timeout, e.g. 10s or 1m (default 32s; 0 = default)'}),
}

/** VERB and TYPE[/NAME] | NONRESOURCEURL, as kubectl auth can-i takes them. */
export const accessCheckArgs = {
  verb: Args.string({description: 'API verb: get, list, watch, create, update, patch, delete, …, or *'}),
  type: Args.string({description: 'TYPE, TYPE/NAME or NONRESOURCEURL (starts with /)'}),
}

export const accessCheckFlags = {
  'all-namespaces': Flags.boolean({char: 'A', description: 'check the action in all namespaces'}),
  subresource: Flags.string({description: 'subresource, e.g. log or scale'}),
}

/** The API server's AuthenticationConfiguration, run locally to say which rule refused a bearer token. */
export const authenticationConfigFlag = {
  'authentication-config': Flags.string({description: 'the API server\'s AuthenticationConfiguration file: when it answers 401, the token is run through it to name the rule that refused it (keys from each issuer\'s discovery)'}),
}
