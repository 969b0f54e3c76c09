import {Flags} from '@oclif/core'

import {HandlerCommand} from '../../cli/base.js'
import {kubeconfigFlag} from '../../cli/flags/kube.js'
import handler from '../../handlers/kubeconfig/current-context.js'
import {ageReadFlags} from '../../cli/flags/age.js'

export default class CurrentContext extends HandlerCommand {
  static override summary = 'Print the current context (kubectl config current-context)'
  static override description = 'Prints the current-context of the merged kubeconfig. --context is accepted for kubectl compatibility and, as in kubectl, does not change the answer: the command reports what the files say.\n\nExit codes: 0 ok; 1 current-context is not set.'
  static override examples = ['<%= config.bin %> kubeconfig current-context']
  static override flags = {
    context: Flags.string({description: 'accepted and ignored, as kubectl ignores it here'}),
    kubeconfig: kubeconfigFlag,
    ...ageReadFlags,
  }
  static override handler = handler
}
