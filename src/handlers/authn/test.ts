// authn test: the JWT authenticators of an AuthenticationConfiguration run on one token. Keys come live from each
// issuer's discovery (its discoveryURL and certificateAuthority), from --jwks-uri, or offline from --jwks.
import type {Handler} from '../../cli/handler.js'
import type AuthnTest from '../../commands/authn/test.js'
import {type UserInfo, withAuthenticatedGroup} from '../../lib/api/user.js'
import {authenticateJwt, type AuthenticationConfiguration, type JwtAuthenticationResult, jwtRejection, type KeySource, type ValidatedConfiguration, validateConfigurationText} from '../../lib/authconfig/index.js'
import {issuerKeys, jwksUriKeys} from '../../lib/authn/issuer-keys.js'
import {readInputText} from '../../lib/files/read.js'
import {escapeControls, quote} from '../../lib/go/quote.js'
import type {Io} from '../../lib/io.js'
import {ExitCode, readingInput, usageError} from '../../lib/output/errors.js'
import {normalizeToken} from '../../lib/token/jwt.js'
import {readToken} from '../../lib/token/input.js'
import {parseJwksText} from '../../lib/token/keys.js'
import {refuseInvalidConfiguration} from '../authentication-config.js'

function parseNow(value: string | undefined, io: Io): Date {
  if (value === undefined) return io.now()
  const date = /^\d+$/.test(value) ? new Date(Number(value) * 1000) : new Date(value)
  if (Number.isNaN(date.getTime()) || !/^\d+$|^\d{4}-\d{2}-\d{2}T/.test(value)) {
    throw usageError(`invalid --now ${JSON.stringify(value)}`, 'use RFC 3339 (2026-01-02T15:04:05Z) or seconds since the epoch')
  }
  return date
}

const handler: Handler<typeof AuthnTest> = async ({args, flags}, io) => {
  const now = parseNow(flags.now, io)
  if (flags.jwksUri !== undefined && !flags.jwksUri.startsWith('https://')) throw usageError(`--jwks-uri must be an https URL: ${JSON.stringify(flags.jwksUri)}`)
  const file = args.file
  const {config, jwks, token} = await readingInput(async () => {
    const text = await readInputText(file, {what: 'configuration file'})
    const jwks = flags.jwks === undefined ? undefined : parseJwksText(await readInputText(flags.jwks, {what: 'JWKS file'}), JSON.stringify(flags.jwks))
    const token = normalizeToken(await readToken({arg: args.token, stdin: io.stdin}))
    const config = await validateConfigurationText(text, {expected: 'AuthenticationConfiguration', path: file})
    return {config, jwks, token}
  })
  refuseInvalidConfiguration(config, file)
  const jwt = (config.config as AuthenticationConfiguration).jwt
  let keys: KeySource
  if (jwks) keys = async (_url, options) => (options?.refresh ? undefined : jwks)
  else if (flags.jwksUri) keys = jwksUriKeys(flags.jwksUri, jwt)
  else keys = issuerKeys(jwt).source
  const result = await authenticateJwt(token, config.authentication!.authenticators, keys, now)
  const user = result.user ? withAuthenticatedGroup(result.user) : undefined
  io.out(render(result, user, flags.explain === true, config))
  if (!result.authenticated) io.err(`${escapeControls(`error: ${jwtRejection(result)}`)}\n`)
  const document = {...result, user, at: now.toISOString()}
  return {document, exitCode: result.authenticated ? ExitCode.ok : ExitCode.failure}
}

function render(result: JwtAuthenticationResult, user: UserInfo | undefined, explain: boolean, config: ValidatedConfiguration): string {
  const lines: string[] = []
  if (explain) {
    for (const step of result.steps) lines.push(`${step.ok ? '✓' : step.skipped ? '-' : '✗'} jwt[${step.authenticator}] ${step.step.padEnd(17)} ${step.detail}`)
    lines.push('')
  }
  if (result.authenticated && user) {
    const issuer = (config.config as {jwt: Array<{issuer: {url: string}}>}).jwt[result.authenticator!].issuer.url
    lines.push(`authenticated by jwt[${result.authenticator}] (issuer ${issuer})`)
    lines.push(`username: ${user.username}`)
    if (user.uid) lines.push(`uid:      ${user.uid}`)
    lines.push(`groups:   ${user.groups.join(', ')}`)
    for (const [key, values] of Object.entries(user.extra ?? {})) lines.push(`extra:    ${key}=${values.map(quote).join(',')}`)
  } else {
    lines.push(result.error ? `rejected by jwt[${result.authenticator}] at ${result.failedStep}: ${result.error}` : 'rejected: no issuer.url matches the token\'s iss')
  }
  return `${escapeControls(lines.join('\n'), {keepNewlines: true})}\n`
}

export default handler
