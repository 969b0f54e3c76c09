// authn convert: legacy --oidc-* flags → the AuthenticationConfiguration kube-apiserver derives from them.
import type {Handler} from '../../cli/handler.js'
import {convertLegacyOidcFlags, validateConfigurationText} from '../../lib/authconfig/index.js'
import {readInputText} from '../../lib/files/read.js'
import {escapeControls} from '../../lib/go/quote.js'
import {ExitCode, readingInput, usageError} from '../../lib/output/errors.js'
import {toJson, toYaml} from '../../lib/output/render.js'

function requiredClaims(pairs: string[] | undefined): Array<[string, string]> {
  return (pairs ?? []).map((pair) => {
    const eq = pair.indexOf('=')
    if (eq <= 0) throw usageError(`invalid --oidc-required-claim ${JSON.stringify(pair)}`, 'use claim=value')
    return [pair.slice(0, eq), pair.slice(eq + 1)]
  })
}

const handler: Handler = async ({flags}, io) => {
  const ca = flags['oidc-ca-file'] === undefined ? undefined : await readingInput(() => readInputText(flags['oidc-ca-file'], {what: 'CA file'}))
  const document = convertLegacyOidcFlags({
    anonymousAuth: flags['anonymous-auth'],
    certificateAuthority: ca,
    clientId: flags['oidc-client-id'],
    groupsClaim: flags['oidc-groups-claim'],
    groupsPrefix: flags['oidc-groups-prefix'],
    issuerUrl: flags['oidc-issuer-url'],
    requiredClaims: requiredClaims(flags['oidc-required-claim']),
    usernameClaim: flags['oidc-username-claim'],
    usernamePrefix: flags['oidc-username-prefix'],
  }, flags['api-version'])
  if (flags['oidc-signing-algs'] !== undefined) {
    io.err('warning: --oidc-signing-algs has no field in AuthenticationConfiguration: with the file, kube-apiserver accepts every asymmetric algorithm (RS*, ES*, PS*)\n')
  }
  // What kube-apiserver would refuse to start with is not written.
  const {issues} = await validateConfigurationText(JSON.stringify(document), {expected: 'AuthenticationConfiguration', path: 'converted flags'})
  if (issues.length > 0) {
    for (const issue of issues) io.err(`${escapeControls(issue.message, {keepNewlines: true})}\n`)
    io.err('error: the flags give an invalid AuthenticationConfiguration (see above)\n')
    return {document: {errors: issues, valid: false}, exitCode: ExitCode.failure}
  }
  io.out(flags.output === 'json' ? toJson(document) : await toYaml(document))
  return {document}
}

export default handler
