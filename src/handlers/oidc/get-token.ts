import type {Handler} from '../../cli/handler.js'
import type OidcGetToken from '../../commands/oidc/get-token.js'
import {canOpenBrowser} from '../../lib/oidc/browser.js'
import {execCredential, parseExecInfo} from '../../lib/oidc/exec-credential.js'
import {getToken} from '../../lib/oidc/get-token.js'
import {createHttp} from '../../lib/oidc/http.js'
import {tokenOptions} from '../../lib/oidc/options.js'
import {AuthctlError} from '../../lib/output/errors.js'
import {toJson} from '../../lib/output/render.js'

const handler: Handler<typeof OidcGetToken> = async ({flags}, io) => {
  const info = parseExecInfo(io.env)
  const options = await tokenOptions(flags, io.env)
  const interactive = info.interactive ?? io.tty.stdin
  const browser = !flags.skipOpenBrowser && canOpenBrowser(io.env, interactive && io.tty.stderr)
  const http = createHttp({ca: options.ca, env: io.env})
  // Ctrl-C (or kubectl being killed) while waiting for a person: unwind, so the lock goes and the marker says why.
  const abort = new AbortController()
  const stopListening = io.onInterrupt((signal) =>
    abort.abort(new AuthctlError(`login interrupted by ${signal}`, {code: 'OIDC_INTERRUPTED', exitCode: signal === 'SIGINT' ? 130 : 143})))
  try {
    const result = await getToken(options, {
      http,
      interactive,
      log: (text) => io.err(text),
      now: () => io.now(),
      openBrowser: browser ? async (url) => (await import('../../lib/oidc/browser-open.js')).openBrowser(url) : undefined,
      signal: abort.signal,
    })
    const credential = execCredential(info.apiVersion, result.token, result.expiry)
    // The credential is the command's whole output, in both modes.
    io.out(toJson(credential))
    return {document: credential}
  } finally {
    stopListening()
    http.close()
  }
}

export default handler
