import {readFile} from 'node:fs/promises'

import type {Handler} from '../../cli/handler.js'
import type AuthCanI from '../../commands/auth/can-i.js'
import type {Io} from '../../lib/io.js'
import {escapeControls} from '../../lib/go/quote.js'
import {AuthctlError, ExitCode, fileError, readingInput, toAuthctlError, usageError} from '../../lib/output/errors.js'
import {batchTable, parseBatch, runBatch} from '../../lib/kube/batch.js'
import {answerLine, apiCall, canI, parseCanIArgs, rulesReview} from '../../lib/kube/can-i.js'
import {clientPool} from '../../lib/kube/client-pool.js'
import {openContext} from '../../lib/kube/context.js'
import {discover} from '../../lib/kube/discovery.js'
import {incompleteWarning, listRules, rulesTable} from '../../lib/kube/rules.js'
import {ageOptions} from '../age-options.js'

// kubectl's warning printer: a bold yellow "Warning:" on a terminal, and a newline after the message; most can-i
// messages already end in one, hence kubectl's blank line.
const warn = (io: Io, message: string) => io.err(`${io.style.err.warning('Warning:')} ${escapeControls(message, {keepNewlines: true})}\n`)

// --exit-code-detail: a failure to get the answer (exit 1 in kubectl, the same code as "no") exits 3 instead.
// Usage errors and unreadable input keep exit 2.
function unanswered(error: unknown): AuthctlError {
  const failure = toAuthctlError(error)
  if (failure.exitCode !== ExitCode.failure) return failure
  return new AuthctlError(failure.message, {code: failure.code, exitCode: ExitCode.unanswered, hint: failure.hint})
}

const authCanI: Handler<typeof AuthCanI> = async (input, io) => {
  try {
    return await answer(input, io)
  } catch (error) {
    throw input.flags.exitCodeDetail ? unanswered(error) : error
  }
}

const answer: Handler<typeof AuthCanI> = async ({argv, flags}, io) => {
  const canIFlags = {allNamespaces: flags.allNamespaces, list: flags.list, noHeaders: flags.noHeaders, quiet: flags.quiet, subresource: flags.subresource}
  if (flags.batch) {
    if (argv.length > 0 || flags.list) throw usageError('--batch takes no VERB/TYPE arguments and no --list')
    const batch = flags.batch
    const checks = await readingInput(async () => {
      let text: string
      try {
        text = await readFile(batch, 'utf8')
      } catch (error) {
        throw fileError(error, batch, 'batch file')
      }
      return parseBatch(text, batch)
    })
    const {client, namespace} = await readingInput(() => openContext({...flags, age: ageOptions(flags, io)}, io))
    const pool = clientPool(client)
    try {
      const discovery = await apiCall(client, io.now(), undefined, () => discover(client))
      for (const e of discovery.errors) warn(io, e)
      const outcomes = await runBatch(checks, {
        clientFor: pool.clientFor,
        defaultNamespace: namespace,
        discovery,
        now: io.now(),
      })
      io.out(batchTable(outcomes))
      const failed = outcomes.filter((o) => !o.ok).length
      io.err(`${outcomes.length - failed}/${outcomes.length} checks passed\n`)
      const errored = flags.exitCodeDetail && outcomes.some((o) => o.error !== undefined)
      return {document: {checks: outcomes, failed, passed: outcomes.length - failed}, exitCode: errored ? ExitCode.unanswered : failed > 0 ? 1 : 0}
    } finally {
      pool.close()
    }
  }

  // Argument checks come before any connection, as kubectl's do.
  const probe = parseCanIArgs(argv, canIFlags, '')
  const {client, namespace} = await readingInput(() => openContext({...flags, age: ageOptions(flags, io)}, io))
  try {
    if (!probe) {
      const status = await rulesReview(client, namespace, io.now())
      const incomplete = incompleteWarning(status)
      if (incomplete) warn(io, incomplete)
      const rules = listRules(status)
      io.out(rulesTable(rules, Boolean(flags.noHeaders)))
      return {document: {evaluationError: status.evaluationError, incomplete: status.incomplete, namespace, rules}}
    }
    const query = {...probe, namespace: flags.allNamespaces ? '' : namespace}
    const warnings: string[] = []
    let printed = 0
    const flush = () => {
      for (; printed < warnings.length; printed++) warn(io, warnings[printed])
    }
    try {
      const result = await canI(client, query, {now: io.now(), warnings})
      flush()
      if (!flags.quiet) io.out(answerLine(result, io.style.out))
      return {document: result, exitCode: result.allowed ? 0 : 1}
    } finally {
      flush()
    }
  } finally {
    client.close()
  }
}

export default authCanI
