// token sign: mint a bound or legacy ServiceAccount token, or an OIDC ID token, for tests and the reference server.
import type {Handler, FlagsOf} from '../../cli/handler.js'
import type TokenSign from '../../commands/token/sign.js'
import {readInputText} from '../../lib/files/read.js'
import {usageError} from '../../lib/output/errors.js'
import {parseDuration} from '../../lib/go/time.js'
import {
  boundServiceAccountClaims,
  legacyServiceAccountClaims,
  oidcClaims,
  parseObjectRef,
  parseSigningKey,
  parseServiceAccountRef,
  signToken,
} from '../../lib/token/sign.js'
import {ageOptions} from '../age-options.js'

const REGISTERED = new Set(['aud', 'exp', 'iat', 'iss', 'jti', 'nbf', 'sub'])

function extraClaims(pairs: string[] | undefined): Record<string, unknown> {
  const extra: Record<string, unknown> = {}
  for (const pair of pairs ?? []) {
    const eq = pair.indexOf('=')
    if (eq <= 0) throw usageError(`invalid --claim ${JSON.stringify(pair)}`, 'use name=value; the value may be JSON')
    const name = pair.slice(0, eq)
    if (REGISTERED.has(name)) throw usageError(`--claim cannot set ${name}`, 'use the dedicated flag')
    const raw = pair.slice(eq + 1)
    try {
      extra[name] = JSON.parse(raw)
    } catch {
      extra[name] = raw
    }
  }
  return extra
}

function buildClaims(flags: FlagsOf<typeof TokenSign>, now: Date): Record<string, unknown> {
  if ((flags.sub === undefined) === (flags.serviceAccount === undefined)) {
    throw usageError('give exactly one of --sub (OIDC-shaped) or --service-account (ServiceAccount-shaped)')
  }
  // From here on the issuer is given unless --legacy, and exactly one of --sub and --service-account is.
  if (!flags.legacy && flags.issuer === undefined) throw usageError('--issuer is required', 'the iss claim, e.g. https://kubernetes.default.svc.cluster.local')
  const extra = extraClaims(flags.claim)
  const ttlMs = parseDuration(flags.ttl ?? '1h', '--ttl')
  if (flags.sub !== undefined) {
    if (flags.legacy || flags.pod || flags.node || flags.secret || flags.warnAfter) {
      throw usageError('--legacy, --pod, --node, --secret and --warn-after need --service-account')
    }
    if (!flags.audience?.length) throw usageError('--audience is required with --sub', 'an OIDC ID token is issued for a client ID')
    return oidcClaims({audiences: flags.audience, extra, issuer: flags.issuer!, now, subject: flags.sub, ttlMs})
  }
  const {namespace, serviceAccount} = parseServiceAccountRef(flags.serviceAccount!)
  if (flags.legacy) {
    if (flags.issuer || flags.pod || flags.node || flags.audience || flags.ttl || flags.warnAfter) {
      throw usageError('legacy tokens have a fixed issuer and no audience, expiry or pod/node binding', 'drop --issuer, --audience, --ttl, --pod, --node and --warn-after')
    }
    const secret = flags.secret ? parseObjectRef(flags.secret, 'secret').name : `${serviceAccount.name}-token`
    return {...extra, ...legacyServiceAccountClaims(namespace, serviceAccount, secret)}
  }
  return {
    ...extra,
    ...boundServiceAccountClaims({
      audiences: flags.audience?.length ? flags.audience : [flags.issuer!],
      issuer: flags.issuer!,
      namespace,
      node: flags.node ? parseObjectRef(flags.node, 'node') : undefined,
      now,
      pod: flags.pod ? parseObjectRef(flags.pod, 'pod') : undefined,
      secret: flags.secret ? parseObjectRef(flags.secret, 'secret') : undefined,
      serviceAccount,
      ttlMs,
      warnAfterMs: flags.warnAfter ? parseDuration(flags.warnAfter, '--warn-after') : undefined,
    }),
  }
}

const handler: Handler<typeof TokenSign> = async ({flags}, io) => {
  const claims = buildClaims(flags, io.now())
  const key = parseSigningKey(await readInputText(flags.key, {age: ageOptions(flags, io), what: 'signing key'}), flags.key)
  const token = await signToken(claims, key, {alg: flags.alg, kid: flags.kid})
  io.out(token + '\n')
  const [header] = token.split('.')
  return {document: {claims, header: JSON.parse(Buffer.from(header, 'base64url').toString('utf8')), token}}
}

export default handler
