import type {Handler} from '../cli/handler.js'
import {decryptedContent, decryptFile} from '../lib/files/age-file.js'
import {resolveFrom} from '../lib/files/paths.js'
import {AuthctlError, usageError} from '../lib/output/errors.js'
import {ageOptions} from './age-options.js'

const decrypt: Handler = async ({args, flags}, io) => {
  const at = (path: string) => resolveFrom(io.cwd, path)
  const age = ageOptions(flags, io)
  if (flags.output === '-') {
    if (io.json) throw usageError('--output - and --json both want stdout', 'choose one')
    const plain = await decryptedContent(at(args.file), age)
    const text = plain.toString('utf8')
    if (!Buffer.from(text, 'utf8').equals(plain)) {
      throw new AuthctlError(`${JSON.stringify(args.file)} decrypts to binary data`, {code: 'BINARY_OUTPUT', hint: 'use --output FILE'})
    }
    io.out(text)
    return
  }
  const result = await decryptFile(at(args.file), {age, force: flags.force, output: flags.output && at(flags.output)})
  io.err(`decrypted ${flags.output ?? args.file}\n`)
  return {document: {...result, file: args.file, output: flags.output ?? args.file}}
}

export default decrypt
