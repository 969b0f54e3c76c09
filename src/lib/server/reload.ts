// Files the server reads at start and re-reads when they change (policy, token file, client CA): polled by mtime and
// size so it works for editors that replace files and on every platform; a bad edit keeps the previous content, and
// a load that returns the current value unchanged is no reload.
import {readdir, stat} from 'node:fs/promises'
import {join} from 'node:path'

/** A reload that failed for a reason that may pass (an issuer not answering yet): tried again on the next tick even
 * though the files did not change. */
export class ReloadLater extends Error {}

export interface Reloadable<T> {
  current(): T
  /** Checks the files now; resolves true when new content was loaded. */
  check(): Promise<boolean>
  stop(): void
}

async function fingerprint(paths: string[]): Promise<string> {
  const parts: string[] = []
  for (const path of paths) {
    try {
      const info = await stat(path)
      parts.push(`${path}:${info.mtimeMs}:${info.size}`)
      if (info.isDirectory()) {
        for (const name of (await readdir(path)).sort()) {
          const child = await stat(join(path, name)).catch(() => undefined)
          if (child) parts.push(`${name}:${child.mtimeMs}:${child.size}`)
        }
      }
    } catch {
      parts.push(`${path}:missing`)
    }
  }
  return parts.join('|')
}

export async function reloadable<T>(paths: string[], load: () => Promise<T>, options: {intervalMs: number; onError: (error: Error) => void; onReload?: () => void}): Promise<Reloadable<T>> {
  let value = await load()
  let seen = await fingerprint(paths)
  let running: Promise<boolean> | undefined
  const check = async (): Promise<boolean> => {
    const now = await fingerprint(paths)
    if (now === seen) return false
    const before = seen
    seen = now
    try {
      const next = await load()
      // A loader may answer with the value it has when the change made no difference (a touched file).
      if (next === value) return false
      value = next
      options.onReload?.()
      return true
    } catch (error) {
      if (error instanceof ReloadLater) seen = before
      options.onError(error as Error)
      return false
    }
  }
  const timer = paths.length && options.intervalMs > 0
    ? setInterval(() => {
        running ??= check().finally(() => (running = undefined))
      }, options.intervalMs)
    : undefined
  timer?.unref()
  return {check: () => (running ??= check().finally(() => (running = undefined))), current: () => value, stop: () => timer && clearInterval(timer)}
}
