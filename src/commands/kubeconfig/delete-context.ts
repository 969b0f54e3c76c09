import {Args, Flags} from '@oclif/core'

import {HandlerCommand} from '../../cli/base.js'
import {kubeconfigFlag} from '../../cli/flags/kube.js'
import handler from '../../handlers/kubeconfig/delete-context.js'
import {ageFlags} from '../../cli/flags/age.js'

export default class DeleteContext extends HandlerCommand {
  static override summary = 'Delete a context (kubectl config delete-context)'
  static override description = 'Removes the context from the file it came from. Deleting the current context warns but leaves current-context set, as kubectl does. --cascade also deletes its cluster and user when no other context uses them.\n\nExit codes: 0 ok; 1 no such context; 2 usage.'
  static override examples = ['<%= config.bin %> kubeconfig delete-context old', '<%= config.bin %> kubeconfig delete-context old --cascade']
  static override flags = {
    cascade: Flags.boolean({description: 'also delete its cluster and user when no other context uses them'}),
    kubeconfig: kubeconfigFlag,
    ...ageFlags,
  }
  static override args = {
    name: Args.string({description: 'context name', required: true}),
  }
  static override handler = handler
}
