// metav1.Status bodies exactly as kube-apiserver writes them (k8s.io/apimachinery pkg/api/errors and
// k8s.io/apiserver pkg/endpoints/handlers/responsewriters).
import type {Status} from '../api/status.js'
import type {Attributes} from '../rbac/types.js'

export type {Status}

function status(code: number, reason: string | undefined, message: string, details?: Status['details']): Status {
  return {apiVersion: 'v1', kind: 'Status', metadata: {}, status: 'Failure', message, ...(reason ? {reason} : {}), ...(details ? {details} : {}), code}
}

export const unauthorized = (): Status => status(401, 'Unauthorized', 'Unauthorized')

const qualified = (resource: string, group: string) => (group ? `${resource}.${group}` : resource)
const sanitize = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

/** responsewriters.forbiddenMessage */
export function forbiddenMessage(attributes: Attributes): string {
  const user = attributes.user.username
  if (!attributes.resourceRequest) return `User ${JSON.stringify(user)} cannot ${attributes.verb} path ${JSON.stringify(attributes.path ?? '')}`
  const resource = attributes.subresource ? `${attributes.resource}/${attributes.subresource}` : (attributes.resource ?? '')
  const scope = attributes.namespace ? `in the namespace ${JSON.stringify(attributes.namespace)}` : 'at the cluster scope'
  return `User ${JSON.stringify(user)} cannot ${attributes.verb} resource ${JSON.stringify(resource)} in API group ${JSON.stringify(attributes.apiGroup ?? '')} ${scope}`
}

/** responsewriters.Forbidden + apierrors.NewForbidden */
export function forbidden(attributes: Attributes, reason: string): Status {
  const msg = sanitize(forbiddenMessage(attributes))
  const err = reason ? `${msg}: ${reason}` : msg
  const resource = attributes.resourceRequest ? (attributes.resource ?? '') : ''
  const group = attributes.resourceRequest ? (attributes.apiGroup ?? '') : ''
  const name = attributes.resourceRequest ? (attributes.name ?? '') : ''
  let message: string
  if (!resource && !group) message = `forbidden: ${err}`
  else if (!name) message = `${qualified(resource, group)} is forbidden: ${err}`
  else message = `${qualified(resource, group)} ${JSON.stringify(name)} is forbidden: ${err}`
  return status(403, 'Forbidden', message, {...(name ? {name} : {}), ...(group ? {group} : {}), ...(resource ? {kind: resource} : {})})
}

/** The answer for a path no handler serves. */
export const pathNotFound = (): Status => status(404, 'NotFound', 'the server could not find the requested resource', {})

export interface FieldError {
  field: string
  detail: string
  /** JSON-ish rendering of the bad value, as Go prints it. */
  value: string
}

/** apierrors.NewInvalid for `<Kind>.<group> "<name>"`. */
export function invalid(kind: string, group: string, name: string, errors: FieldError[]): Status {
  const texts = errors.map((e) => `${e.field}: Invalid value: ${e.value}: ${e.detail}`)
  const aggregate = texts.length === 1 ? texts[0] : `[${texts.join(', ')}]`
  return status(422, 'Invalid', `${qualified(kind, group)} ${JSON.stringify(name)} is invalid: ${aggregate}`, {
    causes: errors.map((e) => ({field: e.field, message: `Invalid value: ${e.value}: ${e.detail}`, reason: 'FieldValueInvalid'})),
    group,
    kind,
    ...(name ? {name} : {}),
  })
}

export const badRequest = (message: string): Status => status(400, 'BadRequest', message)
export const methodNotSupported = (resource: string, group: string, verb: string): Status =>
  status(405, 'MethodNotAllowed', `${verb} is not supported on resources of kind "${qualified(resource, group)}"`, {group: group || undefined, kind: resource})
export const unsupportedMediaType = (): Status =>
  status(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf`, {})
export const tooLarge = (limit: number): Status => status(413, 'RequestEntityTooLarge', `Request entity too large: limit is ${limit}`, {})
/** apierrors.NewTimeoutError as the timeout filter answers a request that ran past --request-timeout. */
export const timeout = (): Status => status(504, 'Timeout', 'Timeout: request did not complete within requested timeout - context deadline exceeded', {})
/** apierrors.NewInternalError: the cause stays in the server log, under the request's audit ID. */
export const internalError = (auditId: string): Status =>
  status(500, 'InternalError', `Internal error occurred: request ${auditId} failed, see the server log`, {causes: [{field: '', message: `request ${auditId} failed, see the server log`, reason: ''}]})
