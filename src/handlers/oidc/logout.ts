import {type Handler, warningSink} from '../../cli/handler.js'
import type OidcLogout from '../../commands/oidc/logout.js'
import {defaultCacheDir} from '../../lib/oidc/cache.js'
import {createHttp} from '../../lib/oidc/http.js'
import {logout} from '../../lib/oidc/logout.js'
import {normaliseIssuer, readCa} from '../../lib/oidc/options.js'
import {usageError} from '../../lib/output/errors.js'

const handler: Handler<typeof OidcLogout> = async ({flags}, io) => {
  const issuerUrl = flags.oidcIssuerUrl === undefined ? undefined : normaliseIssuer(flags.oidcIssuerUrl)
  if (!issuerUrl && !flags.all) throw usageError('pass --oidc-issuer-url (optionally with --oidc-client-id), or --all')
  if (issuerUrl && flags.all) throw usageError('--all and --oidc-issuer-url exclude each other')
  if (flags.oidcClientId && !issuerUrl) throw usageError('--oidc-client-id needs --oidc-issuer-url')
  const http = createHttp({ca: await readCa(flags.certificateAuthority), env: io.env})
  try {
    const removed = await logout(
      {
        cacheDir: flags.tokenCacheDir ?? defaultCacheDir(io.env),
        clientId: flags.oidcClientId,
        clientSecret: flags.oidcClientSecret,
        issuerUrl,
        onWarning: warningSink(io),
        revoke: Boolean(flags.revoke),
      },
      http,
    )
    const note = {none: ' (no refresh token to revoke)', revoked: ' (refresh token revoked)', unsupported: ''}
    for (const entry of removed) {
      io.out(`logged out of ${entry.issuer} (client ${entry.clientId})${entry.revocation ? note[entry.revocation] : ''}\n`)
      if (entry.revocation === 'unsupported') io.err(`warning: ${entry.issuer} has no revocation endpoint; its refresh token stays valid until it expires\n`)
    }
    if (removed.length === 0) io.err('no cached login matched\n')
    return {document: {removed}}
  } finally {
    http.close()
  }
}

export default handler
