import {Flags} from '@oclif/core'

import {HandlerCommand} from '../../cli/base.js'
import {helpText} from '../../cli/help-text.js'
import handler from '../../handlers/token/sign.js'
import {ageReadFlags} from '../../cli/flags/age.js'

export default class TokenSign extends HandlerCommand {
  static override summary = 'Mint a ServiceAccount-shaped or OIDC-shaped test token'
  static override description = helpText`With --service-account, the claims of a token from the TokenRequest API (iss, sub, aud, exp, iat, nbf, jti and the kubernetes.io claim with namespace, serviceaccount and optional pod, node or secret binding and warnafter); with --legacy, the claims of an old Secret-based token (issuer kubernetes/serviceaccount, no aud or exp). With --sub, an OIDC ID token. The algorithm follows the key: RS256 for RSA, ES256/384/512 for P-256/384/521, EdDSA for Ed25519.

The token is printed on stdout; it is a credential, so redirect it to a file rather than a shared log.

Exit codes: 0 signed; 1 unreadable or unusable key; 2 usage error.`
  static override examples = [
    '<%= config.bin %> token sign --key sa.key --issuer https://kubernetes.default.svc.cluster.local --service-account default:builder --pod builder-0:8c1d4e2a-5b6f-4a37-9e0d-2f1a3b4c5d6e',
    '<%= config.bin %> token sign --key sa.key --service-account kube-system:legacy --legacy --secret legacy-token-x7k2p',
    '<%= config.bin %> token sign --key idp.key --issuer https://issuer.example.com --sub alice --audience kubernetes --claim email=alice@example.com --claim \'groups=["dev"]\'',
  ]
  static override flags = {
    alg: Flags.string({description: 'signature algorithm (default follows the key type)'}),
    audience: Flags.string({char: 'a', description: 'aud claim; repeatable (ServiceAccount default: the issuer)', multiple: true, multipleNonGreedy: true}),
    claim: Flags.string({description: 'extra claim name=value (value parsed as JSON when it is JSON); repeatable', multiple: true, multipleNonGreedy: true}),
    issuer: Flags.string({description: 'iss claim (not with --legacy)'}),
    key: Flags.string({description: 'PEM private key to sign with (PKCS#8, Talos\'s ED25519 PRIVATE KEY, PKCS#1 or SEC1; not encrypted)', required: true}),
    kid: Flags.string({description: 'kid header'}),
    legacy: Flags.boolean({description: 'legacy Secret-based ServiceAccount token claims'}),
    node: Flags.string({description: 'bind to a node: name[:uid]'}),
    pod: Flags.string({description: 'bind to a pod: name[:uid]'}),
    secret: Flags.string({description: 'bind to a secret: name[:uid] (with --legacy: the token Secret\'s name)'}),
    'service-account': Flags.string({description: 'namespace:name[:uid] for a ServiceAccount token (uid generated when omitted)'}),
    sub: Flags.string({description: 'sub claim for an OIDC ID token'}),
    ttl: Flags.string({description: 'lifetime, e.g. 1h, 10m (default 1h)'}),
    'warn-after': Flags.string({description: 'kubernetes.io warnafter, as a duration after iat'}),
    ...ageReadFlags,
  }
  static override handler = handler
}
