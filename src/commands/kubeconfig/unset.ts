import {Args} from '@oclif/core'

import {HandlerCommand} from '../../cli/base.js'
import {kubeconfigFlag} from '../../cli/flags/kube.js'
import handler from '../../handlers/kubeconfig/unset.js'
import {ageFlags} from '../../cli/flags/age.js'

export default class UnsetProperty extends HandlerCommand {
  static override summary = 'Unset one value in a kubeconfig file (kubectl config unset)'
  static override description = `PROPERTY_NAME as for \`kubeconfig set\`. Unsetting an entry (clusters.old) deletes it, unsetting a list (users) deletes all its entries, unsetting current-context clears it in the first file that sets it; a missing map key at the end is not an error, as in kubectl.

Exit codes: 0 ok; 1 a bad property path, or a file cannot be written; 2 usage.`
  static override examples = ['<%= config.bin %> kubeconfig unset current-context', '<%= config.bin %> kubeconfig unset contexts.dev.namespace', '<%= config.bin %> kubeconfig unset users.old']
  static override flags = {
    kubeconfig: kubeconfigFlag,
    ...ageFlags,
  }
  static override args = {
    name: Args.string({description: 'PROPERTY_NAME, e.g. contexts.dev.namespace', required: true}),
  }
  static override handler = handler
}
