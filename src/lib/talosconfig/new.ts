// `talosconfig new`: a talosconfig built offline from the Talos OS CA, what `talosctl config new` asks a running
// control plane for. The client certificate uses the talos-client profile (EKU exactly clientAuth, O = sorted
// roles, a key of the CA's family), so apid accepts it.
import {readCertificates} from '../pki/cert.js'
import {issueTalosClient, type CertAndKey} from '../pki/index.js'
import {usageError} from '../output/errors.js'
import {parseRoles} from '../api/talos-roles.js'
import {emptyContext, type Talosconfig} from './format.js'

export interface NewTalosconfigOptions {
  ca: CertAndKey
  roles: string[]
  ttlMs: number
  endpoints: string[]
  nodes: string[]
  /** Context name; by default talosctl's rule with "talos" as the cluster name. */
  context?: string
  now: Date
}

/** talosctl's naming: one role gives `<role without os:>@<cluster>`, otherwise the cluster name. */
export function defaultContextName(roles: string[], cluster = 'talos'): string {
  return roles.length === 1 ? `${roles[0].replace(/^os:/, '')}@${cluster}` : cluster
}

export async function newTalosconfig(options: NewTalosconfigOptions): Promise<{config: Talosconfig; name: string; notAfter: Date; roles: string[]}> {
  const {roles, unknown} = parseRoles(options.roles)
  if (unknown.length > 0) {
    throw usageError(`unknown roles: ${unknown.join(', ')}`, 'known roles: os:admin, os:operator, os:reader, os:etcd:backup, os:impersonator, os:image:verifier, os:meta:writer')
  }
  if (roles.length === 0) throw usageError('no roles given', 'pass --roles os:admin (or another os: role)')
  if (!(options.ttlMs > 0)) throw usageError('crt_ttl should be positive')
  const client = await issueTalosClient(options.ca, {now: options.now, roles, ttlMs: options.ttlMs})
  const name = options.context || defaultContextName(roles)
  const b64 = (pem: string) => Buffer.from(pem).toString('base64')
  const ctx = {...emptyContext(), ca: b64(options.ca.certPem), crt: b64(client.certPem), endpoints: options.endpoints, key: b64(client.keyPem), nodes: options.nodes}
  const {notAfter} = readCertificates(client.certPem, 'issued certificate')[0].fields
  return {config: {context: name, contexts: new Map([[name, ctx]]), extra: []}, name, notAfter, roles}
}
