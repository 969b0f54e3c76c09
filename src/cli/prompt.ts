// Questions on a terminal through @inquirer/prompts, imported on first use (most calls never ask anything). Only
// handlers whose io.interactive is true may ask; each question has a flag or argument that answers it in advance.
// Prompts draw on stderr, so stdout stays the command's output.
import {escapeControls} from '../lib/go/quote.js'
import {AuthctlError} from '../lib/output/errors.js'

export interface Prompt {
  /** A yes/no question, "no" by default. */
  confirm(message: string): Promise<boolean>
  /** A pick from `choices` (names shown with control characters escaped), starting at `current`. */
  choose(message: string, choices: string[], current?: string): Promise<string>
}

// Ctrl-C or Ctrl-D at a question: nothing was chosen, so nothing is done.
async function answered<T>(question: Promise<T>): Promise<T> {
  try {
    return await question
  } catch (error) {
    if ((error as Error)?.name === 'ExitPromptError' || (error as Error)?.name === 'AbortPromptError') {
      throw new AuthctlError('cancelled', {code: 'CANCELLED'})
    }
    throw error
  }
}

export function terminalPrompt(input: () => NodeJS.ReadableStream): Prompt {
  const context = () => ({input: input(), output: process.stderr})
  return {
    async choose(message, choices, current) {
      const {select} = await import('@inquirer/prompts')
      const options = choices.map((value) => ({name: escapeControls(value), value}))
      return answered(select({choices: options, default: current, message, pageSize: 15}, context()))
    },
    async confirm(message) {
      const {confirm} = await import('@inquirer/prompts')
      return answered(confirm({default: false, message}, context()))
    },
  }
}

/**
 * An argument that a terminal user may leave out and pick instead (kubectx's habit). Off a terminal, or in JSON
 * mode, leaving it out is the usage error it always was, in oclif's words.
 */
export async function argumentOrPick(
  value: string | undefined,
  io: {interactive: boolean; json: boolean; prompt: Prompt},
  argument: {name: string; description: string; message: string},
  choices: () => Promise<{names: string[]; current?: string}>,
): Promise<string> {
  if (value !== undefined) return value
  if (!io.interactive || io.json) {
    throw new AuthctlError(`Missing 1 required arg: ${argument.name} ${argument.description}`, {code: 'USAGE', exitCode: 2, hint: 'see --help'})
  }
  const {current, names} = await choices()
  if (names.length === 0) throw new AuthctlError('no contexts defined', {code: 'NO_CONTEXTS'})
  return io.prompt.choose(argument.message, names, current)
}
