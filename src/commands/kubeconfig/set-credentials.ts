import {Args, Flags} from '@oclif/core'

import {HandlerCommand} from '../../cli/base.js'
import {kubeconfigFlag} from '../../cli/flags/kube.js'
import handler from '../../handlers/kubeconfig/set-credentials.js'
import {ageFlags} from '../../cli/flags/age.js'

export default class SetCredentials extends HandlerCommand {
  static override summary = 'Create or modify a user entry (kubectl config set-credentials)'
  static override description = 'Sets client certificate/key (paths or embedded), token, basic auth, auth-provider or an exec credential plugin. A token clears basic auth and vice versa. Exec sub-flags apply only when the user has an exec entry. Unlike kubectl, an exec entry without --exec-interactive-mode gets IfAvailable, so client.authentication.k8s.io/v1 entries are valid.\n\nExit codes: 0 ok; 1 a file cannot be read or written; 2 usage.'
  static override examples = ['<%= config.bin %> kubeconfig set-credentials admin --client-certificate=admin.crt --client-key=admin.key --embed-certs', '<%= config.bin %> kubeconfig set-credentials ci --token=$TOKEN', '<%= config.bin %> kubeconfig set-credentials eks --exec-command=aws --exec-api-version=client.authentication.k8s.io/v1 --exec-arg=eks --exec-arg=get-token --exec-env=AWS_PROFILE=prod']
  static override flags = {
    'auth-provider': Flags.string({description: 'auth provider name'}),
    'auth-provider-arg': Flags.string({description: 'auth provider config key=value, or key- to remove', multiple: true, multipleNonGreedy: true}),
    'client-certificate': Flags.string({description: 'path to a client certificate file'}),
    'client-key': Flags.string({description: 'path to a client key file'}),
    'embed-certs': Flags.boolean({description: 'store certificate and key contents as *-data'}),
    'exec-api-version': Flags.string({description: 'exec plugin API version, e.g. client.authentication.k8s.io/v1'}),
    'exec-arg': Flags.string({description: 'exec plugin argument (repeat; replaces the list)', multiple: true, multipleNonGreedy: true}),
    'exec-command': Flags.string({description: 'exec plugin command (resets its arguments)'}),
    'exec-env': Flags.string({description: 'exec plugin environment NAME=value, or NAME- to remove', multiple: true, multipleNonGreedy: true}),
    'exec-interactive-mode': Flags.string({description: 'exec plugin stdin use', options: ['Never', 'IfAvailable', 'Always']}),
    'exec-provide-cluster-info': Flags.boolean({allowNo: true, description: 'pass cluster info to the exec plugin'}),
    password: Flags.string({description: 'basic auth password'}),
    token: Flags.string({description: 'bearer token'}),
    username: Flags.string({description: 'basic auth user name'}),
    kubeconfig: kubeconfigFlag,
    ...ageFlags,
  }
  static override args = {
    name: Args.string({description: 'user name', required: true}),
  }
  static override handler = handler
}
