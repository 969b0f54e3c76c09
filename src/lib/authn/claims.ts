// The users kube-apiserver makes of verified ServiceAccount and OIDC claims (AS serviceaccount/util.go, oidc.go).
// The same rules are offered to `authctl token` by src/lib/token/identity.ts; once both live on one branch the
// server should call those and this module should go.
import type {UserInfo} from '../identity.js'
import {CREDENTIAL_ID} from './types.js'

const str = (v: unknown) => (typeof v === 'string' ? v : '')
const obj = (v: unknown): Record<string, unknown> | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined)
const LEGACY = 'kubernetes.io/serviceaccount/'

export class ClaimError extends Error {}

function saUser(namespace: string, name: string, uid: string): UserInfo {
  return {groups: ['system:serviceaccounts', `system:serviceaccounts:${namespace}`], uid, username: `system:serviceaccount:${namespace}:${name}`}
}

export function legacyServiceAccountUser(claims: Record<string, unknown>): UserInfo {
  const [sub, namespace, secret, name, uid] = [str(claims.sub), str(claims[`${LEGACY}namespace`]), str(claims[`${LEGACY}secret.name`]),
    str(claims[`${LEGACY}service-account.name`]), str(claims[`${LEGACY}service-account.uid`])]
  if (!sub) throw new ClaimError('sub claim is missing')
  if (!namespace) throw new ClaimError('namespace claim is missing')
  if (!secret) throw new ClaimError('secretName claim is missing')
  if (!name) throw new ClaimError('serviceAccountName claim is missing')
  if (!uid) throw new ClaimError('serviceAccountUID claim is missing')
  if (sub !== `system:serviceaccount:${namespace}:${name}`) throw new ClaimError('sub claim is invalid')
  return saUser(namespace, name, uid)
}

export function boundServiceAccountUser(claims: Record<string, unknown>): UserInfo {
  const k8s = obj(claims['kubernetes.io'])
  const sa = obj(k8s?.serviceaccount)
  if (!k8s || !str(k8s.namespace) || !sa || !str(sa.name)) throw new ClaimError('service account token claims could not be validated')
  const user = saUser(str(k8s.namespace), str(sa.name), str(sa.uid))
  const extra: Record<string, string[]> = {}
  const pod = obj(k8s.pod)
  const node = obj(k8s.node)
  if (pod && str(pod.name) && str(pod.uid)) {
    extra['authentication.kubernetes.io/pod-name'] = [str(pod.name)]
    extra['authentication.kubernetes.io/pod-uid'] = [str(pod.uid)]
  }
  if (node && str(node.name)) {
    extra['authentication.kubernetes.io/node-name'] = [str(node.name)]
    if (str(node.uid)) extra['authentication.kubernetes.io/node-uid'] = [str(node.uid)]
  }
  if (str(claims.jti)) extra[CREDENTIAL_ID] = [`JTI=${str(claims.jti)}`]
  return Object.keys(extra).length ? {...user, extra} : user
}

export interface OidcMapping {
  issuerUrl: string
  usernameClaim?: string
  usernamePrefix?: string
  groupsClaim?: string
  groupsPrefix?: string
  requiredClaims?: Record<string, string>
}

export function oidcUser(claims: Record<string, unknown>, m: OidcMapping): UserInfo {
  for (const [claim, want] of Object.entries(m.requiredClaims ?? {})) {
    if (!(claim in claims)) throw new ClaimError(`oidc: required claim ${claim} not present in ID token`)
    if (claims[claim] !== want) throw new ClaimError(`oidc: required claim ${claim} value does not match. Got = ${String(claims[claim])}, want = ${want}`)
  }
  const claim = m.usernameClaim || 'sub'
  const name = claims[claim]
  if (typeof name !== 'string') throw new ClaimError(`oidc: parse username claims ${JSON.stringify(claim)}: claim not present`)
  if (claim === 'email' && 'email_verified' in claims && claims.email_verified !== true) throw new ClaimError('oidc: email not verified')
  const rawPrefix = m.usernamePrefix ?? ''
  const prefix = rawPrefix === '-' ? '' : rawPrefix === '' && claim !== 'email' ? `${m.issuerUrl}#` : rawPrefix
  let groups: string[] = []
  if (m.groupsClaim && m.groupsClaim in claims) {
    const v = claims[m.groupsClaim]
    const list = typeof v === 'string' ? [v] : v
    if (!Array.isArray(list) || !list.every((g) => typeof g === 'string')) throw new ClaimError(`oidc: parse groups claim ${JSON.stringify(m.groupsClaim)}: not a string or list of strings`)
    groups = list.map((g) => (m.groupsPrefix ?? '') + g)
  }
  return {groups, username: prefix + name, ...(str(claims.jti) ? {extra: {[CREDENTIAL_ID]: [`JTI=${str(claims.jti)}`]}} : {})}
}
