import type {Handler} from '../../cli/handler.js'
import type PkiKey from '../../commands/pki/key.js'
import {readPassphrase, writeOutputs} from '../../lib/pki/outputs.js'
import {encodePrivateKey, generatePrivateKey, type KeyAlgorithm, type KeyFormat, spkiSha256} from '../../lib/pki/keys.js'
import {ageOptions} from '../age-options.js'

const handler: Handler<typeof PkiKey> = async ({flags}, io) => {
  const passphrase = await readPassphrase(flags.passphraseFile, io.cwd, ageOptions(flags, io))
  const key = await generatePrivateKey(flags.algorithm as KeyAlgorithm)
  const files = await writeOutputs([{data: encodePrivateKey(key, (flags.keyFormat ?? 'pkcs8') as KeyFormat, passphrase), path: flags.out, secret: true}], io.cwd, flags.force, ageOptions(flags, io))
  io.err(`wrote ${files.join(', ')}\n`)
  return {document: {algorithm: flags.algorithm, files, spkiSha256: spkiSha256(key)}}
}

export default handler
