import {Args, Flags} from '@oclif/core'

import {HandlerCommand} from '../../cli/base.js'
import {kubeconfigFlag} from '../../cli/flags/kube.js'
import handler from '../../handlers/kubeconfig/use-context.js'
import {ageFlags} from '../../cli/flags/age.js'

export default class UseContext extends HandlerCommand {
  static override summary = 'Set current-context (kubectl config use-context)'
  static override description = `Writes current-context to the default file (the --kubeconfig file, the only or first existing KUBECONFIG entry, or ~/.kube/config). With no NAME on a terminal, pick one from a list.

--shell leaves every file alone and prints \`export KUBECONFIG=…\` for eval: a private 0600 file setting only current-context, put first in the KUBECONFIG list (first file wins), so only that shell switches.

Exit codes: 0 ok; 1 no such context; 2 usage.`
  static override examples = ['<%= config.bin %> kubeconfig use-context prod', 'eval "$(<%= config.bin %> kubeconfig use-context prod --shell)"']
  static override flags = {
    kubeconfig: kubeconfigFlag,
    shell: Flags.boolean({description: 'switch this shell only: print export KUBECONFIG=… for eval'}),
    ...ageFlags,
  }
  static override args = {
    name: Args.string({description: 'context name (left out on a terminal: pick one from a list)'}),
  }
  static override handler = handler
}
