import type {Handler} from '../../cli/handler.js'
import type PkiRenew from '../../commands/pki/renew.js'
import {readInput} from '../../lib/files/read.js'
import {parseDuration} from '../../lib/go/time.js'
import {at, defaultKeyPath, loadCa, readNamed, writeOutputs} from '../../lib/pki/outputs.js'
import {renewCertificate} from '../../lib/pki/renew.js'
import {parseThreshold} from '../../lib/pki/renewal.js'
import {ageOptions} from '../age-options.js'

const handler: Handler<typeof PkiRenew> = async ({args, flags}, io) => {
  const ifDue = flags.ifDue === undefined ? undefined : parseThreshold(flags.ifDue, '--if-due')
  const ttlMs = flags.ttl === undefined ? undefined : parseDuration(flags.ttl, '--ttl')
  const age = ageOptions(flags, io)
  const ca = await loadCa({...flags, age}, io.cwd)
  const certPem = (await readNamed(args.cert, io.cwd, 'certificate', undefined, age)).toString('utf8')
  const keyPath = flags.key ?? defaultKeyPath(args.cert)
  // The key is read to check it (and keep its PEM form) when given or when it is replaced.
  const keyPem = flags.key !== undefined || flags.rotateKey ? (await readInput(at(io.cwd, keyPath), {age, what: 'key'})).toString('utf8') : undefined
  const outcome = await renewCertificate(certPem, ca, {ifDue, keyPem, keySource: keyPath, now: io.now(), rotateKey: flags.rotateKey, ttlMs})
  if (!outcome.renewed) {
    io.err(`not renewed: ${args.cert} is ${outcome.reason} (expires ${outcome.notAfter})\n`)
    return {document: {renewed: [], skipped: [{certificate: args.cert, reason: outcome.reason}]}}
  }
  const outputs = [{data: outcome.certPem, path: args.cert}, ...(outcome.keyPem ? [{data: outcome.keyPem, path: keyPath, secret: true}] : [])]
  const files = await writeOutputs(outputs, io.cwd, true, age)
  io.err(`renewed ${args.cert} (${outcome.profile}, expires ${outcome.notAfter})${outcome.keyPem ? ` with a new key in ${keyPath}` : ''}\n`)
  return {document: {renewed: [{certificate: args.cert, files, keyRotated: Boolean(outcome.keyPem), notAfter: outcome.notAfter, profile: outcome.profile}], skipped: []}}
}

export default handler
