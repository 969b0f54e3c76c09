import type {Handler} from '../../cli/handler.js'
import type PkiNeedsRenewal from '../../commands/pki/needs-renewal.js'
import {AuthctlError} from '../../lib/output/errors.js'
import {readNamed} from '../../lib/pki/outputs.js'
import {needsRenewal, parseThreshold} from '../../lib/pki/renewal.js'
import {readCertificates} from '../../lib/pki/verify.js'
import {humanDuration} from '../../lib/go/time.js'
import {ageOptions} from '../age-options.js'

// step's convention: 0 due, 1 not due, 2 file missing, 255 any other error.
const handler: Handler<typeof PkiNeedsRenewal> = async ({args, flags}, io) => {
  const threshold = parseThreshold(flags.expiresIn)
  let data: Buffer
  try {
    data = await readNamed(args.cert, io.cwd, 'certificate', io.stdin, ageOptions(flags, io))
  } catch (error) {
    const failure = error as AuthctlError
    throw new AuthctlError(failure.message, {code: failure.code, exitCode: failure.code === 'ENOENT' ? 2 : 255})
  }
  let leaf
  try {
    ;[leaf] = readCertificates(data, 'certificate')
  } catch (error) {
    const failure = error as AuthctlError
    throw new AuthctlError(failure.message, {code: failure.code, exitCode: 255, hint: failure.hint})
  }
  const answer = needsRenewal(leaf.fields, threshold, io.now())
  const left = answer.remainingMs < 0 ? `expired ${humanDuration(answer.remainingMs)} ago` : `${humanDuration(answer.remainingMs)} left`
  io.out(`${answer.due ? 'due' : 'not due'}: ${left}, threshold ${humanDuration(answer.thresholdMs)}\n`)
  return {document: answer, exitCode: answer.due ? 0 : 1}
}

export default handler
