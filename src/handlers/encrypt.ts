import type {Handler} from '../cli/handler.js'
import type Encrypt from '../commands/encrypt.js'
import {encryptFile} from '../lib/files/age-file.js'
import {ageOptions} from './age-options.js'

const encrypt: Handler<typeof Encrypt> = async ({args, flags}, io) => {
  const result = await encryptFile(args.file, {age: ageOptions(flags, io), armor: flags.armor, cwd: io.cwd, force: flags.force, output: flags.output})
  const count = result.recipients!.length
  io.err(`encrypted ${result.output} to ${count} recipient${count === 1 ? '' : 's'}\n`)
  return {document: result}
}

export default encrypt
