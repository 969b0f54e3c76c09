import {HandlerCommand} from '../../cli/base.js'
import {kubeconfigFlag} from '../../cli/flags/kube.js'
import handler from '../../handlers/kubeconfig/get-users.js'
import {ageReadFlags} from '../../cli/flags/age.js'

export default class GetUsers extends HandlerCommand {
  static override summary = 'List user names (kubectl config get-users)'
  static override description = 'Prints a NAME header and the user names of the merged kubeconfig, sorted. Extra arguments are ignored, as kubectl ignores them.\n\nExit codes: 0 ok; 1 a file cannot be read or parsed.'
  static override examples = ['<%= config.bin %> kubeconfig get-users']
  static override strict = false
  static override flags = {
    kubeconfig: kubeconfigFlag,
    ...ageReadFlags,
  }
  static override handler = handler
}
