// authn convert: legacy --oidc-* flags → the AuthenticationConfiguration kube-apiserver derives from them.
import type {Handler} from '../../cli/handler.js'
import type AuthnConvert from '../../commands/authn/convert.js'
import {convertLegacyOidcFlags, validateConfigurationText} from '../../lib/authconfig/index.js'
import {readInputText} from '../../lib/files/read.js'
import {splitKeyValue} from '../../lib/go/key-value.js'
import {readServeConfig} from '../../lib/server/config.js'
import {escapeControls} from '../../lib/go/quote.js'
import {ExitCode, readingInput, usageError} from '../../lib/output/errors.js'
import {toJson, toYaml} from '../../lib/output/render.js'

function requiredClaims(pairs: string[] | undefined): Array<[string, string]> {
  return (pairs ?? []).map((pair) => splitKeyValue(pair) ?? (() => {
    throw usageError(`invalid --oidc-required-claim ${JSON.stringify(pair)}`, 'use claim=value')
  })())
}

// The values of an `authctl serve --config` file (flag names as keys), under the flags given on the command line.
async function withServeConfig(flags: Parameters<Handler<typeof AuthnConvert>>[0]['flags']) {
  const path = flags.serveConfig
  const file = path === undefined ? {} : await readingInput(() => readServeConfig(path))
  const text = (name: string, given: string | undefined) => given ?? (file[name] === undefined ? undefined : String(file[name]))
  const list = (name: string, given: string[] | undefined) => given ?? (file[name] === undefined ? undefined : [file[name]].flat().map(String))
  const anonymous = flags.anonymousAuth ?? (file['anonymous-auth'] === undefined ? undefined : String(file['anonymous-auth']) !== 'false')
  const issuerUrl = text('oidc-issuer-url', flags.oidcIssuerUrl)
  const clientId = text('oidc-client-id', flags.oidcClientId)
  const missing = (flag: string) => path === undefined
    ? usageError(`--${flag} is required`, `or --serve-config FILE with an ${flag} key`)
    : usageError(`--${flag} is required: ${JSON.stringify(path)} has no ${flag} key either`)
  if (issuerUrl === undefined) throw missing('oidc-issuer-url')
  if (clientId === undefined) throw missing('oidc-client-id')
  return {
    anonymous, caFile: text('oidc-ca-file', flags.oidcCaFile), clientId, groupsClaim: text('oidc-groups-claim', flags.oidcGroupsClaim),
    groupsPrefix: text('oidc-groups-prefix', flags.oidcGroupsPrefix), issuerUrl, requiredClaims: list('oidc-required-claim', flags.oidcRequiredClaim),
    signingAlgs: list('oidc-signing-algs', flags.oidcSigningAlgs), usernameClaim: text('oidc-username-claim', flags.oidcUsernameClaim),
    usernamePrefix: text('oidc-username-prefix', flags.oidcUsernamePrefix),
  }
}

const handler: Handler<typeof AuthnConvert> = async ({flags}, io) => {
  const values = await withServeConfig(flags)
  const caFile = values.caFile
  const ca = caFile === undefined ? undefined : await readingInput(() => readInputText(caFile, {what: 'CA file'}))
  const document = convertLegacyOidcFlags({
    anonymousAuth: values.anonymous,
    certificateAuthority: ca,
    clientId: values.clientId,
    groupsClaim: values.groupsClaim,
    groupsPrefix: values.groupsPrefix,
    issuerUrl: values.issuerUrl,
    requiredClaims: requiredClaims(values.requiredClaims),
    usernameClaim: values.usernameClaim,
    usernamePrefix: values.usernamePrefix,
  }, flags.apiVersion)
  if (values.signingAlgs !== undefined) {
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
