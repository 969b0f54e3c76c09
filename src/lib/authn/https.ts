// The authenticators' outbound calls (OIDC discovery and JWKS, token webhooks) on the one HTTPS client, with the limits
// they share: a 30 s deadline and a 4 MiB answer.
import {HttpClient, type TlsOptions} from '../net/client.js'

export function authnClient(tls: TlsOptions): HttpClient {
  return new HttpClient({...tls, maxBytes: 4 * 1024 * 1024, timeoutMs: 30_000})
}
