// CA bundles as node X509Certificate objects: splitting a PEM bundle, the issuer check, one-line names.
import {X509Certificate} from 'node:crypto'

/** The CERTIFICATE blocks of a PEM bundle, as text. */
export function certificateBlocks(pem: string | Buffer): string[] {
  return pem.toString().match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []
}

/** Every certificate of a bundle that parses (for diagnosis, where a bad block should not hide the others). */
export function readableCertificates(pem: string | Buffer): X509Certificate[] {
  return certificateBlocks(pem).flatMap((block) => {
    try {
      return [new X509Certificate(block)]
    } catch {
      return []
    }
  })
}

/** Whether any of the CA certificates issued and signed `cert`. */
export function issuedByAny(cert: X509Certificate, cas: X509Certificate[]): boolean {
  return cas.some((ca) => {
    try {
      return cert.checkIssued(ca) && cert.verify(ca.publicKey)
    } catch {
      return false
    }
  })
}

/** node's multi-line distinguished name on one line, e.g. `O=dev, CN=jane`. */
export const oneLineDn = (dn: string) => dn.replaceAll('\n', ', ')
