import {Args, Flags} from '@oclif/core'

import {HandlerCommand} from '../../cli/base.js'
import {helpText} from '../../cli/help-text.js'
import handler from '../../handlers/token/verify.js'
import {oidcMappingFlags, tokenInputFlags} from '../../cli/flags/token.js'

export default class TokenVerify extends HandlerCommand {
  static override summary = 'Verify a ServiceAccount or OIDC token the way kube-apiserver does'
  static override description = helpText`Checks the signature (PEM keys, a JWKS file or URL, or OIDC discovery from --issuer), the issuer, audience, exp/nbf/iat and the claims, in the order and with the error wording of kube-apiserver's ServiceAccount or OIDC authenticator, then prints the user it would derive.

Only asymmetric algorithms are accepted (RS*, PS*, ES*, EdDSA); "none" and HS* never are. Without --clock-skew the authenticators' own leeways apply: 60s for ServiceAccount tokens; none after exp and 5m before nbf for OIDC.

Exit codes: 0 valid; 1 invalid (the reason is printed) or keys could not be loaded; 2 usage error.`
  static override examples = [
    '<%= config.bin %> token verify "$TOKEN" --key sa.pub --issuer https://kubernetes.default.svc.cluster.local',
    '<%= config.bin %> token verify "$TOKEN" --issuer https://issuer.example.com --audience kubernetes --oidc-username-claim email',
    '<%= config.bin %> token verify -f token.jwt --jwks https://127.0.0.1:6443/openid/v1/jwks --certificate-authority ca.crt',
  ]
  static override args = {token: Args.string({description: 'the token, or "-" for stdin (default when no token is given)'})}
  static override flags = {
    ...tokenInputFlags,
    alg: Flags.string({delimiter: ',', description: 'allowed signature algorithms (default: all asymmetric ones)', multiple: true, multipleNonGreedy: true}),
    audience: Flags.string({char: 'a', description: 'accepted audience (API audience or OIDC client ID); repeatable', multiple: true, multipleNonGreedy: true}),
    'certificate-authority': Flags.string({description: 'PEM CA bundle for fetching --jwks URLs and OIDC discovery'}),
    'clock-skew': Flags.string({description: 'leeway for exp, nbf and iat, e.g. 60s (default: the authenticator\'s own)'}),
    issuer: Flags.string({description: 'required iss; without --key/--jwks, also the OIDC issuer to discover keys from'}),
    jwks: Flags.string({description: 'JWKS file or https URL with the verification keys'}),
    key: Flags.string({description: 'PEM file with public keys, private keys or certificates (like --service-account-key-file)'}),
    objects: Flags.string({description: 'ServiceAccounts, Pods, Secrets and Nodes (YAML/JSON file or directory) to look a ServiceAccount token up in, as kube-apiserver does; repeatable', multiple: true, multipleNonGreedy: true}),
    ...oidcMappingFlags,
    'oidc-required-claim': Flags.string({description: 'claim=value the token must carry; repeatable', helpGroup: 'OIDC MAPPING', multiple: true, multipleNonGreedy: true}),
    timeout: Flags.string({description: 'timeout for fetching discovery and JWKS documents', default: '10s'}),
  }
  static override handler = handler
}
