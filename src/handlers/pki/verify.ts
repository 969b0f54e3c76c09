import type {Handler} from '../../cli/handler.js'
import type PkiVerify from '../../commands/pki/verify.js'
import {escapeControls} from '../../lib/go/quote.js'
import {usageError} from '../../lib/output/errors.js'
import {at, readNamed} from '../../lib/pki/outputs.js'
import {type Usage, readCertificates, verifyCertificate} from '../../lib/pki/verify.js'
import {ageOptions} from '../age-options.js'

const handler: Handler<typeof PkiVerify> = async ({args, flags}, io) => {
  if (Boolean(flags.ca) === Boolean(flags.fromSecrets)) {
    throw usageError('pass exactly one of --ca and --from-secrets')
  }
  const certs = readCertificates(await readNamed(args.cert, io.cwd, 'certificate', io.stdin, ageOptions(flags, io)), 'certificate')
  let caPem: string
  if (flags.ca) {
    caPem = (await readNamed(flags.ca, io.cwd, 'CA certificate')).toString('utf8')
  } else {
    const {loadCaFromTalosSecrets} = await import('../../lib/pki/load.js')
    caPem = (await loadCaFromTalosSecrets(at(io.cwd, flags.fromSecrets!), ageOptions(flags, io))).certPem
  }
  const cas = readCertificates(caPem, 'CA certificate')
  const result = verifyCertificate(certs, cas, {
    host: flags.host,
    now: io.now(),
    talos: flags.talos,
    usages: flags.usage ? (flags.usage.split(',') as Usage[]) : [],
  })
  // Subjects and reasons quote names from the certificates: control characters are escaped, never printed raw.
  if (result.valid) io.out(`valid: ${escapeControls(result.chain.join(' <- '))}\n`)
  else io.out(`invalid:\n${result.reasons.map((r) => `  - ${escapeControls(r)}\n`).join('')}`)
  return {document: result, exitCode: result.valid ? 0 : 1}
}

export default handler
