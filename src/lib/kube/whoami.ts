// `auth whoami`: SelfSubjectReview v1 → v1beta1 → v1alpha1 (falling back only on NotFound), kubectl's table, and —
// when the API has no SelfSubjectReview — what the local credential claims, labelled as unconfirmed.
import {X509Certificate} from 'node:crypto'

import type {UserInfo} from '../api/user.js'
import {AuthctlError} from '../output/errors.js'
import {formatTable} from '../output/render.js'
import {bootstrapUser, classifyToken, numericDate, serviceAccountUser} from '../token/identity.js'
import {bootstrapTokenId, parseJwt} from '../token/jwt.js'
import type {KubeClient, UsedCredential} from './client.js'
import {StatusError, statusToError} from './errors.js'
import {explainUnauthorized} from './diagnose.js'
import {oneLineDn} from '../pki/bundle.js'

export interface SelfSubjectReview {
  kind: string
  apiVersion: string
  metadata: {creationTimestamp?: string | null; [key: string]: unknown}
  status: {userInfo: Partial<UserInfo>}
}

const VERSIONS = ['v1', 'v1beta1', 'v1alpha1']

export const SSR_NOT_ENABLED =
  'the selfsubjectreviews API is not enabled in the cluster\nenable APISelfSubjectReview feature gate and authentication.k8s.io/v1alpha1 or authentication.k8s.io/v1beta1 API'
export const SSR_FORBIDDEN = 'the selfsubjectreviews API is not enabled in the cluster or you do not have permission to call it'

/** What the local credential says about the user; never confirmed by the server. */
export interface LocalClaims {
  source: 'bearer token' | 'client certificate'
  username?: string
  groups?: string[]
  uid?: string
  notAfter?: string
  issuer?: string
}

export type WhoamiResult =
  | {confirmed: true; review: SelfSubjectReview}
  | {confirmed: false; local?: LocalClaims; error: AuthctlError}

export interface WhoamiOptions {
  /** Why the server may have refused a bearer token (the server's authentication configuration, run locally). */
  explainToken?: (token: string) => Promise<string | undefined>
}

/** Asks the server who we are; throws AuthctlError with kubectl's text on anything but "API not available". */
export async function whoami(client: KubeClient, now = new Date(), options: WhoamiOptions = {}): Promise<WhoamiResult> {
  for (const version of VERSIONS) {
    try {
      const review = await client.request<SelfSubjectReview>({
        body: {apiVersion: `authentication.k8s.io/${version}`, kind: 'SelfSubjectReview', metadata: {creationTimestamp: null}, status: {userInfo: {}}},
        method: 'POST',
        path: `/apis/authentication.k8s.io/${version}/selfsubjectreviews`,
        resource: 'selfsubjectreviews.authentication.k8s.io',
      })
      return {confirmed: true, review}
    } catch (error) {
      if (!(error instanceof StatusError)) throw error
      if (error.isNotFound()) continue
      // kubectl hides the server's message here; when it is the impersonation filter's, authctl shows it.
      if (error.reason === 'Forbidden') {
        throw new AuthctlError(SSR_FORBIDDEN, {code: 'FORBIDDEN', hint: /cannot impersonate resource/.test(error.message) ? error.message : undefined})
      }
      if (error.reason === 'Unauthorized') {
        const token = client.lastCredential.token
        const hint = (token && (await options.explainToken?.(token))) || explainUnauthorized(client.lastCredential, client.connection, now)
        throw statusToError(error, hint)
      }
      throw statusToError(error)
    }
  }
  return {confirmed: false, error: new AuthctlError(SSR_NOT_ENABLED, {code: 'NOT_FOUND'}), local: localClaims(client.lastCredential)}
}

/** kubectl's whoami table: ATTRIBUTE/VALUE, rows only for non-empty fields, extra keys sorted. */
export function whoamiTable(userInfo: Partial<UserInfo>): string {
  const rows: string[][] = []
  if (userInfo.username) rows.push(['Username', userInfo.username])
  if (userInfo.uid) rows.push(['UID', userInfo.uid])
  if (userInfo.groups?.length) rows.push(['Groups', goSlice(userInfo.groups)])
  for (const key of Object.keys(userInfo.extra ?? {}).sort()) rows.push([`Extra: ${key}`, goSlice(userInfo.extra![key])])
  return formatTable(['ATTRIBUTE', 'VALUE'], rows)
}

