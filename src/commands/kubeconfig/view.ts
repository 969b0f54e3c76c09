import {Flags} from '@oclif/core'

import {HandlerCommand} from '../../cli/base.js'
import {kubeconfigFlag} from '../../cli/flags/kube.js'
import handler from '../../handlers/kubeconfig/view.js'
import {ageReadFlags} from '../../cli/flags/age.js'

export default class View extends HandlerCommand {
  static override summary = 'Show the merged kubeconfig (kubectl config view)'
  static override description = 'Prints the effective kubeconfig (KUBECONFIG files merged with client-go rules) as YAML (default), JSON, its name, or through a kubectl JSONPath template (-o jsonpath=…, jsonpath-file=FILE, jsonpath-as-json=…, or -o jsonpath --template …). Certificate data is shown as DATA+OMITTED and tokens and passwords as REDACTED unless --raw or --flatten.\n\nExit codes: 0 ok; 1 a file cannot be read or parsed, --minify cannot find the context, or a JSONPath template does not parse or fails; 2 usage (unknown -o format).'
  static override examples = [
    '<%= config.bin %> kubeconfig view',
    '<%= config.bin %> kubeconfig view --minify --flatten',
    'KUBECONFIG=a.yaml:b.yaml <%= config.bin %> kubeconfig view --flatten -o json',
    `<%= config.bin %> kubeconfig view --raw -o jsonpath='{.users[?(@.name=="jane")].user.token}'`,
    `<%= config.bin %> kubeconfig view -o jsonpath='{range .contexts[*]}{.name}{"\\t"}{.context.cluster}{"\\n"}{end}'`,
  ]
  static override flags = {
    context: Flags.string({description: 'the context --minify keeps (default: current-context)'}),
    flatten: Flags.boolean({description: 'inline certificate and key files as base64 data (shows secrets)'}),
    minify: Flags.boolean({description: 'keep only the current context and its cluster and user'}),
    'allow-missing-template-keys': Flags.boolean({allowNo: true, description: 'with a JSONPath template, print nothing for a missing field instead of failing'}),
    output: Flags.string({char: 'o', description: 'yaml (default), json, name, jsonpath=TEMPLATE, jsonpath-file=FILE or jsonpath-as-json=TEMPLATE'}),
    raw: Flags.boolean({description: 'do not redact certificate data, tokens and passwords'}),
    template: Flags.string({description: 'the template of -o jsonpath / jsonpath-file / jsonpath-as-json (kubectl\'s alternative to -o jsonpath=…)'}),
    kubeconfig: kubeconfigFlag,
    ...ageReadFlags,
  }
  static override handler = handler
}
