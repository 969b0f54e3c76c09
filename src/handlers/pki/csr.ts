import type {Handler} from '../../cli/handler.js'
import type PkiCsr from '../../commands/pki/csr.js'
import {readNamed, readPassphrase} from '../../lib/pki/outputs.js'
import {inspectPem} from '../../lib/pki/inspect.js'
import {createCsr} from '../../lib/pki/issue.js'
import {parsePrivateKey} from '../../lib/pki/keys.js'
import {ageOptions} from '../age-options.js'
import {writePem} from './written.js'

const handler: Handler<typeof PkiCsr> = async ({flags}, io) => {
  const passphrase = await readPassphrase(flags.passphraseFile, io.cwd, ageOptions(flags, io))
  const keyPem = await readNamed(flags.key, io.cwd, 'key', io.stdin, ageOptions(flags, io))
  const {key} = parsePrivateKey(keyPem, {passphrase, passphraseFlag: '--passphrase-file', source: flags.key, what: 'key'})
  const pem = await createCsr(key, {cn: flags.cn, dnsNames: flags.dns, ips: flags.ip, orgs: flags.org})
  const [request] = inspectPem(pem, io.now())
  return {document: {...(await writePem(io, pem, flags.out, flags.force)), request}}
}

export default handler