/** The unconfirmed local view, printed when the server cannot say. */
export function localClaimsText(local: LocalClaims): string {
  const rows: string[][] = [['Source', `${local.source} (local; not confirmed by the server)`]]
  if (local.username) rows.push(['Username', local.username])
  if (local.uid) rows.push(['UID', local.uid])
  if (local.groups?.length) rows.push(['Groups', goSlice(local.groups)])
  if (local.issuer) rows.push(['Issuer', local.issuer])
  if (local.notAfter) rows.push(['Expires', local.notAfter])
  return formatTable(['ATTRIBUTE', 'VALUE'], rows)
}

/** Go's %v of a []string. */
export function goSlice(values: string[]): string {
  return `[${values.join(' ')}]`
}

/**
 * The review as kubectl's printers see it: struct order (kind, apiVersion, metadata, status; userInfo: username, uid,
 * groups, extra), empty omitempty fields dropped, and metadata.creationTimestamp present (null when unset).
 */
export function kubectlReview(review: SelfSubjectReview): SelfSubjectReview {
  const u = review.status?.userInfo ?? {}
  const userInfo: Partial<UserInfo> = {}
  if (u.username) userInfo.username = u.username
  if (u.uid) userInfo.uid = u.uid
  if (u.groups?.length) userInfo.groups = u.groups
  if (u.extra && Object.keys(u.extra).length > 0) userInfo.extra = Object.fromEntries(Object.keys(u.extra).sort().map((k) => [k, u.extra![k]]))
  return {
    kind: review.kind,
    apiVersion: review.apiVersion,
    metadata: {...review.metadata, creationTimestamp: review.metadata?.creationTimestamp ?? null},
    status: {userInfo},
  }
}

/** kubectl -o json: encoding/json with 4-space indentation. */
export function reviewJson(review: SelfSubjectReview): string {
  return JSON.stringify(kubectlReview(review), null, 4) + '\n'
}

/** What the credential that was sent claims: a certificate's CN/O, or a JWT's subject and groups. */
export function localClaims(cred: UsedCredential): LocalClaims | undefined {
  if (cred.token) return tokenClaims(cred.token)
  if (cred.clientCertPem) return certClaims(cred.clientCertPem)
  return undefined
}

export function certClaims(pem: string): LocalClaims | undefined {
  try {
    const cert = new X509Certificate(pem)
    const fields = parseDn(cert.subject)
    return {
      groups: fields.O,
      issuer: oneLineDn(cert.issuer),
      notAfter: new Date(cert.validTo).toISOString(),
      source: 'client certificate',
      username: fields.CN?.[0],
    }
  } catch {
    return undefined
  }
}

// node prints subjects one "KEY=value" per line.
function parseDn(dn: string): Record<string, string[]> {
  const out: Record<string, string[]> = {}
  for (const line of dn.split('\n')) {
    const i = line.indexOf('=')
    if (i > 0) (out[line.slice(0, i)] ??= []).push(line.slice(i + 1))
  }
  return out
}

/**
 * What a bearer token claims, read without verifying it: ServiceAccount and bootstrap tokens map to the user
 * kube-apiserver would derive; for other JWTs the username depends on the server's OIDC settings, so `sub` is shown.
 */
export function tokenClaims(token: string): LocalClaims | undefined {
  const kind = classifyToken(token)
  if (kind === 'opaque') return undefined
  if (kind === 'bootstrap') return {source: 'bearer token', ...bootstrapUser(bootstrapTokenId(token.trim())!)}
  const {claims} = parseJwt(token)
  let user: Partial<UserInfo> = {username: typeof claims.sub === 'string' ? claims.sub : undefined}
  if (kind === 'oidc') {
    if (Array.isArray(claims.groups)) user.groups = claims.groups.map(String)
  } else {
    try {
      user = serviceAccountUser(claims)
    } catch {
      // malformed ServiceAccount claims: fall back to sub
    }
  }
  let exp: Date | undefined
  try {
    exp = numericDate(claims, 'exp')
  } catch {
    exp = undefined
  }
  return {
    groups: user.groups,
    issuer: typeof claims.iss === 'string' ? claims.iss : undefined,
    notAfter: exp?.toISOString(),
    source: 'bearer token',
    uid: user.uid || undefined,
    username: user.username,
  }
}
