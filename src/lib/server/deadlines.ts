// --request-timeout without a timer per request: requests in progress are kept in arrival order with their deadline,
// and one coarse sweep (a quarter of the timeout, at most a second) expires the overdue ones. A request is answered
// at most one sweep interval after its deadline; kube-apiserver's timeout filter gives no finer promise either.
export interface Deadlines {
  /** Calls `expire` once `timeoutMs` has passed, unless `key` is removed first. */
  add(key: object, expire: () => void): void
  remove(key: object): void
  stop(): void
}

export function requestDeadlines(timeoutMs: number, now: () => number = Date.now): Deadlines {
  // One timeout for all, so insertion order is deadline order: a sweep stops at the first request not yet due.
  const pending = new Map<object, {at: number; expire: () => void}>()
  const intervalMs = Math.max(10, Math.min(1000, Math.floor(timeoutMs / 4)))
  let timer: NodeJS.Timeout | undefined
  const sweep = () => {
    const t = now()
    for (const [key, entry] of pending) {
      if (entry.at > t) break
      pending.delete(key)
      entry.expire()
    }
    if (pending.size === 0) {
      clearInterval(timer)
      timer = undefined
    }
  }
  return {
    add(key, expire) {
      pending.set(key, {at: now() + timeoutMs, expire})
      timer ??= setInterval(sweep, intervalMs).unref()
    },
    remove(key) {
      pending.delete(key)
    },
    stop() {
      clearInterval(timer)
      timer = undefined
      pending.clear()
    },
  }
}
