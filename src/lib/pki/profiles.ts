// The issue profiles: a fresh key of the CA's family, signed for one purpose.
import {parseRoles} from '../api/talos-roles.js'
import {AuthctlError, usageError} from '../output/errors.js'
import {DEFAULT_LEAF_TTL_MS, leafSigner} from './issue.js'
import {encodePrivateKey, generatePrivateKey, type KeyAlgorithm, type KeyFormat} from './keys.js'
import {type CertAndKey, type LoadedPair, parseCa} from './load.js'

export const PROFILES = ['kubernetes-user', 'talos-client', 'server'] as const
export type Profile = (typeof PROFILES)[number]

export interface LeafOptions {
  ttlMs?: number
  notBeforeSkewMs?: number
  now?: Date
  /** Key algorithm of the new key; the CA's by default. Must be of the CA's family for talos-client. */
  algorithm?: KeyAlgorithm
  /** PEM form of the new key: PKCS#8 by default; Talos's labels for talos-client (what talosctl writes). */
  keyFormat?: KeyFormat
}

const family = (a: KeyAlgorithm) => a.split('-')[0]

async function issueLeaf(
  ca: LoadedPair,
  subject: {cn?: string; orgs?: string[]; dnsNames?: string[]; ips?: string[]; usages: Array<'client' | 'server'>},
  options: LeafOptions,
): Promise<CertAndKey> {
  // Refusals first: a bad lifetime or name never costs a key generation (an RSA-4096 key takes over a second).
  const sign = leafSigner(ca, {...options, ...subject, ttlMs: options.ttlMs ?? DEFAULT_LEAF_TTL_MS})
  const key = await generatePrivateKey(options.algorithm ?? ca.algorithm)
  return {certPem: sign(key), keyPem: encodePrivateKey(key, options.keyFormat)}
}

export async function issueKubernetesUser(ca: CertAndKey, options: LeafOptions & {user?: string; groups?: string[]}): Promise<CertAndKey> {
  if (!options.user?.trim()) throw usageError('a kubernetes-user certificate needs a user name (the CN)', 'pass --user')
  return issueLeaf(parseCa(ca), {cn: options.user, orgs: options.groups ?? [], usages: ['client']}, options)
}

export async function issueTalosClient(
  ca: CertAndKey,
  options: LeafOptions & {roles: string[]; allowUnknownRoles?: boolean},
): Promise<CertAndKey> {
  const {roles, unknown} = parseRoles(options.roles)
  if (roles.length === 0) throw usageError('a talos-client certificate needs at least one role', 'pass --roles os:admin (or another os: role)')
  if (unknown.length > 0 && !options.allowUnknownRoles) {
    throw new AuthctlError(`unknown Talos role${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}`, {
      code: 'UNKNOWN_ROLE',
      exitCode: 2,
      hint: 'known roles: os:admin, os:operator, os:reader, os:etcd:backup, os:impersonator, os:image:verifier, os:meta:writer; --allow-unknown-roles for roles of newer Talos versions',
    })
  }
  const loaded = parseCa(ca)
  if (options.algorithm && family(options.algorithm) !== family(loaded.algorithm)) {
    throw usageError(`a talos-client key must be of the CA's family (${family(loaded.algorithm)}), not ${options.algorithm}`)
  }
  // Talos: O = sorted roles, no CN, KeyUsage digitalSignature, EKU exactly [clientAuth] (apid rejects anything else).
  return issueLeaf(loaded, {orgs: roles, usages: ['client']}, {...options, keyFormat: options.keyFormat ?? 'talos'})
}

export async function issueServer(
  ca: CertAndKey,
  options: LeafOptions & {dnsNames?: string[]; ips?: string[]; cn?: string},
): Promise<CertAndKey> {
  const {dnsNames = [], ips = []} = options
  if (dnsNames.length + ips.length === 0) throw usageError('a server certificate needs at least one SAN', 'pass --dns and/or --ip')
  return issueLeaf(parseCa(ca), {cn: options.cn ?? dnsNames[0] ?? ips[0], dnsNames, ips, usages: ['server']}, options)
}
