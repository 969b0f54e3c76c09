// The contract between a command and its implementation. A handler turns parsed flags into a lib call and renders
// the result; it never imports oclif, so the lean runner (src/cli/lean.ts) can call it without loading the framework.
import {colorEnabled, loadStyle, type Style} from '../lib/output/color.js'
import {type Prompt, terminalPrompt} from './prompt.js'
import {AuthctlError, ExitCode, formatErrorLine, toAuthctlError} from '../lib/output/errors.js'
import {toJson, toYaml} from '../lib/output/render.js'

export interface Io {
  /** --json given (or AUTHCTL_CONTENT_TYPE=json): the returned document is the only stdout. */
  json: boolean
  env: NodeJS.ProcessEnv
  cwd: string
  stdin: NodeJS.ReadableStream
  /** Prompts are allowed only when both are terminals. */
  interactive: boolean
  /** Terminal questions; ask only when `interactive` (and not in JSON mode). */
  prompt: Prompt
  /** Writes to stdout; suppressed in JSON mode. */
  out(text: string): void
  /** Writes to stderr (diagnostics, warnings, summaries). */
  err(text: string): void
  now(): Date
  /** Colours for what goes to stdout and to stderr (plain off a terminal, with NO_COLOR or --color never). */
  style: {out: Style; err: Style}
}

export interface HandlerInput {
  flags: Record<string, any>
  args: Record<string, any>
  /** Positional arguments as given (for commands that take a variable number). */
  argv: string[]
}

export interface HandlerResult {
  /** Printed as the JSON document in JSON mode. */
  document?: unknown
  /** 0 by default; 1 for a negative answer that is not an error. */
  exitCode?: number
}

export type Handler = (input: HandlerInput, io: Io) => Promise<HandlerResult | void>

// process.stdin is created on first access, which costs 0.2-2 ms of start-up (a stream over a pipe or /dev/null);
// only the handlers that read input or prompt pay for it. `color` is the global --color flag (or AUTHCTL_COLOR).
export async function processIo(json: boolean, color?: string): Promise<Io> {
  const style = {err: await loadStyle(colorEnabled(color, 2, process.env)), out: await loadStyle(colorEnabled(color, 1, process.env))}
  return {
    cwd: process.cwd(),
    env: process.env,
    err: (text) => process.stderr.write(text),
    get interactive() {
      return Boolean(process.stdin.isTTY && process.stdout.isTTY)
    },
    json,
    now: () => new Date(),
    prompt: terminalPrompt(() => process.stdin),
    out: (text) => {
      if (!json) process.stdout.write(text)
    },
    get stdin() {
      return process.stdin
    },
    style,
  }
}

/** Where a handler sends warnings the library reports through a callback (a lock taken over, …). */
export function warningSink(io: Pick<Io, 'err' | 'style'>): (message: string) => void {
  return (message) => io.err(`${io.style.err.warning('warning:')} ${message}\n`)
}

/** Prints `document` as JSON or YAML when `format` asks for it (kubectl's -o), else `text()`. */
export async function emit(io: Io, format: string | undefined, document: unknown, text: () => string): Promise<void> {
  if (io.json) return
  if (format === 'json') io.out(toJson(document))
  else if (format === 'yaml') io.out(await toYaml(document))
  else io.out(text())
}

/** Prints an error as the one-line contract (and as a JSON document in JSON mode); returns its exit code. */
export function reportError(error: unknown, io: Pick<Io, 'env' | 'err' | 'json'>, write = (t: string) => process.stdout.write(t)): number {
  const failure = toAuthctlError(error)
  io.err(formatErrorLine(failure) + '\n')
  if (io.env.AUTHCTL_DEBUG === '1' && error instanceof Error && error.stack) io.err(error.stack + '\n')
  if (io.json) write(toJson({error: failure.toJSON()}))
  return failure.exitCode
}

/** Runs a handler to completion and returns the process exit code. */
export async function runHandler(handler: Handler, input: HandlerInput, io: Io): Promise<number> {
  try {
    const result = (await handler(input, io)) ?? {}
    if (io.json && result.document !== undefined) process.stdout.write(toJson(result.document))
    return result.exitCode ?? ExitCode.ok
  } catch (error) {
    return reportError(error, io)
  }
}

export {AuthctlError, ExitCode}
