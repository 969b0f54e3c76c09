import {Args} from '@oclif/core'

import {HandlerCommand} from '../../cli/base.js'
import {helpText} from '../../cli/help-text.js'
import handler from '../../handlers/authn/validate.js'

export default class AuthnValidate extends HandlerCommand {
  static override summary = 'Validate an AuthenticationConfiguration or AuthorizationConfiguration file as kube-apiserver does'
  static override description = helpText`Decodes the file strictly (unknown or duplicate fields are errors), then runs kube-apiserver's validation for its kind (AuthenticationConfiguration or AuthorizationConfiguration, apiserver.config.k8s.io v1alpha1, v1beta1 or v1): the same checks, field paths and messages, with every CEL expression compiled in the Kubernetes environment. Every error is listed, one per line (a CEL compile error adds cel-go's source and caret lines).

Exit codes: 0 valid; 1 invalid (every error printed); 2 usage error or unreadable file.`
  static override examples = [
    '<%= config.bin %> authn validate authentication-config.yaml',
    '<%= config.bin %> authn validate authorization-config.yaml --json',
  ]
  static override args = {file: Args.string({description: 'the configuration file (YAML or JSON), or "-" for stdin', required: true})}
  static override handler = handler
}
