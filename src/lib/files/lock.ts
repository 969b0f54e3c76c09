// Advisory lock shared with kubectl: `<file>.lock`, created exclusively. kubectl's lock is empty and kubectl fails at
// once when it exists; we wait and retry instead. Our lock holds its owner (pid, host, start time), written before the
// lock appears (a hard link of a finished temp file), so a lock left by a killed authctl is recognised and taken over
// at once. A lock without an owner record (kubectl's) is waited for, and named stale after a minute.
import {link, mkdir, open, readFile, stat, unlink, writeFile} from 'node:fs/promises'
import {dirname} from 'node:path'

import {AuthctlError} from '../output/errors.js'
import {humanDuration} from '../go/time.js'
import {currentOwner, ownerState, parseOwner, type ProcessOwner} from './owner.js'
import {removeDeadTemps, tempPath} from './temp.js'

export interface LockOptions {
  /** Give up after this long (default 10 s). */
  timeoutMs?: number
  /** A lock without an owner record older than this is reported as stale (default 60 s). */
  staleMs?: number
  /** Told when a lock left by a process that no longer runs is taken over; the caller shows it (lib never prints). */
  onWarning?: (message: string) => void
}

export function lockPath(path: string): string {
  return `${path}.lock`
}

/** Creates `path` holding the content of `record` (a finished file), unless `path` exists. */
async function createExclusive(path: string, record: string, content: string): Promise<boolean> {
  try {
    await link(record, path)
    return true
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'EEXIST') return false
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw error
  }
  // No hard links on this file system: create, then write (a reader may briefly see an empty lock and wait).
  let handle
  try {
    handle = await open(path, 'wx', 0o600)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw error
  }
  await handle.writeFile(content)
  await handle.close()
  return true
}

interface Holder {
  text: string
  owner?: ProcessOwner
  ageMs: number
}

async function readHolder(lock: string): Promise<Holder | undefined> {
  try {
    const stats = await stat(lock)
    // kubectl creates its lock with mode 0: unreadable, and empty anyway.
    const text = await readFile(lock, 'utf8').catch(() => '')
    return {ageMs: Date.now() - stats.mtimeMs, owner: parseOwner(text), text}
  } catch {
    return undefined // gone meanwhile: try again at once
  }
}

function describe(owner: ProcessOwner): string {
  return `process ${owner.pid} on ${owner.host}${owner.started ? ` (started ${owner.started})` : ''}`
}

/**
 * Removes a lock whose owner died, while holding `<lock>.takeover`: only one waiter removes it, and it re-reads the
 * lock under the guard, so a lock taken meanwhile by a live process is never removed.
 */
async function removeDeadLock(lock: string, dead: Holder, record: string, content: string): Promise<boolean> {
  const guard = `${lock}.takeover`
  if (!(await createExclusive(guard, record, content))) {
    // A guard whose owner died (killed between two system calls) would block every takeover.
    const other = await readHolder(guard)
    if (other?.owner && ownerState(other.owner) === 'dead') await unlink(guard).catch(() => {})
    return false
  }
  try {
    if ((await readHolder(lock))?.text !== dead.text) return false
    await unlink(lock)
    return true
  } finally {
    await unlink(guard).catch(() => {})
  }
}

async function acquire(path: string, options: LockOptions, record: string, content: string): Promise<string> {
  const {staleMs = 60_000, timeoutMs = 10_000} = options
  const lock = lockPath(path)
  const deadline = Date.now() + timeoutMs
  for (let attempt = 0; ; attempt++) {
    if (await createExclusive(lock, record, content)) return lock
    const holder = await readHolder(lock)
    if (!holder) continue
    if (holder.owner && ownerState(holder.owner) === 'dead' && (await removeDeadLock(lock, holder, record, content))) {
      options.onWarning?.(`removed lock ${JSON.stringify(lock)} left by ${describe(holder.owner)}, which is no longer running`)
      continue
    }
    if (!holder.owner && holder.ageMs > staleMs) {
      throw new AuthctlError(`lock file ${JSON.stringify(lock)} is stale (created ${humanDuration(holder.ageMs)} ago)`, {
        code: 'STALE_LOCK',
        hint: 'remove it if no authctl or kubectl process is writing that file',
      })
    }
    if (Date.now() >= deadline) {
      throw new AuthctlError(`timed out waiting for lock ${JSON.stringify(lock)}${holder.owner ? ` held by ${describe(holder.owner)}` : ''}`, {
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
  const content = JSON.stringify(currentOwner()) + '\n'
  try {
    for (const p of sorted) {
      const lock = lockPath(p)
      await mkdir(dirname(lock), {recursive: true, mode: 0o700})
      await removeDeadTemps(lock)
      // The owner record, finished before it is linked into place as the lock.
      const record = tempPath(lock)
      await writeFile(record, content, {flag: 'wx', mode: 0o600})
      try {
        held.push(await acquire(p, options, record, content))
      } finally {
        await unlink(record).catch(() => {})
      }
    }
    return await fn()
  } finally {
    await Promise.all(held.map((l) => unlink(l).catch(() => {})))
  }
}
