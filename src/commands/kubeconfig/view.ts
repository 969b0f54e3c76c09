import {Flags} from '@oclif/core'

import {HandlerCommand} from '../../cli/base.js'
import {kubeconfigFlag} from '../../cli/flags/kube.js'
import handler from '../../handlers/kubeconfig/view.js'

export default class View extends HandlerCommand {
  static override summary = 'Show the merged kubeconfig (kubectl config view)'
  static override description = 'Prints the effective kubeconfig (KUBECONFIG files merged with client-go rules) as YAML or JSON. Certificate data is shown as DATA+OMITTED and tokens and passwords as REDACTED unless --raw or --flatten.\n\nExit codes: 0 ok; 1 a file cannot be read or parsed, or --minify cannot find the context.'
  static override examples = ['<%= config.bin %> kubeconfig view', '<%= config.bin %> kubeconfig view --minify --flatten', 'KUBECONFIG=a.yaml:b.yaml <%= config.bin %> kubeconfig view --flatten -o json']
  static override flags = {
    context: Flags.string({description: 'the context --minify keeps (default: current-context)'}),
    flatten: Flags.boolean({description: 'inline certificate and key files as base64 data (shows secrets)'}),
    minify: Flags.boolean({description: 'keep only the current context and its cluster and user'}),
    output: HandlerCommand.outputFlag(['yaml', 'json']),
    raw: Flags.boolean({description: 'do not redact certificate data, tokens and passwords'}),
    kubeconfig: kubeconfigFlag,
  }
  static override handler = handler
}
