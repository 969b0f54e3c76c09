// The checklist item every doctor check produces, and the certificate checks kubeconfig and talosconfig share.
import {createPublicKey, type KeyObject} from 'node:crypto'

import {parsePrivateKey} from '../pki/keys.js'
import {humanDuration} from '../go/time.js'

export type CheckStatus = 'fail' | 'pass' | 'warn'

export interface Check {
  name: string
  status: CheckStatus
  message: string
  /** One line saying what to do; absent on pass. */
  fix?: string
}

export const pass = (name: string, message: string): Check => ({message, name, status: 'pass'})
export const fail = (name: string, message: string, fix: string): Check => ({fix, message, name, status: 'fail'})
export const warn = (name: string, message: string, fix: string): Check => ({fix, message, name, status: 'warn'})

/** How near expiry is judged: a failure inside --expires-within, otherwise a warning inside 30 days. */
export interface ExpiryPolicy {
  now: Date
  expiresWithinMs?: number
}

const WARN_WINDOW_MS = 30 * 24 * 3600 * 1000

/**
 * Time left on something that expires: fail when gone or inside --expires-within, warn inside `warnWithinMs`
 * (30 days; 0 for short-lived credentials such as tokens, for which expiring soon is the point).
 */
export function expiry(name: string, what: string, notAfter: Date, policy: ExpiryPolicy, fix: string, warnWithinMs = WARN_WINDOW_MS): Check {
  const left = notAfter.getTime() - policy.now.getTime()
  const when = notAfter.toISOString()
  if (left <= 0) return fail(name, `${what} expired ${humanDuration(-left)} ago (${when})`, fix)
  if (policy.expiresWithinMs !== undefined && left <= policy.expiresWithinMs) return fail(name, `${what} expires in ${humanDuration(left)} (${when})`, fix)
  if (left <= warnWithinMs) return warn(name, `${what} expires in ${humanDuration(left)} (${when})`, fix)
  return pass(name, `${what} valid until ${when} (${humanDuration(left)} left)`)
}

/** A config file holding credentials should be readable by its owner only. */
export function filePermissions(name: string, path: string, mode: number | undefined): Check[] {
  if (mode === undefined) return []
  if ((mode & 0o077) !== 0) return [warn(name, `${path} is mode ${(mode & 0o777).toString(8)}: readable by others`, `chmod 600 ${path}`)]
  return [pass(name, `${path} is private`)]
}

/** Whether the private key (PEM or DER) belongs to the certificate. */
export function keyMatchesCheck(cert: {publicKey?: KeyObject}, keyPem: Buffer | string, names: {key: string; cert: string}, fix: string): Check {
  const name = 'client key matches certificate'
  try {
    const fromKey = createPublicKey(parsePrivateKey(keyPem, {what: 'client key'}).key).export({format: 'der', type: 'spki'})
    const fromCert = cert.publicKey?.export({format: 'der', type: 'spki'})
    return fromCert && fromKey.equals(fromCert)
      ? pass(name, 'the private key belongs to the certificate')
      : fail(name, `${names.key} does not belong to ${names.cert}`, fix)
  } catch (error) {
    return fail(name, `cannot read the client key: ${(error as Error).message}`, `check ${names.key}`)
  }
}
