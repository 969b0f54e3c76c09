// What the API client needs to reach one cluster as one user: a kubeconfig context after its files were read and
// its relative paths resolved (the kubeconfig loader builds it; tests build it by hand).

export type InteractiveMode = 'Always' | 'IfAvailable' | 'Never'

/** A kubeconfig `users[].user.exec` entry (client.authentication.k8s.io exec credential plugin). */
export interface ExecConfig {
  apiVersion: string
  /** A bare name is looked up on PATH; a path is used as is (the loader resolves relative ones). */
  command: string
  args?: string[]
  env?: Array<{name: string; value: string}>
  installHint?: string
  /** Required for v1; v1beta1 defaults to IfAvailable. */
  interactiveMode?: InteractiveMode
  provideClusterInfo?: boolean
}

export interface Impersonation {
  user?: string
  uid?: string
  groups?: string[]
  extra?: Record<string, string[]>
}

export interface Connection {
  /** https://host:port[/prefix] */
  server: string
  /** PEM bundle to trust instead of the system store. */
  caPem?: string
  /** Where caPem came from (a file path or "certificate-authority-data"), for error messages. */
  caSource?: string
  insecureSkipTlsVerify?: boolean
  tlsServerName?: string
  clientCertPem?: string
  clientKeyPem?: string
  token?: string
  /** Re-read before every request, like client-go's cached token source, so rotated tokens are picked up. */
  tokenFile?: string
  username?: string
  password?: string
  exec?: ExecConfig
  /** The cluster extension `client.authentication.k8s.io/exec`, passed to exec plugins as spec.cluster.config. */
  execClusterConfig?: unknown
  proxyUrl?: string
  impersonate?: Impersonation
  /** The kubeconfig user (authinfo) name, used in client-go's error texts. */
  authInfoName?: string
  /** Per-request timeout in milliseconds (kubectl's --request-timeout; default 32 s like discovery's). */
  timeoutMs?: number
}

// RFC 7230 token characters: what may appear unescaped in a header name.
const tokenChar = /[!#$%&'*+\-.^_`|~0-9A-Za-z]/

/** client-go's headerKeyEscape: bytes that are not header token characters (and '%') become %XX. */
export function escapeExtraKey(key: string): string {
  let out = ''
  for (const byte of Buffer.from(key, 'utf8')) {
    const ch = String.fromCharCode(byte)
    out += byte < 0x80 && ch !== '%' && tokenChar.test(ch) ? ch : '%' + byte.toString(16).toUpperCase().padStart(2, '0')
  }
  return out
}

/**
 * The Impersonate-* header lines for a request (each array entry is one header line). Groups, uid or extra
 * without a user is refused on the client, with client-go's text.
 */
export function impersonationHeaders(imp: Impersonation | undefined, authInfoName = ''): Array<[string, string]> {
  if (!imp) return []
  const groups = imp.groups ?? []
  const extra = Object.entries(imp.extra ?? {})
  if (!imp.user) {
    if (groups.length > 0 || imp.uid || extra.length > 0) {
      throw new ImpersonationError(`requesting uid, groups or user-extra for ${authInfoName} without impersonating a user`)
    }
    return []
  }
  const headers: Array<[string, string]> = [['Impersonate-User', imp.user]]
  if (imp.uid) headers.push(['Impersonate-Uid', imp.uid])
  for (const g of groups) headers.push(['Impersonate-Group', g])
  for (const [key, values] of extra) for (const v of values) headers.push([`Impersonate-Extra-${escapeExtraKey(key)}`, v])
  return headers
}

export class ImpersonationError extends Error {}
