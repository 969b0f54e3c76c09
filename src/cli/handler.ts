// The contract between a command and its implementation. A handler turns parsed flags into a lib call and renders
// the result; it never imports oclif at run time (the `import type` below is erased by esbuild), so the lean runner
// (src/cli/lean.ts) can call it without loading the framework.
import type {Interfaces} from '@oclif/core'

import type {Io} from '../lib/io.js'
import {camelName} from './flag-names.js'
import {AuthctlError, ExitCode, formatErrorLine, toAuthctlError} from '../lib/output/errors.js'
import {toJson, toYaml} from '../lib/output/render.js'

/** `as-group` → `asGroup`: flags reach handlers under their camelCase names, as library options spell them. */
type Camel<S extends string> = S extends `${infer Head}-${infer Tail}` ? `${Head}${Capitalize<Camel<Tail>>}` : S
type Camelized<T> = {[K in keyof T as K extends string ? Camel<K> : K]: T[K]}

/** What a handler needs of its command class: the flag and argument declarations. */
export interface CommandShape {
  flags?: Interfaces.FlagInput
  baseFlags?: Interfaces.FlagInput
  args?: Interfaces.ArgInput
}

type Declared<T> = T extends undefined ? {} : NonNullable<T>

/** The parsed flags of a command class (its own and the global ones), camelCased. */
export type FlagsOf<C extends CommandShape> = Camelized<Interfaces.InferredFlags<Declared<C['flags']> & Declared<C['baseFlags']>>>
export type ArgsOf<C extends CommandShape> = Interfaces.InferredArgs<Declared<C['args']>>

export interface HandlerInput<Flags = Record<string, unknown>, Args = Record<string, unknown>> {
  flags: Flags
  args: Args
  /** Positional arguments as given (for commands that take a variable number). */
  argv: string[]
}

export interface HandlerResult<Result = unknown> {
  /** The --json value (printed as the JSON document in JSON mode). */
  document?: Result
  /** 0 by default; 1 for a negative answer that is not an error. */
  exitCode?: number
}

/**
 * A command's implementation, typed from its oclif class `C` (`import type`, so the class is never loaded):
 * `Handler<typeof PkiCa, CaDocument>`. `Result` is the --json document.
 */
export type Handler<C extends CommandShape = CommandShape, Result = unknown> = (
  input: HandlerInput<FlagsOf<C>, ArgsOf<C>>,
  io: Io,
) => Promise<HandlerResult<Result> | void>

/** Where a handler sends warnings the library reports through a callback (a lock taken over, …). */
export function warningSink(io: Pick<Io, 'err' | 'style'>): (message: string) => void {
  return (message) => io.err(`${io.style.err.warning('warning:')} ${message}\n`)
}

/**
 * Prints `document` as JSON or YAML when `format` asks for it (kubectl's -o), else `text()`. The YAML holds the
 * JSON document's data (dates as their JSON strings, undefined fields left out), so both parse to the same value.
 */
export async function emit(io: Io, format: string | undefined, document: unknown, text: () => string): Promise<void> {
  if (io.json) return
  if (format === 'json') io.out(toJson(document))
  else if (format === 'yaml') io.out(await toYaml(JSON.parse(JSON.stringify(document ?? null))))
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

/** Parsed input (kebab-case flag names, as declared) → what a handler receives. */
export function handlerInput(parsed: HandlerInput): HandlerInput {
  return {...parsed, flags: Object.fromEntries(Object.entries(parsed.flags).map(([name, value]) => [camelName(name), value]))}
}

/** Runs a handler; errors are reported here. Returns the exit code and, on success, the --json document. */
export async function execute(handler: Handler<any>, parsed: HandlerInput, io: Io): Promise<{exitCode: number; document?: unknown}> {
  try {
    const result = (await handler(handlerInput(parsed) as never, io)) ?? {}
    return {document: result.document, exitCode: result.exitCode ?? ExitCode.ok}
  } catch (error) {
    return {exitCode: reportError(error, io)}
  }
}

/** Runs a handler to completion, prints its JSON document in JSON mode, and returns the process exit code. */
export async function runHandler(handler: Handler<any>, parsed: HandlerInput, io: Io): Promise<number> {
  const {document, exitCode} = await execute(handler, parsed, io)
  if (io.json && document !== undefined) process.stdout.write(toJson(document))
  return exitCode
}

export {AuthctlError, ExitCode}
