// Lean start-up path: parse argv from the commands' flag definitions (dist/lean/manifest.json, a slim copy of the
// oclif manifest written by the build) and call the command's handler without importing oclif (~90 ms saved on
// every call). Anything it is not sure about (help, unknown or malformed flags, flag relationships) returns undefined
// and bin/run.cjs hands the whole command line to oclif, which owns help and usage errors. Flags are declared once,
// on the oclif command class. The runner knows nothing of how handlers are loaded: the caller's `load` gives it a
// function per command id, so it shares no module (and no error class) with the handler it runs.
import {readFileSync} from 'node:fs'
import {parseArgs, type ParseArgsConfig} from 'node:util'

import {normalizeBooleanArgv} from './boolean-flags.js'
import type {HandlerInput} from './handler.js'

interface ManifestFlag {
  allowNo?: boolean
  char?: string
  default?: unknown
  delimiter?: string
  dependsOn?: string[]
  env?: string
  exactlyOne?: string[]
  exclusive?: string[]
  multiple?: boolean
  multipleNonGreedy?: boolean
  name: string
  options?: string[]
  relationships?: unknown[]
  required?: boolean
  type: 'boolean' | 'option'
}

interface ManifestArg {
  default?: unknown
  name: string
  options?: string[]
  required?: boolean
}

interface ManifestCommand {
  aliases?: string[]
  args: Record<string, ManifestArg>
  flags: Record<string, ManifestFlag>
  id: string
  strict?: boolean
}

export type LeanManifest = {commands: Record<string, ManifestCommand>}

/** Runs one command's handler with parsed input and returns the exit code (its bundle's runHandler). */
export type LeanRun = (input: HandlerInput, json: boolean) => Promise<number>

export interface LeanOptions {
  /** dist/lean/manifest.json, or a file of the same shape. */
  manifestPath: string
  /** The handler for a command id; undefined or a throw (say, no such file) defers to oclif. */
  load: (id: string) => LeanRun | undefined
}

function findCommand(manifest: LeanManifest, argv: string[]): {command: ManifestCommand; rest: string[]} | undefined {
  const words: string[] = []
  for (const token of argv) {
    if (token.startsWith('-')) break
    words.push(token)
  }
  for (let n = words.length; n > 0; n--) {
    const id = words.slice(0, n).join(':')
    const command =
      manifest.commands[id] ?? Object.values(manifest.commands).find((c) => (c.aliases ?? []).includes(id))
    if (command) return {command, rest: argv.slice(n)}
  }
  return undefined
}

function parseFor(command: ManifestCommand, argv: string[], env: NodeJS.ProcessEnv) {
  const options: NonNullable<ParseArgsConfig['options']> = {}
  for (const flag of Object.values(command.flags)) {
    // oclif's greedy multiple flags swallow following positionals; leave those and flag relationships to oclif.
    const greedy = flag.multiple && !flag.multipleNonGreedy
    if (greedy || flag.exclusive?.length || flag.dependsOn?.length || flag.exactlyOne?.length || flag.relationships?.length) {
      if (argv.some((a) => a === `--${flag.name}` || a.startsWith(`--${flag.name}=`))) return undefined
    }
    options[flag.name] = {multiple: Boolean(flag.multiple), type: flag.type === 'boolean' ? 'boolean' : 'string'}
    if (flag.char) options[flag.name].short = flag.char
    if (flag.allowNo) options[`no-${flag.name}`] = {type: 'boolean'}
  }
  let parsed
  try {
    parsed = parseArgs({allowPositionals: true, args: normalizeBooleanArgv(argv, Object.values(command.flags)), options, strict: true, tokens: true})
  } catch {
    return undefined
  }
  // oclif rejects a flag that is not repeatable given twice (parseArgs would keep the last): its usage error.
  const seen = new Set<string>()
  for (const token of parsed.tokens) {
    if (token.kind !== 'option') continue
    const name = command.flags[token.name] ? token.name : token.name.replace(/^no-/, '')
    if (command.flags[name]?.multiple) continue
    if (seen.has(name)) return undefined
    seen.add(name)
  }
  const flags: Record<string, unknown> = {}
  for (const flag of Object.values(command.flags)) {
    let value: unknown = parsed.values[flag.name]
    if (flag.allowNo && parsed.values[`no-${flag.name}`]) value = false
    if (value === undefined && flag.env && env[flag.env] !== undefined) {
      value = flag.type === 'boolean' ? ['1', 'true', 'yes'].includes(env[flag.env]!.toLowerCase()) : env[flag.env]
    }
    if (value === undefined && flag.default !== undefined) value = flag.default
    if (value === undefined) {
      if (flag.required) return undefined
      continue
    }
    if (flag.delimiter && Array.isArray(value)) value = value.flatMap((v) => String(v).split(flag.delimiter!))
    const values = Array.isArray(value) ? value : [value]
    if (flag.options && values.some((v) => !flag.options!.includes(String(v)))) return undefined
    flags[flag.name] = value
  }
  const specs = Object.values(command.args)
  const positionals = [...parsed.positionals]
  if (command.strict !== false && positionals.length > specs.length) return undefined
  const args: Record<string, unknown> = {}
  for (const [i, spec] of specs.entries()) {
    const value = positionals[i] ?? spec.default
    if (value === undefined) {
      if (spec.required) return undefined
      continue
    }
    if (spec.options && !spec.options.includes(String(value))) return undefined
    args[spec.name] = value
    // oclif's argv holds an argument's default in its place, as if given.
    if (i === positionals.length) positionals.push(String(value))
  }
  return {args, argv: positionals, flags}
}

/** Runs the command if the lean path can; returns its exit code, or undefined to defer to oclif. */
export async function runLean(argv: string[], {load, manifestPath}: LeanOptions): Promise<number | undefined> {
  if (argv.some((a) => a === '--help' || a === '-h' || a === '--')) return undefined
  let manifest: LeanManifest
  try {
    manifest = JSON.parse(readFileSync(manifestPath, 'utf8'))
  } catch {
    return undefined
  }
  const found = findCommand(manifest, argv)
  if (!found) return undefined
  const input = parseFor(found.command, found.rest, process.env)
  if (!input) return undefined
  let run: LeanRun | undefined
  try {
    run = load(found.command.id)
  } catch {
    return undefined
  }
  if (!run) return undefined
  const json = input.flags.json === true || process.env.AUTHCTL_CONTENT_TYPE?.toLowerCase() === 'json'
  return run(input, json)
}
