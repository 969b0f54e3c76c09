import {Args} from '@oclif/core'

import {HandlerCommand} from '../../cli/base.js'
import {kubeconfigFlag} from '../../cli/flags/kube.js'
import handler from '../../handlers/kubeconfig/delete-cluster.js'
import {ageFlags} from '../../cli/flags/age.js'

export default class DeleteCluster extends HandlerCommand {
  static override summary = 'Delete a cluster entry (kubectl config delete-cluster)'
  static override description = 'Removes the cluster from the file it came from and prints `deleted cluster NAME from FILE`; contexts that name it are left as they are, as kubectl leaves them.\n\nExit codes: 0 ok; 1 no such cluster, or a file cannot be written; 2 usage (kubectl prints its help and exits 0 for a missing NAME).'
  static override examples = ['<%= config.bin %> kubeconfig delete-cluster old']
  static override flags = {
    kubeconfig: kubeconfigFlag,
    ...ageFlags,
  }
  static override args = {
    name: Args.string({description: 'cluster name', required: true}),
  }
  static override handler = handler
}
