import {Args, Flags} from '@oclif/core'

import {HandlerCommand} from '../../cli/base.js'
import {outputFlag} from '../../cli/flags/output.js'
import {kubeconfigFlag} from '../../cli/flags/kube.js'
import handler from '../../handlers/kubeconfig/get-contexts.js'
import {ageReadFlags} from '../../cli/flags/age.js'

export default class GetContexts extends HandlerCommand {
  static override summary = 'List contexts (kubectl config get-contexts)'
  static override description = 'Prints a table of contexts, CURRENT marked with *, sorted by name. Names given as arguments limit the list; an unknown name is an error. -o name prints the names only (kubectl); -o json and -o yaml, which kubectl refuses here, print the contexts as a document (the same one --json prints).\n\nExit codes: 0 ok; 1 a named context does not exist or a file cannot be read.'
  static override examples = ['<%= config.bin %> kubeconfig get-contexts', '<%= config.bin %> kubeconfig get-contexts -o name', '<%= config.bin %> kubeconfig get-contexts -o json', '<%= config.bin %> kubeconfig get-contexts prod --no-headers']
  static override strict = false
  static override flags = {
    'no-headers': Flags.boolean({description: 'omit the header row'}),
    output: outputFlag(['name', 'json', 'yaml']),
    kubeconfig: kubeconfigFlag,
    ...ageReadFlags,
  }
  static override args = {
    names: Args.string({description: 'contexts to show (default: all)'}),
  }
  static override handler = handler
}
