// One error type for everything a user can fix: a one-line message, an optional hint and an exit code.
// Commands never print stack traces unless AUTHCTL_DEBUG=1.
import {escapeControls} from '../go/quote.js'

/** Exit codes every command keeps (see README "Exit codes"). */
export const ExitCode = {
  ok: 0,
  /** A negative answer (can-i no, verify invalid, needs-renewal not due) or a failed operation. */
  failure: 1,
  /** Bad flags or arguments. */
  usage: 2,
  /** The question could not be answered (server unreachable or failing): `auth can-i --exit-code-detail` only. */
  unanswered: 3,
} as const

export interface AuthctlErrorOptions {
  hint?: string
  exitCode?: number
  /** A stable machine-readable code for --json consumers, e.g. FILE_EXISTS. */
  code?: string
}

export class AuthctlError extends Error {
  readonly hint?: string
  readonly exitCode: number
  readonly code: string

  constructor(message: string, options: AuthctlErrorOptions = {}) {
    super(message)
    this.name = 'AuthctlError'
    this.hint = options.hint
    this.exitCode = options.exitCode ?? ExitCode.failure
    this.code = options.code ?? 'ERROR'
  }

  toJSON(): {code: string; exitCode: number; hint?: string; message: string} {
    return {code: this.code, exitCode: this.exitCode, message: this.message, ...(this.hint ? {hint: this.hint} : {})}
  }
}

export function usageError(message: string, hint?: string): AuthctlError {
  return new AuthctlError(message, {code: 'USAGE', exitCode: ExitCode.usage, hint})
}

const fsReasons: Record<string, string> = {
  EACCES: 'permission denied',
  EISDIR: 'is a directory',
  ENOENT: 'no such file or directory',
  ENOTDIR: 'not a directory',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
}

/** Turns a node fs error into a user error naming the file and what it was for. */
export function fileError(error: unknown, path: string, what = 'file'): AuthctlError {
  const code = (error as NodeJS.ErrnoException)?.code ?? ''
  const reason = fsReasons[code] ?? (error as Error)?.message ?? String(error)
  return new AuthctlError(`cannot read ${what} ${JSON.stringify(path)}: ${reason}`, {code: code || 'FILE'})
}

/**
 * Runs an input-reading step of a command whose exit 1 means "no" (can-i, rbac): an input that cannot be read or
 * parsed exits 2 instead, so `! authctl rbac can-i …` in a script never passes on a typo'd path.
 */
export async function readingInput<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read()
  } catch (error) {
    const e = toAuthctlError(error)
    throw e.exitCode === ExitCode.failure ? new AuthctlError(e.message, {code: e.code, exitCode: ExitCode.usage, hint: e.hint}) : e
  }
}

/** Normalises anything thrown into an AuthctlError (oclif parse errors become usage errors). */
export function toAuthctlError(error: unknown): AuthctlError {
  if (error instanceof AuthctlError) return error
  const err = error as {code?: string; message?: string; oclif?: {exit?: number}; parse?: unknown}
  const message = firstLine(err?.message ?? String(error))
  if (err?.parse !== undefined || err?.oclif?.exit === 2) {
    return new AuthctlError(message, {code: 'USAGE', exitCode: ExitCode.usage, hint: 'see --help'})
  }
  if (err?.code && fsReasons[err.code]) return new AuthctlError(message, {code: err.code})
  return new AuthctlError(message, {exitCode: err?.oclif?.exit ?? ExitCode.failure})
}

function firstLine(text: string): string {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean)
  // oclif parse errors put the useful part on the first line and "See more help with --help" after it.
  return lines.filter((l) => !/^(See more help with|Note:|Alternatively,)/.test(l)).join(' ').replace(/\s+/g, ' ') || 'unknown error'
}

/**
 * The line printed on stderr: `error: <what> (<hint>)`, control characters escaped (it may quote input). Newlines
 * stay: the few multi-line messages are authctl's own, copying kubectl's; server text is escaped where it enters.
 */
export function formatErrorLine(error: AuthctlError): string {
  return escapeControls(`error: ${error.message}${error.hint ? ` (${error.hint})` : ''}`, {keepNewlines: true})
}
