// Advisory lock shared with kubectl: `<file>.lock` created with O_CREAT|O_EXCL. Unlike kubectl we wait and retry
// instead of failing at once, and we name a lock older than a minute as stale instead of waiting forever.
import {mkdir, open, stat, unlink} from 'node:fs/promises'
import {dirname} from 'node:path'

import {AuthctlError} from '../output/errors.js'
import {humanDuration} from '../time/index.js'

export interface LockOptions {
  /** Give up after this long (default 10 s). */
  timeoutMs?: number
  /** A lock file older than this is reported as stale (default 60 s). */
  staleMs?: number
}

export function lockPath(path: string): string {
  return `${path}.lock`
}

async function acquire(path: string, options: LockOptions): Promise<string> {
  const {staleMs = 60_000, timeoutMs = 10_000} = options
  const lock = lockPath(path)
  await mkdir(dirname(lock), {recursive: true, mode: 0o700})
  const deadline = Date.now() + timeoutMs
  for (let attempt = 0; ; attempt++) {
    try {
      const handle = await open(lock, 'wx', 0o600)
      await handle.writeFile(`${process.pid}\n`)
      await handle.close()
      return lock
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    }
    const age = await stat(lock).then((s) => Date.now() - s.mtimeMs, () => 0)
    if (age > staleMs) {
      throw new AuthctlError(`lock file ${JSON.stringify(lock)} is stale (created ${humanDuration(age)} ago)`, {
        code: 'STALE_LOCK',
        hint: 'remove it if no authctl or kubectl process is writing that file',
      })
    }
    if (Date.now() >= deadline) {
      throw new AuthctlError(`timed out waiting for lock ${JSON.stringify(lock)}`, {
        code: 'LOCK_TIMEOUT',
        hint: 'another process is writing the file; try again',
      })
    }
    // Jittered back-off keeps 20 concurrent writers from retrying in lock step.
    await new Promise((r) => setTimeout(r, Math.min(200, 5 * 2 ** Math.min(attempt, 5)) * (0.5 + Math.random())))
  }
}

/** Runs `fn` while holding the locks of every path (taken in sorted order, as kubectl does, to avoid deadlock). */
export async function withFileLock<T>(paths: string | string[], fn: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const sorted = [...new Set(typeof paths === 'string' ? [paths] : paths)].sort()
  const held: string[] = []
  try {
    for (const p of sorted) held.push(await acquire(p, options))
    return await fn()
  } finally {
    await Promise.all(held.map((l) => unlink(l).catch(() => {})))
  }
}
