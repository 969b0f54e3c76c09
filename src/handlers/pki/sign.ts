import type {Handler} from '../../cli/handler.js'
import type PkiSign from '../../commands/pki/sign.js'
import {loadCa, readNamed} from '../../lib/pki/outputs.js'
import {inspectPem} from '../../lib/pki/inspect.js'
import {signCsr} from '../../lib/pki/issue.js'
import {privilegeWarnings} from '../../lib/pki/privileged.js'
import type {Usage} from '../../lib/pki/verify.js'
import {parseDuration} from '../../lib/go/time.js'
import {ageOptions} from '../age-options.js'
import {writePem} from './written.js'

const handler: Handler<typeof PkiSign> = async ({flags}, io) => {
  const csrPem = (await readNamed(flags.csr, io.cwd, 'certificate request', io.stdin)).toString('utf8')
  const ca = await loadCa({...flags, age: ageOptions(flags, io)}, io.cwd)
  const pem = await signCsr(ca, csrPem, {
    dnsNames: flags.dns,
    ips: flags.ip,
    notBeforeSkewMs: parseDuration(flags.notBeforeSkew, '--not-before-skew'),
    now: io.now(),
    ttlMs: parseDuration(flags.ttl, '--ttl'),
    usages: (flags.usage as string).split(',') as Usage[],
  })
  const [certificate] = inspectPem(pem, io.now())
  for (const warning of privilegeWarnings('subject' in certificate ? certificate.subject.organizations : [])) io.err(`warning: ${warning}\n`)
  return {document: {certificate, ...(await writePem(io, pem, flags.out, flags.force))}}
}

export default handler
