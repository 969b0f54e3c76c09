// Where a token comes from on the command line: the argument, `-`/stdin, --file, or a kubectl Secret's data.token.
// And the --oidc-* flags shared by decode and verify.
import {keyValueRecord} from '../go/key-value.js'
import {isStrictBase64} from '../go/base64.js'
import {readInputText, readStream} from '../files/read.js'
import {AuthctlError, usageError} from '../output/errors.js'
import {loadYaml} from '../output/yaml.js'
import type {OidcClaimMapping} from './identity.js'
import {MAX_TOKEN_LENGTH} from './jwt.js'

export interface TokenSource {
  /** The positional argument (`-` means stdin). */
  arg?: string
  file?: string
  fromSecret?: string
  stdin: NodeJS.ReadableStream
}

// Room for a trailing newline and a "Bearer " prefix; normalizeToken enforces the exact limit.
const READ_LIMIT = MAX_TOKEN_LENGTH + 64

/** A kubectl Secret (YAML or JSON) → its token: data.token (base64) or stringData.token. */
export async function tokenFromSecret(text: string, source: string): Promise<string> {
  const {parse} = await loadYaml()
  let doc: any
  try {
    doc = parse(text)
  } catch (error) {
    throw new AuthctlError(`${source} is not YAML or JSON: ${(error as Error).message.split('\n')[0]}`, {code: 'SECRET_INVALID'})
  }
  if (doc?.kind !== 'Secret') throw new AuthctlError(`${source} is not a Secret (kind ${JSON.stringify(doc?.kind ?? '')})`, {code: 'SECRET_INVALID', hint: 'kubectl get secret NAME -o yaml'})
  if (typeof doc.stringData?.token === 'string') return doc.stringData.token
  const data = doc.data?.token
  if (typeof data !== 'string') throw new AuthctlError(`Secret ${JSON.stringify(doc.metadata?.name ?? '')} has no data.token`, {code: 'SECRET_INVALID', hint: 'ServiceAccount token Secrets (type kubernetes.io/service-account-token) carry one'})
  const compact = data.replace(/\s+/g, '')
  if (!isStrictBase64(compact)) {
    throw new AuthctlError(`Secret ${JSON.stringify(doc.metadata?.name ?? '')} data.token is not base64`, {code: 'SECRET_INVALID'})
  }
  return Buffer.from(compact, 'base64').toString('utf8')
}

export async function readToken(source: TokenSource): Promise<string> {
  const given = [source.arg !== undefined && source.arg !== '-', source.file !== undefined, source.fromSecret !== undefined].filter(Boolean).length
  if (given > 1) throw usageError('give the token one way: as an argument, with --file, or with --from-secret')
  if (source.fromSecret !== undefined) {
    const what = source.fromSecret === '-' ? 'secret' : `secret ${JSON.stringify(source.fromSecret)}`
    return tokenFromSecret(await readInputText(source.fromSecret, {maxBytes: 4 * 1024 * 1024, stdin: source.stdin, what: 'secret'}), what)
  }
  if (source.file !== undefined) return readInputText(source.file, {maxBytes: READ_LIMIT, stdin: source.stdin, what: 'token file'})
  if (source.arg !== undefined && source.arg !== '-') return source.arg
  if ((source.stdin as {isTTY?: boolean}).isTTY) throw usageError('no token given', 'pass it as an argument, with --file, or pipe it on stdin')
  return (await readStream(source.stdin, READ_LIMIT, 'token')).toString('utf8')
}

/** kube-apiserver's --oidc-* claim options (required claims as CLAIM=VALUE) as a claim mapping (the issuer is added by the caller). */
export function oidcClaimMapping(options: {
  oidcGroupsClaim?: string
  oidcGroupsPrefix?: string
  oidcRequiredClaim?: string[]
  oidcUsernameClaim?: string
  oidcUsernamePrefix?: string
}): Omit<OidcClaimMapping, 'issuerUrl'> {
  const requiredClaims = keyValueRecord(options.oidcRequiredClaim, (pair) =>
    usageError(`invalid --oidc-required-claim ${JSON.stringify(pair)}`, 'use claim=value'))
  return {
    groupsClaim: options.oidcGroupsClaim,
    groupsPrefix: options.oidcGroupsPrefix,
    usernameClaim: options.oidcUsernameClaim,
    usernamePrefix: options.oidcUsernamePrefix,
    ...(Object.keys(requiredClaims).length > 0 ? {requiredClaims} : {}),
  }
}
