// Turning what the API server (or the network) said into the one-line messages kubectl prints, plus a hint with the
// likely cause when authctl can tell more than kubectl does.
import type {Status} from '../api/status.js'
import {escapeControls} from '../go/quote.js'
import {classifyNetError, type NetFailure} from '../net/errors.js'
import {AuthctlError} from '../output/errors.js'

/** An API answer that was not 2xx, carrying the Status (synthesised like client-go when the body was not one). */
export class StatusError extends Error {
  constructor(
    readonly status: Status,
    readonly httpStatus: number,
  ) {
    super(status.message ?? `the server returned HTTP ${httpStatus}`)
    this.name = 'StatusError'
  }

  get reason(): string {
    return this.status.reason ?? ''
  }

  isNotFound(): boolean {
    return this.reason === 'NotFound' || (this.reason === '' && this.httpStatus === 404)
  }
}

// client-go's reasonForCode: the reason a bare HTTP code stands for when the body is not a Status.
const reasonForCode: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  406: 'NotAcceptable',
  409: 'Conflict',
  410: 'Gone',
  413: 'RequestEntityTooLarge',
  415: 'UnsupportedMediaType',
  422: 'Invalid',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
  504: 'Timeout',
}

/**
 * client-go's transformResponse: a JSON Status body is used as is; anything else becomes apimachinery's
 * NewGenericServerResponse (reason from the HTTP code, client-go's generic message, "(<verb> <resource>)").
 * `resource` is the qualified resource of typed calls, e.g. selfsubjectreviews.authentication.k8s.io.
 */
export function statusFromResponse(httpStatus: number, body: string, contentType: string, method: string, resource = ''): Status {
  try {
    const parsed = JSON.parse(body)
    if (parsed && typeof parsed === 'object' && parsed.kind === 'Status') return {code: httpStatus, ...parsed}
  } catch {
    // not JSON: fall through to the generic Status
  }
  const serverMessage = contentType.startsWith('text/plain') ? body.slice(0, 1024).trim() : 'unknown'
  let reason = reasonForCode[httpStatus] ?? ''
  let message = `the server responded with the status code ${httpStatus} but did not return more information`
  switch (httpStatus) {
    case 400:
      message = 'the server rejected our request for an unknown reason'
      break
    case 401:
      message = 'the server has asked for the client to provide credentials'
      break
    case 403:
      message = serverMessage
      break
    case 404:
      message = 'the server could not find the requested resource'
      break
    case 500:
      message = `an error on the server (${JSON.stringify(serverMessage)}) has prevented the request from succeeding`
      break
    default:
      if (!reasonForCode[httpStatus]) reason = ''
  }
  if (resource) message = `${message} (${method.toLowerCase()} ${resource})`
  return {code: httpStatus, message, reason, status: 'Failure'}
}

/** kubectl's StandardErrorMessage for API errors; the server's text has its control characters (newlines too) escaped. */
export function kubectlStatusMessage(status: Pick<Partial<Status>, 'message' | 'reason'>): string {
  const message = status.message === undefined ? undefined : escapeControls(status.message)
  const reason = status.reason && escapeControls(status.reason)
  if (status.reason === 'Unauthorized') return `You must be logged in to the server (${message ?? 'Unauthorized'})`
  if (reason) return `Error from server (${reason}): ${message ?? ''}`
  return `Error from server: ${message ?? ''}`
}

/** The AuthctlError for an API error, optionally with authctl's locally derived likely cause. */
export function statusToError(error: StatusError, hint?: string): AuthctlError {
  const code = error.reason ? error.reason.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase() : 'SERVER_ERROR'
  return new AuthctlError(kubectlStatusMessage(error.status), {code, hint})
}

/** The server could not be reached or the TLS handshake failed; message in kubectl's words. */
export class ConnectError extends AuthctlError {}

export interface ConnectContext {
  server: string
  caSource?: string
  caSubject?: string
  serverName: string
}

const unreachableHints: Partial<Record<NetFailure, string>> = {
  'no-route': 'no route to the host',
  reset: 'the connection was reset',
  timeout: 'the request timed out',
}

/** Maps a socket/TLS failure (classified by lib/net) to `Unable to connect to the server: …` with a hint naming the cause. */
export function connectError(error: unknown, ctx: ConnectContext): AuthctlError {
  if (error instanceof AuthctlError) return error
  const err = error as NodeJS.ErrnoException & {reason?: string}
  const {failure, tls, x509} = classifyNetError(error)
  const host = hostPort(ctx.server)
  if (failure === 'refused') {
    return new ConnectError(`The connection to the server ${host} was refused - did you specify the right host or port?`, {
      code: 'UNREACHABLE',
      hint: `nothing is listening on ${host}; check the cluster's server URL in the kubeconfig`,
    })
  }
  if (failure === 'no-such-host') {
    const name = new URL(ctx.server).hostname
    return new ConnectError(`Unable to connect to the server: dial tcp: lookup ${name}: no such host`, {
      code: 'UNREACHABLE',
      hint: `the name ${name} does not resolve; check the cluster's server URL`,
    })
  }
  if (unreachableHints[failure]) {
    return new ConnectError(`Unable to connect to the server: ${err.message}`, {code: 'UNREACHABLE', hint: `${unreachableHints[failure]} (${host})`})
  }
  if (x509) {
    const ca = ctx.caSource ? `the CA from ${ctx.caSource}${ctx.caSubject ? ` (${ctx.caSubject})` : ''}` : 'the system trust store'
    const hint =
      failure === 'wrong-name'
        ? `the server certificate is not valid for the name "${ctx.serverName}"; ${err.reason ?? ''}`.trim().replace(/;$/, '') +
          ' (set tls-server-name to a name the certificate carries, or fix the server URL)'
        : failure === 'expired' || failure === 'not-yet-valid'
          ? `the certificate of ${host} is outside its validity period`
          : `the certificate of ${host} (name "${ctx.serverName}") is not signed by ${ca}`
    return new ConnectError(`Unable to connect to the server: tls: failed to verify certificate: ${x509}`, {code: 'TLS_VERIFY', hint})
  }
  if (tls) return new ConnectError(`Unable to connect to the server: ${err.message}`, {code: 'TLS', hint: `TLS handshake with ${host} failed`})
  return new ConnectError(`Unable to connect to the server: ${err?.message ?? String(error)}`, {code: 'UNREACHABLE'})
}

function hostPort(server: string): string {
  const url = new URL(server)
  return url.port ? `${url.hostname}:${url.port}` : `${url.hostname}:${url.protocol === 'http:' ? 80 : 443}`
}
