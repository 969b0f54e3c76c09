// Strict standard base64, as Go's encoding/base64 StdEncoding accepts it: the data fields of kubeconfig, talosconfig,
// Talos secrets and Secrets, and PEM bodies. Buffer.from(s, 'base64') silently skips bad characters, so check first.

/** Whether `text` (already stripped of the whitespace its format allows) is padded standard base64. */
export function isStrictBase64(text: string): boolean {
  return text.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(text)
}
