import {Args, Flags} from '@oclif/core'

import {HandlerCommand} from '../../cli/base.js'
import {kubeconfigFlag} from '../../cli/flags/kube.js'
import handler from '../../handlers/kubeconfig/set-context.js'
import {ageFlags} from '../../cli/flags/age.js'

export default class SetContext extends HandlerCommand {
  static override summary = 'Create or modify a context (kubectl config set-context)'
  static override description = 'Sets the cluster, user and namespace of a context (or of the current context with --current). Prints `Context "x" created.` or `Context "x" modified.`\n\nExit codes: 0 ok; 1 no current context with --current, or a file cannot be written; 2 usage.'
  static override examples = ['<%= config.bin %> kubeconfig set-context prod --cluster=prod --user=admin --namespace=default', '<%= config.bin %> kubeconfig set-context --current --namespace=kube-system']
  static override flags = {
    cluster: Flags.string({description: 'cluster name'}),
    current: Flags.boolean({description: 'modify the current context'}),
    namespace: Flags.string({description: 'default namespace'}),
    user: Flags.string({description: 'user name'}),
    kubeconfig: kubeconfigFlag,
    ...ageFlags,
  }
  static override args = {
    name: Args.string({description: 'context name'}),
  }
  static override handler = handler
}
