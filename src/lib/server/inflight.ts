// The max-in-flight filter (k8s.io/apiserver pkg/server/filters/maxinflight.go): read-only (get, list, watch) and
// mutating requests are counted apart; beyond a limit the request gets 429 with Retry-After: 1, except for
// system:masters, which is always answered.
const READ_ONLY = new Set(['get', 'list', 'watch'])

export interface InflightLimiter {
  /** A release function when the request may run, or undefined when it must be refused with 429. */
  acquire(verb: string, groups: string[]): (() => void) | undefined
}

export function inflightLimiter(readOnlyLimit: number, mutatingLimit: number): InflightLimiter {
  const inflight = {mutating: 0, readOnly: 0}
  return {
    acquire(verb, groups) {
      const bucket = READ_ONLY.has(verb) ? 'readOnly' : 'mutating'
      const limit = bucket === 'readOnly' ? readOnlyLimit : mutatingLimit
      if (limit > 0 && inflight[bucket] >= limit && !groups.includes('system:masters')) return undefined
      inflight[bucket]++
      let released = false
      return () => {
        if (!released) inflight[bucket]--
        released = true
      }
    },
  }
}

/** responsewriters' tooManyRequests: plain text, as kube-apiserver writes it. */
export const TOO_MANY_REQUESTS = 'Too many requests, please try again later.\n'
