// audit.k8s.io/v1 Events at Metadata level, one JSON line per request at stage ResponseComplete, and where they go.
import {createWriteStream} from 'node:fs'

import type {UserInfo} from '../api/user.js'
import {AuthctlError} from '../output/errors.js'
import type {RequestInfo} from './requestinfo.js'

export interface AuditInput {
  /** The request's audit ID (also its Audit-Id response header). */
  auditId: string
  info: RequestInfo
  requestURI: string
  user?: UserInfo
  impersonatedUser?: UserInfo
  sourceIP: string
  userAgent?: string
  code: number
  /** The Status body for failures. */
  status?: {status?: string; message?: string; reason?: string; details?: unknown}
  received: Date
  completed: Date
  annotations: Record<string, string>
}

/** MicroTime: RFC 3339 with 6 fractional digits. */
/** authctl's annotation on a 401's event: the authenticators' errors, which kube-apiserver only logs. */
export const AUTHENTICATION_ERROR = 'authentication.authctl.io/error'

export const microTime = (d: Date) => d.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z')

export function auditEvent(input: AuditInput) {
  const {info} = input
  const objectRef = info.isResourceRequest
    ? Object.fromEntries(
        Object.entries({
          apiGroup: info.apiGroup, apiVersion: info.apiVersion, name: info.name, namespace: info.namespace, resource: info.resource, subresource: info.subresource,
        }).filter(([, v]) => v),
      )
    : undefined
  const user = input.user ?? {groups: [], username: ''}
  return {
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: 'Metadata',
    auditID: input.auditId,
    stage: 'ResponseComplete',
    requestURI: input.requestURI,
    verb: info.verb,
    user: {username: user.username, ...(user.uid ? {uid: user.uid} : {}), ...(user.groups.length ? {groups: user.groups} : {}), ...(user.extra ? {extra: user.extra} : {})},
    ...(input.impersonatedUser ? {impersonatedUser: input.impersonatedUser} : {}),
    sourceIPs: [input.sourceIP],
    ...(input.userAgent ? {userAgent: input.userAgent} : {}),
    ...(objectRef ? {objectRef} : {}),
    responseStatus: {metadata: {}, ...(input.status && input.code >= 400 ? {status: input.status.status, message: input.status.message, reason: input.status.reason, ...(input.status.details ? {details: input.status.details} : {})} : {}), code: input.code},
    requestReceivedTimestamp: microTime(input.received),
    stageTimestamp: microTime(input.completed),
    ...(Object.keys(input.annotations).length ? {annotations: input.annotations} : {}),
  }
}

export type AuditEvent = ReturnType<typeof auditEvent>

export interface AuditLog {
  /** False when nothing reads the events: then none is built. */
  enabled: boolean
  write(event: AuditEvent): void
  /** Flushes and closes the log file. */
  close(): Promise<void>
}

/** --audit-log-path: a file appended to (0600 when new), or '-' for the caller's stdout; `onAudit` sees every event. */
export function auditLog(options: {auditLogPath?: string; onAudit?: (event: AuditEvent) => void; stdout?: (text: string) => void}): AuditLog {
  const path = options.auditLogPath
  if (path === '-' && !options.stdout) throw new AuthctlError('--audit-log-path - needs a standard output to write to', {code: 'USAGE', exitCode: 2})
  const file = path && path !== '-' ? createWriteStream(path, {flags: 'a', mode: 0o600}) : undefined
  const out = file ? (line: string) => file.write(line) : path === '-' ? options.stdout : undefined
  return {
    close: () => (file ? new Promise<void>((resolve) => file.end(() => resolve())) : Promise.resolve()),
    enabled: Boolean(out || options.onAudit),
    write(event) {
      options.onAudit?.(event)
      out?.(JSON.stringify(event) + '\n')
    },
  }
}
