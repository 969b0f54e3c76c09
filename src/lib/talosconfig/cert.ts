// The strict base64 around the PEMs a talosconfig carries; the PEMs themselves are read by the PKI library's
// certificate and key loaders (which also read Talos's `ED25519 PRIVATE KEY` label).
import {isStrictBase64} from '../go/base64.js'
import {AuthctlError} from '../output/errors.js'

/** Go's base64.StdEncoding.DecodeString: standard alphabet, padded; CR and LF are ignored. */
export function decodeBase64(value: string, what: string): Buffer {
  const compact = value.replace(/[\r\n]/g, '')
  if (!isStrictBase64(compact)) {
    throw new AuthctlError(`${what} is not valid base64`, {code: 'BAD_CREDENTIALS'})
  }
  return Buffer.from(compact, 'base64')
}
