import {HandlerCommand} from '../../cli/base.js'
import {kubeconfigFlag} from '../../cli/flags/kube.js'
import handler from '../../handlers/kubeconfig/current-context.js'

export default class CurrentContext extends HandlerCommand {
  static override summary = 'Print the current context (kubectl config current-context)'
  static override description = 'Exit codes: 0 ok; 1 current-context is not set.'
  static override examples = ['<%= config.bin %> kubeconfig current-context']
  static override flags = {
    kubeconfig: kubeconfigFlag,
  }
  static override handler = handler
}
