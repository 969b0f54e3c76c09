import {homedir} from 'node:os'
import {isAbsolute, join, resolve} from 'node:path'

/** Expands a leading `~` to the home directory (HOME first, so tests can point it at a temp dir). */
export function expandHome(path: string, env: NodeJS.ProcessEnv = process.env): string {
  if (path === '~') return env.HOME || homedir()
  if (path.startsWith('~/')) return join(env.HOME || homedir(), path.slice(2))
  return path
}

/** Resolves `path` against `baseDir` unless it is already absolute (after ~ expansion). */
export function resolveFrom(baseDir: string, path: string): string {
  const expanded = expandHome(path)
  return isAbsolute(expanded) ? expanded : resolve(baseDir, expanded)
}
