// PEM bundles as text: splitting into certificate blocks, and node's multi-line names on one line.

/** The CERTIFICATE blocks of a PEM bundle, as text. */
export function certificateBlocks(pem: string | Buffer): string[] {
  return pem.toString().match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []
}

/** node's multi-line distinguished name on one line, e.g. `O=dev, CN=jane`. */
export const oneLineDn = (dn: string) => dn.replaceAll('\n', ', ')
