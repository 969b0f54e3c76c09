// authn validate: kube-apiserver's decoding and validation of an authentication or authorization configuration.
import type {Handler} from '../../cli/handler.js'
import type AuthnValidate from '../../commands/authn/validate.js'
import {type ValidatedConfiguration, validateConfigurationText} from '../../lib/authconfig/index.js'
import {readInputText} from '../../lib/files/read.js'
import {escapeControls} from '../../lib/go/quote.js'
import {AuthctlError, ExitCode, readingInput} from '../../lib/output/errors.js'

const handler: Handler<typeof AuthnValidate> = async ({args}, io) => {
  const file = args.file
  // An unreadable file is a usage error (exit 2); a file that does not decode or validate is invalid (exit 1).
  const text = await readingInput(() => readInputText(file, {stdin: io.stdin, what: 'configuration file'}))
  let result: ValidatedConfiguration
  try {
    result = await validateConfigurationText(text, {path: file})
  } catch (error) {
    if (!(error instanceof AuthctlError && error.code === 'CONFIG_INVALID')) throw error
    io.out(`${escapeControls(error.message)}\n`)
    io.err(`${escapeControls(`error: ${file} is not a valid configuration`)}\n`)
    return {document: {errors: [{message: error.message}], file, valid: false}, exitCode: ExitCode.failure}
  }
  const {config, issues, kind} = result
  const valid = issues.length === 0
  const document = {apiVersion: config.apiVersion, errors: issues, file, kind, valid}
  if (valid) {
    io.out(`${escapeControls(`${file}: valid ${kind} (${config.apiVersion})${summary(result)}`)}\n`)
    return {document, exitCode: ExitCode.ok}
  }
  for (const issue of issues) io.out(`${escapeControls(issue.message, {keepNewlines: true})}\n`)
  io.err(`${escapeControls(`error: ${file}: ${issues.length} error${issues.length === 1 ? '' : 's'} in ${kind}`)}\n`)
  return {document, exitCode: ExitCode.failure}
}

function summary(result: ValidatedConfiguration): string {
  if (result.authentication) {
    const n = result.authentication.authenticators.length
    const expressions = result.authentication.authenticators.reduce(
      (sum, a) => sum + [a.username, a.groups, a.uid].filter(Boolean).length + a.extra.length + a.userValidation.length + a.claimValidation.filter((c) => c.program).length,
      0,
    )
    return `: ${n} JWT authenticator${n === 1 ? '' : 's'}, ${expressions} CEL expression${expressions === 1 ? '' : 's'} compiled`
  }
  const authorizers = (result.config as {authorizers: Array<{name: string; type: string}>}).authorizers
  return `: authorizers ${authorizers.map((a) => `${a.type}/${a.name}`).join(' → ')}`
}

export default handler
