// The oclif side of every command: flag declarations, help and completion live on the class; the work is done by
// its handler (src/handlers/<topic>/<command>.ts), shared with the lean runner.
import {Command, Flags} from '@oclif/core'

import {COLOR_MODES} from '../lib/output/color.js'
import {normalizeBooleanArgv} from './boolean-flags.js'
import {processIo} from '../lib/io.js'
import {toJson} from '../lib/output/render.js'
import {execute, type Handler, reportError} from './handler.js'

export abstract class HandlerCommand extends Command {
  static override enableJsonFlag = true
  // Global: every command takes it, on the lean path too (the runner reads baseFlags from the manifest like any flag).
  static override baseFlags = {
    color: Flags.string({description: 'colour: auto (a terminal, NO_COLOR unset or empty), always or never', env: 'AUTHCTL_COLOR', helpGroup: 'GLOBAL', options: [...COLOR_MODES]}),
  }
  /** The implementation; set by each command class. */
  static handler: Handler<any>

  /** Returns the --json document; oclif prints it (through logJson below) in JSON mode. */
  async run(): Promise<unknown> {
    const ctor = this.constructor as typeof HandlerCommand
    const declared = Object.entries({...ctor.baseFlags, ...ctor.flags}).map(([name, flag]) => ({...flag, name}))
    const {args, argv, flags} = await this.parse(ctor, normalizeBooleanArgv(this.argv, declared))
    const {document, exitCode} = await execute(ctor.handler, {args, argv: argv as string[], flags}, await processIo(this.jsonEnabled(), flags.color))
    process.exitCode = exitCode
    return document
  }

  // The same JSON as the lean path prints (oclif's own is colourised on a terminal).
  protected override logJson(json: unknown): void {
    process.stdout.write(toJson(json))
  }

  // Parse errors and anything else thrown outside the handler get the same one-line contract (exit 2 for usage).
  protected override async catch(error: Error & {code?: string}): Promise<unknown> {
    if (error?.code === 'EEXIT') throw error
    const code = reportError(error, {env: process.env, err: (t) => process.stderr.write(t), json: this.jsonEnabled()})
    process.exitCode = code
    this.exit(code)
  }
}
