import {Args} from '@oclif/core'

import {HandlerCommand} from '../../cli/base.js'
import {helpText} from '../../cli/help-text.js'
import {oidcMappingFlags, tokenInputFlags} from '../../cli/flags/token.js'
import handler from '../../handlers/token/decode.js'

export default class TokenDecode extends HandlerCommand {
  static override summary = 'Decode a JWT without verifying it and show what Kubernetes would make of it'
  static override description = helpText`Prints the header and claims, times as RFC 3339 with relative age, and the token kind (legacy or bound ServiceAccount, OIDC, bootstrap) with the username, groups, extra, bound pod/node/secret and warnafter kube-apiserver would derive. The signature is NOT checked: use "authctl token verify" for that.

The token comes from the argument, "-" or stdin, --file, or --from-secret.

Exit codes: 0 decoded; 1 not a JWT (or unreadable input); 2 usage error.`
  static override examples = [
    '<%= config.bin %> token decode "$TOKEN"',
    'kubectl create token builder | <%= config.bin %> token decode',
    'kubectl get secret builder-token -o yaml | <%= config.bin %> token decode --from-secret -',
    '<%= config.bin %> token decode -f id_token.jwt --oidc-username-claim email --json',
  ]
  static override args = {token: Args.string({description: 'the token, or "-" for stdin (default when no token is given)'})}
  static override flags = {...tokenInputFlags, ...oidcMappingFlags}
  static override handler = handler
}
