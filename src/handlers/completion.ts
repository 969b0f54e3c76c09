import type {Handler} from '../cli/handler.js'
import type Completion from '../commands/completion.js'
import {completionScript, type Shell} from '../lib/completion/scripts.js'

const handler: Handler<typeof Completion> = async ({args}, io) => {
  const script = completionScript(args.shell as Shell, 'authctl')
  io.out(script)
  return {document: {script, shell: args.shell}}
}

export default handler
