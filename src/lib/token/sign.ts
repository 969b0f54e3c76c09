// Minting test tokens in the shapes kube-apiserver issues (bound and legacy ServiceAccount tokens, claims.go /
// legacy.go) and OIDC ID tokens. Claim building is pure; signing uses jose, loaded only here.
import {type KeyObject, randomUUID} from 'node:crypto'

import {AuthctlError, usageError} from '../output/errors.js'
import {parsePrivateKey} from '../pki/keys.js'
import {LEGACY_CLAIMS, LEGACY_SA_ISSUER} from './identity.js'

export interface ObjectRef {
  name: string
  uid: string
}

export interface BoundClaimsInput {
  issuer: string
  audiences: string[]
  namespace: string
  serviceAccount: ObjectRef
  pod?: ObjectRef
  node?: ObjectRef
  secret?: ObjectRef
  now: Date
  ttlMs: number
  /** Seconds after iat at which kube-apiserver flags use of the token as stale. */
  warnAfterMs?: number
  jti?: string
}

const seconds = (date: Date, plusMs = 0) => Math.floor((date.getTime() + plusMs) / 1000)

/** The claim set of a TokenRequest-issued token (kubernetes.io private claim, jti as a UUID). */
export function boundServiceAccountClaims(input: BoundClaimsInput): Record<string, unknown> {
  if (input.secret && (input.pod || input.node)) throw usageError('a token bound to a secret cannot also be bound to a pod or node')
  const iat = seconds(input.now)
  const k8s: Record<string, unknown> = {namespace: input.namespace}
  if (input.node) k8s.node = {...input.node}
  if (input.pod) k8s.pod = {...input.pod}
  if (input.secret) k8s.secret = {...input.secret}
  k8s.serviceaccount = {...input.serviceAccount}
  if (input.warnAfterMs !== undefined) k8s.warnafter = seconds(input.now, input.warnAfterMs)
  return {
    aud: input.audiences,
    exp: seconds(input.now, input.ttlMs),
    iat,
    iss: input.issuer,
    jti: input.jti ?? randomUUID(),
    'kubernetes.io': k8s,
    nbf: iat,
    sub: `system:serviceaccount:${input.namespace}:${input.serviceAccount.name}`,
  }
}

/** The claim set of a legacy Secret-based token: no aud, no exp. */
export function legacyServiceAccountClaims(namespace: string, serviceAccount: ObjectRef, secretName: string): Record<string, unknown> {
  return {
    iss: LEGACY_SA_ISSUER,
    [LEGACY_CLAIMS.namespace]: namespace,
    [LEGACY_CLAIMS.secretName]: secretName,
    [LEGACY_CLAIMS.serviceAccountName]: serviceAccount.name,
    [LEGACY_CLAIMS.serviceAccountUid]: serviceAccount.uid,
    sub: `system:serviceaccount:${namespace}:${serviceAccount.name}`,
  }
}

export interface OidcClaimsInput {
  issuer: string
  subject: string
  audiences: string[]
  now: Date
  ttlMs: number
  /** Further claims (email, groups, ...); they cannot replace the registered ones. */
  extra?: Record<string, unknown>
}

export function oidcClaims(input: OidcClaimsInput): Record<string, unknown> {
  const iat = seconds(input.now)
  return {
    ...input.extra,
    aud: input.audiences.length === 1 ? input.audiences[0] : input.audiences,
    exp: seconds(input.now, input.ttlMs),
    iat,
    iss: input.issuer,
    jti: randomUUID(),
    nbf: iat,
    sub: input.subject,
  }
}

/** Parses `name:uid` (the uid may be omitted and is then generated). */
export function parseObjectRef(value: string, flag: string): ObjectRef {
  const [name, uid, ...rest] = value.split(':')
  if (!name || rest.length > 0) throw usageError(`invalid --${flag} ${JSON.stringify(value)}`, 'use name:uid')
  return {name, uid: uid || randomUUID()}
}

/** Parses `namespace:name[:uid]`. */
export function parseServiceAccountRef(value: string): {namespace: string; serviceAccount: ObjectRef} {
  const [namespace, name, uid, ...rest] = value.split(':')
  if (!namespace || !name || rest.length > 0) throw usageError(`invalid --service-account ${JSON.stringify(value)}`, 'use namespace:name or namespace:name:uid')
  return {namespace, serviceAccount: {name, uid: uid || randomUUID()}}
}

/** The JWS algorithm a private key signs with by default (what kube-apiserver picks for its SA signing key). */
export function defaultAlgorithm(key: KeyObject): string {
  const type = key.asymmetricKeyType
  if (type === 'rsa') return 'RS256'
  if (type === 'rsa-pss') return 'PS256'
  if (type === 'ed25519') return 'EdDSA'
  if (type === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve
    const alg = ({'P-256': 'ES256', 'P-384': 'ES384', 'P-521': 'ES512', prime256v1: 'ES256', secp384r1: 'ES384', secp521r1: 'ES512'} as Record<string, string>)[curve ?? '']
    if (alg) return alg
    throw new AuthctlError(`EC curve ${curve} cannot sign JWTs`, {code: 'KEY_INVALID', hint: 'use P-256, P-384 or P-521'})
  }
  throw new AuthctlError(`a ${type} key cannot sign JWTs`, {code: 'KEY_INVALID', hint: 'use an RSA, ECDSA or Ed25519 private key'})
}

/** The signing key, read by the PKI key reader (PKCS#8, PKCS#1, SEC1, Talos's ED25519 label). */
export function parseSigningKey(pem: string, source: string): KeyObject {
  return parsePrivateKey(pem, {source, what: 'signing key'}).key
}

export interface SignOptions {
  alg?: string
  kid?: string
}

export async function signToken(claims: Record<string, unknown>, key: KeyObject, options: SignOptions = {}): Promise<string> {
  const {CompactSign} = await import('jose')
  const alg = options.alg ?? defaultAlgorithm(key)
  if (/^(none|HS)/i.test(alg)) throw usageError(`algorithm ${JSON.stringify(alg)} is not supported for signing`, 'use an asymmetric algorithm')
  const header = {alg, ...(options.kid ? {kid: options.kid} : {}), typ: 'JWT'}
  try {
    return await new CompactSign(new TextEncoder().encode(JSON.stringify(claims))).setProtectedHeader(header).sign(key)
  } catch (error) {
    throw new AuthctlError(`cannot sign with ${alg}: ${(error as Error).message}`, {code: 'KEY_INVALID', hint: 'the algorithm must fit the key type'})
  }
}
