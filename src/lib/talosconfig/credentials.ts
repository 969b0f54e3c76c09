// Checks on the credentials a context carries. talosctl stores whatever bytes it is given; authctl refuses what
// could never work (bad base64, not a PEM, a key that does not match its certificate) so a broken context is
// caught when it is added or merged rather than at the first connection.
import {createPublicKey} from 'node:crypto'

import {AuthctlError, usageError} from '../output/errors.js'
import {EKU_OID} from '../pki/extensions.js'
import {readCertificates, verifyChain} from '../pki/chain.js'
import {parsePrivateKey} from '../pki/keys.js'
import {describePathError} from '../pki/verify.js'
import {decodeBase64} from './cert.js'
import {type TalosContext} from './format.js'

export interface CredentialFiles {
  ca?: Buffer
  crt?: Buffer
  key?: Buffer
}

const unpaired = (files: CredentialFiles) => Boolean(files.crt) !== Boolean(files.key)

/**
 * Validates PEM credentials for a context and returns warnings: apid (Talos ≥ 1.12) rejects a client certificate
 * whose extended key usage is not exactly [clientAuth], or one not issued by its CA.
 */
export function checkCredentials(files: CredentialFiles, now: Date, label = ''): string[] {
  if (unpaired(files)) throw usageError("if either the 'crt' or 'key' flag is specified, both are required")
  const cas = files.ca ? readCertificates(files.ca, `${label}CA`) : undefined
  if (!files.crt || !files.key) return []
  const [leaf, ...intermediates] = readCertificates(files.crt, `${label}certificate`)
  const {fields} = leaf
  const {key} = parsePrivateKey(files.key, {what: `${label}key`})
  const certKey = leaf.publicKey?.export({format: 'der', type: 'spki'})
  if (!certKey || !createPublicKey(key).export({format: 'der', type: 'spki'}).equals(certKey)) {
    throw new AuthctlError(`${label}key does not match the certificate`, {code: 'KEY_MISMATCH', hint: 'pass the key the certificate was issued for'})
  }
  const warnings: string[] = []
  const eku = fields.extensions.extKeyUsageOids ?? []
  if (eku.length !== 1 || eku[0] !== EKU_OID.clientAuth) {
    warnings.push(`${label}certificate's extended key usage is not exactly clientAuth; Talos 1.12+ rejects it`)
  }
  const pathError = cas && verifyChain(leaf, {intermediates, now, roots: cas}).pathError
  if (pathError) warnings.push(`${label}certificate is not signed by the CA (${describePathError(pathError, leaf, cas!)})`)
  if (fields.notAfter.getTime() < now.getTime()) warnings.push(`${label}certificate expired on ${fields.notAfter.toISOString()}`)
  return warnings
}

/** Checks a parsed context's base64 fields (and the PEMs inside) before it is merged into another file. */
export function checkContextEncoding(name: string, ctx: TalosContext, now: Date): string[] {
  const label = `context ${JSON.stringify(name)}: `
  const files: CredentialFiles = {}
  for (const field of ['ca', 'crt', 'key'] as const) {
    if (ctx[field]) files[field] = decodeBase64(ctx[field], `${label}${field}`)
  }
  if (unpaired(files)) throw new AuthctlError(`${label}crt and key must be set together`, {code: 'BAD_CREDENTIALS'})
  return checkCredentials(files, now, label)
}
