import {HandlerCommand} from '../../cli/base.js'
import {kubeconfigFlag} from '../../cli/flags/kube.js'
import handler from '../../handlers/kubeconfig/get-clusters.js'
import {ageReadFlags} from '../../cli/flags/age.js'

export default class GetClusters extends HandlerCommand {
  static override summary = 'List cluster names (kubectl config get-clusters)'
  static override description = 'Prints a NAME header and the cluster names of the merged kubeconfig, sorted (kubectl prints clusters in random order). Extra arguments are ignored, as kubectl ignores them.\n\nExit codes: 0 ok; 1 a file cannot be read or parsed.'
  static override examples = ['<%= config.bin %> kubeconfig get-clusters']
  static override strict = false
  static override flags = {
    kubeconfig: kubeconfigFlag,
    ...ageReadFlags,
  }
  static override handler = handler
}
