import type {Handler} from '../cli/handler.js'
import {encryptFile} from '../lib/files/age-file.js'
import {resolveFrom} from '../lib/files/paths.js'
import {ageOptions} from './age-options.js'

const encrypt: Handler = async ({args, flags}, io) => {
  const at = (path: string) => resolveFrom(io.cwd, path)
  const result = await encryptFile(at(args.file), {age: ageOptions(flags, io), armor: flags.armor, force: flags.force, output: flags.output && at(flags.output)})
  io.err(`encrypted ${flags.output ?? args.file} to ${result.recipients!.length} recipient${result.recipients!.length === 1 ? '' : 's'}\n`)
  return {document: {...result, file: args.file, output: flags.output ?? args.file}}
}

export default encrypt
