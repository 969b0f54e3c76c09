import {HandlerCommand} from '../cli/base.js'
import {runHandler} from '../cli/handler.js'
import handler from '../handlers/__complete.js'
import {processIo} from '../lib/io.js'

// The completion scripts' back end (see src/lib/completion/scripts.ts). Hidden: not for people. Its words are
// another command's, flags included, so they reach the handler unparsed: bin/run.cjs runs its lean bundle that way,
// and run() below does the same when oclif runs it (bin/dev.js).
export default class Complete extends HandlerCommand {
  static override hidden = true
  static override strict = false
  static override summary = 'Completion candidates for the words of a command line (used by the completion scripts)'
  static override handler = handler

  override async run(): Promise<void> {
    process.exitCode = await runHandler(handler, {args: {}, argv: this.argv, flags: {}}, await processIo(false))
  }
}
