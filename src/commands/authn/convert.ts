import {Flags} from '@oclif/core'

import {HandlerCommand} from '../../cli/base.js'
import {helpText} from '../../cli/help-text.js'
import handler from '../../handlers/authn/convert.js'

export default class AuthnConvert extends HandlerCommand {
  static override summary = 'Turn kube-apiserver --oidc-* flags into the equivalent AuthenticationConfiguration'
  static override description = helpText`Prints the AuthenticationConfiguration that kube-apiserver builds from the legacy flags, so a cluster can move to --authentication-config (which Talos 1.15 always sets, and which cannot be combined with --oidc-*): --oidc-issuer-url → issuer.url, --oidc-client-id → issuer.audiences, --oidc-ca-file → issuer.certificateAuthority (the file's content), --oidc-username-claim (default sub) and --oidc-username-prefix → claimMappings.username (an unset prefix becomes "<issuer-url>#" unless the claim is email; "-" disables it), --oidc-groups-claim/--oidc-groups-prefix → claimMappings.groups, --oidc-required-claim → claimValidationRules, --anonymous-auth → anonymous.enabled. --oidc-signing-algs has no field: with the file, every asymmetric algorithm is accepted. With --serve-config FILE the values come from an \`authctl serve --config\` file (its oidc-* and anonymous-auth keys; flags given on the command line win). The result is validated before it is printed.

Exit codes: 0 written; 1 the flags give an invalid configuration (errors listed); 2 usage error.`
  static override examples = [
    '<%= config.bin %> authn convert --serve-config serve.yaml > authentication-config.yaml',
    '<%= config.bin %> authn convert --oidc-issuer-url https://issuer.example.com --oidc-client-id kubernetes --oidc-username-claim email --oidc-groups-claim groups --oidc-groups-prefix oidc: > authentication-config.yaml',
  ]
  static override flags = {
    'anonymous-auth': Flags.boolean({allowNo: true, description: 'the --anonymous-auth value to carry over (anonymous.enabled)'}),
    'api-version': Flags.string({default: 'v1', description: 'apiserver.config.k8s.io version to write', options: ['v1', 'v1beta1', 'v1alpha1']}),
    'oidc-ca-file': Flags.string({description: 'PEM CA bundle of the issuer (its content is embedded)'}),
    'oidc-client-id': Flags.string({description: 'the client ID tokens must be issued for (required, here or in --serve-config)'}),
    'oidc-groups-claim': Flags.string({description: 'claim holding the user\'s groups'}),
    'oidc-groups-prefix': Flags.string({description: 'prefix for every group'}),
    'oidc-issuer-url': Flags.string({description: 'the issuer URL (https; required, here or in --serve-config)'}),
    'oidc-required-claim': Flags.string({description: 'claim=value every token must carry; repeatable', multiple: true, multipleNonGreedy: true}),
    'oidc-signing-algs': Flags.string({description: 'accepted for compatibility; the configuration file allows every asymmetric algorithm', multiple: true, multipleNonGreedy: true, delimiter: ','}),
    'oidc-username-claim': Flags.string({description: 'claim holding the username (default sub)'}),
    'oidc-username-prefix': Flags.string({description: 'username prefix ("-" for none)'}),
    output: Flags.string({char: 'o', default: 'yaml', description: 'output format', options: ['yaml', 'json']}),
    'serve-config': Flags.string({description: 'take the --oidc-* and --anonymous-auth values from this `authctl serve --config` YAML file (flags given here win)'}),
  }
  static override handler = handler
}
