import {Flags} from '@oclif/core'

import {HandlerCommand} from '../../cli/base.js'
import {tokenCacheDirFlag} from '../../cli/flags/oidc.js'
import {helpText} from '../../cli/help-text.js'
import handler from '../../handlers/oidc/logout.js'

export default class OidcLogout extends HandlerCommand {
  static override summary = 'Forget cached OIDC logins, optionally revoking their refresh tokens'
  static override description = helpText`Removes the cached tokens (and any pending-login marker) of every login for --oidc-issuer-url (narrowed by
--oidc-client-id), or of every cached login with --all. The next kubectl call logs in again.

With --revoke, each cached refresh token is first revoked at the issuer's revocation endpoint (RFC 7009). If the
issuer has none, the entry is removed with a warning; if revocation fails, the entry is kept so it can be retried.

Exit codes: 0 done (also when nothing was cached); 1 revocation failed; 2 usage error.`
  static override examples = [
    '<%= config.bin %> oidc logout --oidc-issuer-url https://issuer.example.com --oidc-client-id kubernetes',
    '<%= config.bin %> oidc logout --all --revoke',
  ]
  static override flags = {
    all: Flags.boolean({description: 'every cached login, for every issuer'}),
    'certificate-authority': Flags.string({description: 'PEM file with the CA(s) of the issuer (for --revoke)'}),
    'oidc-client-id': Flags.string({description: 'only logins of this client'}),
    'oidc-client-secret': Flags.string({description: 'client secret, to authenticate the revocation of a confidential client'}),
    'oidc-issuer-url': Flags.string({description: 'only logins at this issuer'}),
    revoke: Flags.boolean({description: 'revoke the refresh tokens at the issuer before forgetting them'}),
    'token-cache-dir': tokenCacheDirFlag,
  }
  static override handler = handler
}
