// authn convert: legacy --oidc-* flags → the AuthenticationConfiguration kube-apiserver derives from them.
import type {Handler} from '../../cli/handler.js'
import type AuthnConvert from '../../commands/authn/convert.js'
import {convertLegacyOidcFlags, validateConfigurationText} from '../../lib/authconfig/index.js'
import {readInputText} from '../../lib/files/read.js'
import {splitKeyValue} from '../../lib/go/key-value.js'
import {escapeControls} from '../../lib/go/quote.js'
import {ExitCode, readingInput, usageError} from '../../lib/output/errors.js'
import {toJson, toYaml} from '../../lib/output/render.js'

function requiredClaims(pairs: string[] | undefined): Array<[string, string]> {
  return (pairs ?? []).map((pair) => splitKeyValue(pair) ?? (() => {
    throw usageError(`invalid --oidc-required-claim ${JSON.stringify(pair)}`, 'use claim=value')
  })())
}

const handler: Handler<typeof AuthnConvert> = async ({flags}, io) => {
  const caFile = flags.oidcCaFile
  const ca = caFile === undefined ? undefined : await readingInput(() => readInputText(caFile, {what: 'CA file'}))
  const document = convertLegacyOidcFlags({
    anonymousAuth: flags.anonymousAuth,
    certificateAuthority: ca,
    clientId: flags.oidcClientId,
    groupsClaim: flags.oidcGroupsClaim,
    groupsPrefix: flags.oidcGroupsPrefix,
    issuerUrl: flags.oidcIssuerUrl,
    requiredClaims: requiredClaims(flags.oidcRequiredClaim),
    usernameClaim: flags.oidcUsernameClaim,
    usernamePrefix: flags.oidcUsernamePrefix,
  }, flags.apiVersion)
  if (flags.oidcSigningAlgs !== undefined) {
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
