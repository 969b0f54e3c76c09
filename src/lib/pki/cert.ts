// A certificate read once, for every use: certinfo's fields (strict DER, Go's parse-time refusals), its public key
// and node's X509Certificate, both made on first use.
import {createPublicKey, type KeyObject, X509Certificate} from 'node:crypto'

import {AuthctlError} from '../output/errors.js'
import {certificateBlocks} from './bundle.js'
import {type CertFields, parseCertificate} from './certinfo.js'
import {parsePem} from './pem.js'
import {isGoKeyType} from './signature.js'

export interface Cert {
  fields: CertFields
  /**
   * Undefined when node cannot use the key or Go's parser does not know its type (Go then skips the certificate as a
   * parent). Made on first use: reading a key costs as much as the rest of the certificate, and a leaf's own key is
   * never needed to verify it.
   */
  readonly publicKey?: KeyObject
  /** node's view of the same DER, for checkPrivateKey; made on first use. */
  readonly x509: X509Certificate
}

function keyOf(spki: Buffer): KeyObject | undefined {
  try {
    const key = createPublicKey({format: 'der', key: spki, type: 'spki'})
    return isGoKeyType(key.asymmetricKeyType) ? key : undefined
  } catch {
    return undefined
  }
}

/** Reads one DER certificate for verification; malformed input is an AuthctlError naming `what`. */
export function loadCertificate(der: Buffer, what = 'certificate'): Cert {
  const fields = parseCertificate(der, what)
  let publicKey: KeyObject | undefined | null = null
  let x509: X509Certificate | undefined
  return {
    fields,
    get publicKey() {
      if (publicKey === null) publicKey = keyOf(fields.spkiDer)
      return publicKey
    },
    get x509() {
      return (x509 ??= new X509Certificate(der))
    },
  }
}

/** Every CERTIFICATE block of a PEM text, each read once. */
export function readCertificates(data: Buffer | string, what: string): Cert[] {
  const blocks = parsePem(data, what).filter((b) => b.label === 'CERTIFICATE')
  if (blocks.length === 0) throw new AuthctlError(`invalid ${what}: no CERTIFICATE block found`, {code: 'BAD_PEM'})
  return blocks.map((b) => loadCertificate(b.der, what))
}

/** Every certificate of a CA bundle that can be read (for diagnosis, where a bad block should not hide the others). */
export function readableCertificates(pem: Buffer | string): Cert[] {
  return certificateBlocks(pem).flatMap((block) => {
    try {
      return readCertificates(block, 'CA certificate')
    } catch {
      return []
    }
  })
}

/** The serial number in decimal, as Go prints a *big.Int. */
export function serialNumber(cert: Cert): string {
  return BigInt(`0x${cert.fields.serial || '0'}`).toString()
}

/** kube-apiserver's certificateIdentifier, as logged with a failed verification. */
export function certificateIdentifier(cert: Cert): string {
  const ext = cert.fields.extensions
  return `SN=${serialNumber(cert)}, SKID=${ext.subjectKeyId ?? ''}, AKID=${ext.authorityKeyId ?? ''}`
}
