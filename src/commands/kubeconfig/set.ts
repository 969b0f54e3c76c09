import {Args, Flags} from '@oclif/core'

import {HandlerCommand} from '../../cli/base.js'
import {kubeconfigFlag} from '../../cli/flags/kube.js'
import handler from '../../handlers/kubeconfig/set.js'
import {ageFlags} from '../../cli/flags/age.js'

export default class SetProperty extends HandlerCommand {
  static override summary = 'Set one value in a kubeconfig file (kubectl config set)'
  static override description = `PROPERTY_NAME is a dot-separated path of client-go's Config field names and map keys, e.g. clusters.prod.server, users.jane.token, contexts.dev.namespace, current-context, preferences.colors (impersonation fields are act-as, act-as-groups, …, as in kubectl). A map key may contain dots when what follows it is a field name (clusters.10.0.0.1.server). A missing entry is created in the default file; an existing one is changed in the file it came from. Binary fields (*-data) take base64 unless --set-raw-bytes. Values are stored as given (paths are not made absolute), as kubectl stores them. Messages and errors are kubectl's (Go pointers print as 0x…).

Exit codes: 0 ok; 1 a bad property path or value, or a file cannot be written; 2 usage.`
  static override examples = [
    '<%= config.bin %> kubeconfig set clusters.prod.server https://1.2.3.4:6443',
    '<%= config.bin %> kubeconfig set clusters.prod.certificate-authority-data $(base64 -w0 ca.crt)',
    '<%= config.bin %> kubeconfig set users.admin.client-key-data "$(cat admin.key)" --set-raw-bytes=true',
    '<%= config.bin %> kubeconfig set contexts.dev.namespace team-a',
  ]
  static override flags = {
    'set-raw-bytes': Flags.boolean({description: 'write the value of a binary (*-data) field as given instead of base64-decoding it'}),
    kubeconfig: kubeconfigFlag,
    ...ageFlags,
  }
  static override args = {
    name: Args.string({description: 'PROPERTY_NAME, e.g. clusters.prod.server', required: true}),
    value: Args.string({description: 'PROPERTY_VALUE'}),
  }
  static override handler = handler
}
