import type {Handler} from '../cli/handler.js'
import type Decrypt from '../commands/decrypt.js'
import {decryptedContent, decryptFile} from '../lib/files/age-file.js'
import {AuthctlError, usageError} from '../lib/output/errors.js'
import {ageOptions} from './age-options.js'

const decrypt: Handler<typeof Decrypt> = async ({args, flags}, io) => {
  const age = ageOptions(flags, io)
  if (flags.output === '-') {
    if (io.json) throw usageError('--output - and --json both want stdout', 'choose one')
    const plain = await decryptedContent(args.file, age, io.cwd)
    const text = plain.toString('utf8')
    if (!Buffer.from(text, 'utf8').equals(plain)) {
      throw new AuthctlError(`${JSON.stringify(args.file)} decrypts to binary data`, {code: 'BINARY_OUTPUT', hint: 'use --output FILE'})
    }
    io.out(text)
    return
  }
  const result = await decryptFile(args.file, {age, cwd: io.cwd, force: flags.force, output: flags.output})
  io.err(`decrypted ${result.output}\n`)
  return {document: result}
}

export default decrypt
