import {Args, Flags} from '@oclif/core'

import {HandlerCommand} from '../../cli/base.js'
import {helpText} from '../../cli/help-text.js'
import handler from '../../handlers/authn/test.js'

export default class AuthnTest extends HandlerCommand {
  static override summary = 'What kube-apiserver would make of a token under an AuthenticationConfiguration'
  static override description = helpText`Runs the configuration's JWT authenticators on the token the way kube-apiserver does: the authenticator whose issuer.url equals the token's iss, the signature against the JWKS keys, audiences and audienceMatchPolicy, exp and nbf, the claim mappings (username, groups, uid, extra; claims or CEL expressions with their prefixes), the required claims, the claimValidationRules and the userValidationRules. It prints the user the API server would see, or the exact rejection (kube-apiserver's log text) and the step that produced it. --explain lists every step.

Keys come live from the matching issuer's discovery, as the API server fetches them (issuer.discoveryURL when set, else <issuer.url>/.well-known/openid-configuration, trusting issuer.certificateAuthority when set, and the JWKS at its jwks_uri); or from --jwks-uri (a JWKS URL, same trust); or offline from --jwks (a JWKS document, e.g. saved from the issuer's jwks_uri, for CI). --jwks and --jwks-uri keys are used for whichever issuer matches.

Exit codes: 0 authenticated; 1 rejected (or no issuer in the file matches the token); 2 usage error, unreadable input or an invalid configuration.`
  static override examples = [
    '<%= config.bin %> authn test authentication-config.yaml "$TOKEN"',
    '<%= config.bin %> authn test authentication-config.yaml "$TOKEN" --jwks-uri https://idp.example.com/keys',
    '<%= config.bin %> authn test authentication-config.yaml "$TOKEN" --jwks jwks.json',
    'kubectl oidc-login get-token ... | jq -r .status.token | <%= config.bin %> authn test authentication-config.yaml - --jwks jwks.json --explain',
    '<%= config.bin %> authn test authentication-config.yaml "$TOKEN" --jwks jwks.json --now 2026-01-01T00:00:00Z --json',
  ]
  static override args = {
    file: Args.string({description: 'the AuthenticationConfiguration file (YAML or JSON)', required: true}),
    token: Args.string({description: 'the token, or "-" for stdin (default when no token is given)'}),
  }
  static override flags = {
    explain: Flags.boolean({description: 'show every step: issuer, keys, times, algorithm, signature, audiences, mappings, validation rules'}),
    jwks: Flags.string({description: 'JWKS file with the issuer\'s signing keys (offline; default: live from the issuer\'s discovery)', exclusive: ['jwks-uri']}),
    'jwks-uri': Flags.string({description: 'fetch the signing keys from this JWKS URL instead of the issuer\'s discovery', exclusive: ['jwks']}),
    now: Flags.string({description: 'evaluate exp/nbf at this time (RFC 3339, or seconds since the epoch) instead of now'}),
  }
  static override handler = handler
}
