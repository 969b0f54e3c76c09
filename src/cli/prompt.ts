// Arguments a terminal user may pick instead of typing. Only handlers whose io.interactive is true may ask; each
// question has a flag or argument that answers it in advance.
import type {Prompt} from '../lib/io.js'
import {AuthctlError} from '../lib/output/errors.js'

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
