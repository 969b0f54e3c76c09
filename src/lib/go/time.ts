// Durations as users type them (Go syntax plus days) and as kubectl prints them.
import {usageError} from '../output/errors.js'

const unitMs: Record<string, number> = {
  d: 86_400_000,
  h: 3_600_000,
  m: 60_000,
  ms: 1,
  ns: 1e-6,
  s: 1000,
  us: 1e-3,
  'µs': 1e-3,
}

/** Parses `87600h`, `1h30m`, `30d`, `90s`, `1.5h` into milliseconds. */
export function parseDuration(text: string, flag = 'duration'): number {
  const input = text.trim()
  const pattern = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h|d)/gy
  let total = 0
  let matched = 0
  let match: RegExpExecArray | null
  while ((match = pattern.exec(input)) !== null) {
    total += Number.parseFloat(match[1]) * unitMs[match[2]]
    matched = pattern.lastIndex
  }
  if (input === '' || matched !== input.length) {
    throw usageError(`invalid ${flag} ${JSON.stringify(text)}`, 'use a duration such as 8760h, 30d or 1h30m')
  }
  return total
}

/** Go's time.Duration.String() for whole seconds: 8760h0m0s. */
export function formatGoDuration(ms: number): string {
  const totalSeconds = Math.round(ms / 1000)
  const h = Math.floor(totalSeconds / 3600)
  const m = Math.floor((totalSeconds % 3600) / 60)
  const s = totalSeconds % 60
  if (h > 0) return `${h}h${m}m${s}s`
  if (m > 0) return `${m}m${s}s`
  return `${s}s`
}

/** kubectl's HumanDuration (apimachinery util/duration): 42m, 5h30m, 3d, 2y30d. */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(Math.abs(ms) / 1000)
  if (seconds < 60 * 2) return `${seconds}s`
  const minutes = Math.floor(seconds / 60)
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`
  if (minutes < 60 * 3) return `${minutes}m`
  const hours = Math.floor(minutes / 60)
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`
  if (hours < 48) return `${hours}h`
  if (hours < 24 * 8) return hours % 24 === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${hours % 24}h`
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`
  const years = Math.floor(hours / 24 / 365)
  if (years < 8) {
    const days = Math.floor(hours / 24) % 365
    return days === 0 ? `${years}y` : `${years}y${days}d`
  }
  return `${years}y`
}

/** "in 42m" for a future instant, "3d ago" for a past one. */
export function relativeTime(target: Date, now: Date = new Date()): string {
  const delta = target.getTime() - now.getTime()
  return delta >= 0 ? `in ${humanDuration(delta)}` : `${humanDuration(delta)} ago`
}

/** RFC 3339 without fractional seconds, as Kubernetes writes metav1.Time. */
export function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z')
}

/** Go's time.Time String() in UTC: 2006-01-02 15:04:05 +0000 UTC. */
export function goTime(date: Date): string {
  return date.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' +0000 UTC')
}
