import {Args} from '@oclif/core'

import {HandlerCommand} from '../../cli/base.js'
import {kubeconfigFlag} from '../../cli/flags/kube.js'
import handler from '../../handlers/kubeconfig/rename-context.js'
import {ageFlags} from '../../cli/flags/age.js'

export default class RenameContext extends HandlerCommand {
  static override summary = 'Rename a context (kubectl config rename-context)'
  static override description = 'Renames the context in the file it came from; current-context follows.\n\nExit codes: 0 ok; 1 no such context, or the new name exists; 2 usage.'
  static override examples = ['<%= config.bin %> kubeconfig rename-context kind-dev dev']
  static override flags = {
    kubeconfig: kubeconfigFlag,
    ...ageFlags,
  }
  static override args = {
    old: Args.string({description: 'current name', required: true}),
    new: Args.string({description: 'new name', required: true}),
  }
  static override handler = handler
}
