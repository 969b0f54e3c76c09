import assert from 'node:assert/strict'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {Flags, Parser} from '@oclif/core'

import {normalizeBooleanArgv} from '../../src/cli/boolean-flags.js'
import type {HandlerCommand} from '../../src/cli/base.js'
import type {HandlerInput} from '../../src/cli/handler.js'
import {type LeanManifest, runLean} from '../../src/cli/lean.js'

// The lean runner (src/cli/lean.ts) re-implements oclif's parsing for ordinary command lines. For a corpus generated
// from the command classes — every command × every flag shape — it must give the handler what oclif would, or
// defer to oclif; it must never run a command line oclif rejects. Needs `npm run build` (dist/lean/manifest.json).

const root = join(fileURLToPath(import.meta.url), '../../..')
const manifestPath = join(root, 'dist/lean/manifest.json')

type FlagDef = {
  allowNo?: boolean
  char?: string
  default?: unknown
  delimiter?: string
  env?: string
  hidden?: boolean
  multiple?: boolean
  multipleNonGreedy?: boolean
  options?: readonly string[]
  required?: boolean
  type: 'boolean' | 'option'
}
type ArgDef = {options?: readonly string[]; required?: boolean}
type Command = typeof HandlerCommand & {id: string}

interface Line {
  argv: string[]
  env?: Record<string, string>
}

const valueFor = (flag: FlagDef) => flag.options?.[0] ?? 'v1'

/** The shortest command line oclif accepts: required args and flags given. */
function baseLine(id: string, command: Command): string[] {
  const words = id.split(':')
  for (const arg of Object.values(command.args ?? {}) as ArgDef[]) if (arg.required) words.push(arg.options?.[0] ?? 'a1')
  for (const [name, flag] of Object.entries(command.flags ?? {}) as [string, FlagDef][]) {
    if (flag.required) words.push(`--${name}`, valueFor(flag))
  }
  return words
}

function corpus(id: string, command: Command): Line[] {
  const base = baseLine(id, command)
  const lines: Line[] = [{argv: base}]
  const optionalArgs = (Object.values(command.args ?? {}) as ArgDef[]).filter((a) => !a.required)
  if (optionalArgs.length > 0) lines.push({argv: [...base, ...optionalArgs.map((a) => a.options?.[0] ?? 'a2')]})
  lines.push({argv: [...base, 'extra1', 'extra2', 'extra3']})
  const all = {...command.baseFlags, ...command.flags} as Record<string, FlagDef>
  for (const [name, flag] of Object.entries(all)) {
    if (flag.hidden) continue
    const add = (...argv: string[]) => lines.push({argv: [...base, ...argv]})
    if (flag.type === 'boolean') {
      add(`--${name}`)
      add(`--no-${name}`)
      for (const spelled of ['true', 'false', '1', 'F', 'maybe']) add(`--${name}=${spelled}`)
      if (flag.char) add(`-${flag.char}`)
      if (flag.env) for (const value of ['true', 'false', '1', 'no']) lines.push({argv: base, env: {[flag.env]: value}})
      continue
    }
    const v = valueFor(flag)
    add(`--${name}`, v)
    add(`--${name}=${v}`)
    add(`--${name}`, v, 'positional')
    add(`--${name}`)
    if (flag.options) add(`--${name}`, 'not-an-option')
    if (flag.char) {
      add(`-${flag.char}`, v)
      add(`-${flag.char}${v}`)
    }
    add(`--${name}`, v, `--${name}`, `${v}2`)
    if (flag.delimiter) add(`--${name}`, `${v},${v}3`)
    if (flag.env) lines.push({argv: base, env: {[flag.env]: v}}, {argv: [...base, `--${name}`, `${v}4`], env: {[flag.env]: v}})
  }
  return lines
}

const defined = (record: Record<string, unknown>) => Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined))

async function withEnv<T>(env: Record<string, string> | undefined, run: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(env ?? {}).map((k) => [k, process.env[k]]))
  Object.assign(process.env, env)
  try {
    return await run()
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k]
      else process.env[k] = v
    }
  }
}

/** What the lean runner hands the handler, or undefined when it defers to oclif. */
async function lean(argv: string[]): Promise<HandlerInput | undefined> {
  let received: HandlerInput | undefined
  const code = await runLean(argv, {
    load: () => async (input) => {
      received = input
      return 0
    },
    manifestPath,
  })
  return code === undefined ? undefined : received
}

/** What HandlerCommand.run() gets from oclif, or the parse error. */
async function oclif(command: Command, argv: string[]): Promise<HandlerInput | Error> {
  const flags = {...command.baseFlags, ...command.flags, json: Flags.boolean({description: 'json'})}
  const declared = Object.entries(flags).map(([name, flag]) => ({...flag, name}))
  try {
    const parsed = await Parser.parse(normalizeBooleanArgv(argv, declared), {args: command.args, flags, strict: command.strict})
    return {args: parsed.args, argv: parsed.argv as string[], flags: parsed.flags}
  } catch (error) {
    return error as Error
  }
}

// Every repeatable flag takes one value per occurrence (pflag's rule); the build relies on it for the lean manifest.
function greedyFlags(commands: Map<string, Command>): string[] {
  return [...commands].flatMap(([id, command]) =>
    Object.entries({...command.baseFlags, ...command.flags} as Record<string, FlagDef>)
      .filter(([, flag]) => flag.multiple && !flag.multipleNonGreedy)
      .map(([name]) => `${id} --${name}`))
}

describe('lean runner and oclif parse the same command lines alike', function () {
  this.timeout(300_000)
  const commands = new Map<string, Command>()

  before(async () => {
    const {readFile} = await import('node:fs/promises')
    const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as LeanManifest
    for (const id of Object.keys(manifest.commands)) {
      const module = await import(join(root, 'src/commands', `${id.replaceAll(':', '/')}.ts`))
      commands.set(id, Object.assign(module.default, {id}))
    }
  })

  it('every repeatable flag of every command is non-greedy', () => {
    assert.ok(commands.size > 40)
    assert.deepEqual(greedyFlags(commands), [])
  })

  it('gives every command line the same flags, args and argv as oclif, or defers to oclif', async () => {
    const disagreements: string[] = []
    let ran = 0
    let total = 0
    for (const [id, command] of commands) {
      for (const line of corpus(id, command)) {
        total++
        const shown = `${line.env ? Object.entries(line.env).map(([k, v]) => `${k}=${v} `).join('') : ''}${line.argv.join(' ')}`
        const [fromLean, fromOclif] = await withEnv(line.env, async () => [await lean(line.argv), await oclif(command, line.argv.slice(id.split(':').length))] as const)
        if (fromLean === undefined) continue
        ran++
        if (fromOclif instanceof Error) {
          disagreements.push(`${shown}: lean ran it, oclif rejects it (${fromOclif.message.split('\n')[0]})`)
          continue
        }
        try {
          assert.deepEqual(defined(fromLean.flags), defined(fromOclif.flags))
          assert.deepEqual(defined(fromLean.args), defined(fromOclif.args))
          assert.deepEqual(fromLean.argv, fromOclif.argv)
        } catch (error) {
          disagreements.push(`${shown}: ${(error as Error).message.replaceAll('\n', ' ')}`)
        }
      }
    }
    assert.deepEqual(disagreements, [])
    // A runner that deferred everything would agree trivially: most of the corpus must run on the lean path.
    assert.ok(total > 1000, `corpus of ${total} lines`)
    assert.ok(ran > total / 2, `lean ran ${ran} of ${total} lines`)
  })
})
