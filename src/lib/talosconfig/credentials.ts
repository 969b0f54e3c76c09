// Checks on the credentials a context carries. talosctl stores whatever bytes it is given; authctl refuses what
// could never work (bad base64, not a PEM, a key that does not match its certificate) so a broken context is
// caught when it is added or merged rather than at the first connection.
import {type X509Certificate} from 'node:crypto'

import {AuthctlError, usageError} from '../output/errors.js'
import {certificateFields, decodeBase64, parseCertificatePem, parsePrivateKeyPem} from './cert.js'
import {type TalosContext} from './format.js'

const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2'

export interface CredentialFiles {
  ca?: Buffer
  crt?: Buffer
  key?: Buffer
}

/**
 * Validates PEM credentials for a new context and returns warnings: apid (Talos ≥ 1.12) rejects a client
 * certificate whose extended key usage is not exactly [clientAuth], or one not issued by its CA.
 */
export function checkCredentials(files: CredentialFiles, now: Date, label = ''): string[] {
  if (Boolean(files.crt) !== Boolean(files.key)) {
    throw usageError("if either the 'crt' or 'key' flag is specified, both are required")
  }
  const ca = files.ca ? parseCertificatePem(files.ca, `${label}CA`) : undefined
  if (!files.crt || !files.key) return []
  const crt = parseCertificatePem(files.crt, `${label}certificate`)
  const key = parsePrivateKeyPem(files.key, `${label}key`)
  if (!crt.checkPrivateKey(key)) {
    throw new AuthctlError(`${label}key does not match the certificate`, {code: 'KEY_MISMATCH', hint: 'pass the key the certificate was issued for'})
  }
  return certificateWarnings(crt, ca, now, label)
}

function certificateWarnings(crt: X509Certificate, ca: X509Certificate | undefined, now: Date, label: string): string[] {
  const warnings: string[] = []
  const eku = (crt.keyUsage ?? []) as string[]
  if (eku.length !== 1 || eku[0] !== CLIENT_AUTH) {
    warnings.push(`${label}certificate's extended key usage is not exactly clientAuth; Talos 1.12+ rejects it`)
  }
  if (ca && !(crt.checkIssued(ca) && crt.verify(ca.publicKey))) warnings.push(`${label}certificate is not signed by the CA`)
  const {notAfter} = certificateFields(crt.raw)
  if (notAfter.getTime() < now.getTime()) warnings.push(`${label}certificate expired on ${notAfter.toISOString()}`)
  return warnings
}

/** Checks a parsed context's base64 fields (and the PEMs inside) before it is merged into another file. */
export function checkContextEncoding(name: string, ctx: TalosContext, now: Date): string[] {
  const label = `context ${JSON.stringify(name)}: `
  const files: CredentialFiles = {}
  for (const field of ['ca', 'crt', 'key'] as const) {
    if (ctx[field]) files[field] = decodeBase64(ctx[field], `${label}${field}`)
  }
  try {
    return checkCredentials(files, now, label)
  } catch (error) {
    if (error instanceof AuthctlError && error.code === 'USAGE') {
      throw new AuthctlError(`${label}crt and key must be set together`, {code: 'BAD_CREDENTIALS'})
    }
    throw error
  }
}
