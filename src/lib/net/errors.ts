// One reading of what went wrong on the wire, shared by every caller of the HTTPS client: node's socket and TLS
// error codes → what failed, with Go's x509 wording (what kubectl prints, and what users search for). Callers word
// the message in their own contract (kubectl's for the API client, "cannot fetch …" for issuers).

export type NetFailure =
  | 'unknown-authority'
  | 'expired'
  | 'not-yet-valid'
  | 'wrong-name'
  /** Any other TLS failure (handshake, protocol, a certificate problem node has no code for). */
  | 'tls'
  | 'refused'
  | 'no-such-host'
  | 'timeout'
  | 'reset'
  | 'no-route'
  | 'other'

const UNKNOWN_AUTHORITY = 'x509: certificate signed by unknown authority'
const VALIDITY = 'x509: certificate has expired or is not yet valid'

const byCode: Record<string, {failure: NetFailure; x509?: string}> = {
  CERT_HAS_EXPIRED: {failure: 'expired', x509: VALIDITY},
  CERT_NOT_YET_VALID: {failure: 'not-yet-valid', x509: VALIDITY},
  DEPTH_ZERO_SELF_SIGNED_CERT: {failure: 'unknown-authority', x509: UNKNOWN_AUTHORITY},
  EAI_AGAIN: {failure: 'no-such-host'},
  ECONNREFUSED: {failure: 'refused'},
  ECONNRESET: {failure: 'reset'},
  EHOSTUNREACH: {failure: 'no-route'},
  ENETUNREACH: {failure: 'no-route'},
  ENOTFOUND: {failure: 'no-such-host'},
  ERR_TLS_CERT_ALTNAME_INVALID: {failure: 'wrong-name', x509: 'x509: certificate is not valid for the requested name'},
  ETIMEDOUT: {failure: 'timeout'},
  ETIMEOUT: {failure: 'timeout'},
  SELF_SIGNED_CERT_IN_CHAIN: {failure: 'unknown-authority', x509: UNKNOWN_AUTHORITY},
  UNABLE_TO_GET_ISSUER_CERT: {failure: 'unknown-authority', x509: UNKNOWN_AUTHORITY},
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: {failure: 'unknown-authority', x509: UNKNOWN_AUTHORITY},
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: {failure: 'unknown-authority', x509: UNKNOWN_AUTHORITY},
}

export interface Classified {
  failure: NetFailure
  /** Go's x509 text for a certificate verification failure. */
  x509?: string
  /** The TLS layer failed (certificate or handshake), as opposed to the network. */
  tls: boolean
}

/** Go's x509 wording for a node certificate verification code, if it is one. */
export function x509Reason(code: string): string | undefined {
  return byCode[code]?.x509
}

export function classifyNetError(error: unknown): Classified {
  const err = error as (NodeJS.ErrnoException & {message?: string}) | undefined
  const code = err?.code ?? ''
  const known = byCode[code]
  if (known) return {...known, tls: known.x509 !== undefined}
  const message = err?.message ?? ''
  if (code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS') || /SSL|TLS|certificate/i.test(message)) return {failure: 'tls', tls: true}
  return {failure: 'other', tls: false}
}

// What a user can do when an issuer's (OIDC provider's) certificate is refused: authctl's flag for its CA.
const issuerTlsHints: Partial<Record<NetFailure, string>> = {
  expired: 'the issuer certificate has expired',
  'unknown-authority': 'pass the issuer CA with --certificate-authority',
  'wrong-name': 'the certificate does not name this host',
}

export function issuerTlsHint(failure: NetFailure): string {
  return issuerTlsHints[failure] ?? 'check --certificate-authority'
}
