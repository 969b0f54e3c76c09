import {HandlerCommand} from '../cli/base.js'
import handler from '../handlers/__complete.js'

// The completion scripts' back end (see src/lib/completion/scripts.ts). Hidden: not for people. bin/run.cjs runs it
// straight from its lean bundle, since the words it receives are another command's, flags included.
export default class Complete extends HandlerCommand {
  static override hidden = true
  static override strict = false
  static override summary = 'Completion candidates for the words of a command line (used by the completion scripts)'
  static override handler = handler
}
