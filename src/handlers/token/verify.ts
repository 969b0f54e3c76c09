// token verify: check signature, issuer, audience and times the way kube-apiserver does; exit 1 when invalid.
import type {Handler, FlagsOf} from '../../cli/handler.js'
import type TokenVerify from '../../commands/token/verify.js'
import {loadObjects} from '../../lib/api/objects.js'
import {readInputText} from '../../lib/files/read.js'
import {escapeControls} from '../../lib/go/quote.js'
import {usageError} from '../../lib/output/errors.js'
import {parseDuration} from '../../lib/go/time.js'
import {DEFAULT_FETCH_TIMEOUT_MS, type FetchOptions} from '../../lib/token/fetch.js'
import {oidcClaimMapping, readToken} from '../../lib/token/input.js'
import {discoverJwks, fetchJwks, parseJwksText, parsePemKeys, type VerificationKeys} from '../../lib/token/keys.js'
import {renderVerifyReport} from '../../lib/token/render.js'
import {parseAlgorithms, verifyToken} from '../../lib/token/verify.js'

async function loadKeys(flags: FlagsOf<typeof TokenVerify>, fetchOptions: FetchOptions): Promise<VerificationKeys> {
  const sources = [flags.key, flags.jwks].filter((v) => v !== undefined).length
  if (sources > 1) throw usageError('give either --key or --jwks, not both')
  if (flags.key !== undefined) {
    const source = JSON.stringify(flags.key)
    return {keys: parsePemKeys(await readInputText(flags.key, {what: 'key file'}), source), kind: 'pem', source}
  }
  if (flags.jwks !== undefined) {
    if (/^[a-z]+:\/\//i.test(flags.jwks)) return fetchJwks(flags.jwks, fetchOptions)
    const source = JSON.stringify(flags.jwks)
    return {jwks: parseJwksText(await readInputText(flags.jwks, {what: 'JWKS file'}), source), kind: 'jwks', source}
  }
  if (flags.issuer !== undefined) return discoverJwks(flags.issuer, fetchOptions)
  throw usageError('no verification key', 'pass --key PEM, --jwks FILE|URL, or --issuer URL for OIDC discovery')
}

const handler: Handler<typeof TokenVerify> = async ({args, flags}, io) => {
  const algorithms = parseAlgorithms(flags.alg)
  const clockSkewMs = flags.clockSkew === undefined ? undefined : parseDuration(flags.clockSkew, '--clock-skew')
  const timeoutMs = flags.timeout === undefined ? DEFAULT_FETCH_TIMEOUT_MS : parseDuration(flags.timeout, '--timeout')
  const oidc = oidcClaimMapping(flags)
  const token = await readToken({arg: args.token, file: flags.file, fromSecret: flags.fromSecret, stdin: io.stdin})
  const ca = flags.certificateAuthority === undefined ? undefined : await readInputText(flags.certificateAuthority, {what: 'certificate authority'})
  const keys = await loadKeys(flags, {ca, timeoutMs})
  const objects = flags.objects?.length ? await loadObjects(flags.objects) : undefined
  const report = await verifyToken(token, {algorithms, audiences: flags.audience, clockSkewMs, issuer: flags.issuer, keys, now: io.now(), objects, oidc})
  io.out(renderVerifyReport(report))
  if (!report.valid) io.err(`${escapeControls(`error: ${report.reason}`)}\n`)
  return {document: report, exitCode: report.valid ? 0 : 1}
}

export default handler
