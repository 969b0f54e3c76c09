import {Args, Flags} from '@oclif/core'

import {HandlerCommand} from '../../cli/base.js'
import {kubeconfigFlag} from '../../cli/flags/kube.js'
import handler from '../../handlers/kubeconfig/set-cluster.js'
import {ageFlags} from '../../cli/flags/age.js'

export default class SetCluster extends HandlerCommand {
  static override summary = 'Create or modify a cluster entry (kubectl config set-cluster)'
  static override description = 'Sets the given fields of a cluster; other fields are kept. An existing cluster is written back to the file it came from, a new one to the default file. File paths are stored absolute (relative when the file sits next to the kubeconfig), or embedded with --embed-certs.\n\nExit codes: 0 ok; 1 a file cannot be read or written; 2 usage (e.g. --embed-certs without --certificate-authority).'
  static override examples = ['<%= config.bin %> kubeconfig set-cluster prod --server=https://1.2.3.4:6443 --certificate-authority=ca.pem --embed-certs', '<%= config.bin %> kubeconfig set-cluster dev --insecure-skip-tls-verify']
  static override flags = {
    'certificate-authority': Flags.string({description: 'path to a CA certificate file'}),
    'embed-certs': Flags.boolean({description: 'store the CA file contents as certificate-authority-data'}),
    'insecure-skip-tls-verify': Flags.boolean({allowNo: true, description: 'do not verify the server certificate (clears the CA)'}),
    'proxy-url': Flags.string({description: 'proxy URL'}),
    server: Flags.string({description: 'API server URL'}),
    'tls-server-name': Flags.string({description: 'server name to verify the certificate against'}),
    kubeconfig: kubeconfigFlag,
    ...ageFlags,
  }
  static override args = {
    name: Args.string({description: 'cluster name', required: true}),
  }
  static override handler = handler
}
