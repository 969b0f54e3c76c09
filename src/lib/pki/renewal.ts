// needs-renewal: a certificate is due once the time left falls to a threshold given as a duration (720h) or as a
// share of its whole lifetime (33%, step's default: renew once two thirds have passed).
import {usageError} from '../output/errors.js'
import {parseDuration} from '../go/time.js'

export type RenewalThreshold = {percent: number} | {ms: number}

export function parseThreshold(text: string, flag = '--expires-in'): RenewalThreshold {
  const percent = /^(\d+(?:\.\d+)?)%$/.exec(text.trim())
  if (percent) {
    const value = Number(percent[1])
    if (value <= 0 || value > 100) throw usageError(`invalid ${flag} ${JSON.stringify(text)}`, 'a percentage must be in (0, 100]')
    return {percent: value}
  }
  return {ms: parseDuration(text, flag)}
}

export interface RenewalAnswer {
  due: boolean
  notBefore: string
  notAfter: string
  remainingMs: number
  thresholdMs: number
}

export function needsRenewal(validity: {notBefore: Date; notAfter: Date}, threshold: RenewalThreshold, now: Date): RenewalAnswer {
  const lifetime = validity.notAfter.getTime() - validity.notBefore.getTime()
  const thresholdMs = 'percent' in threshold ? (lifetime * threshold.percent) / 100 : threshold.ms
  const remainingMs = validity.notAfter.getTime() - now.getTime()
  return {
    due: remainingMs <= thresholdMs,
    notAfter: validity.notAfter.toISOString(),
    notBefore: validity.notBefore.toISOString(),
    remainingMs,
    thresholdMs,
  }
}
