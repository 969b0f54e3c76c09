import {readFile} from 'node:fs/promises'

import type {Handler, Io} from '../../cli/handler.js'
import {escapeControls} from '../../lib/go/quote.js'
import {fileError, readingInput, usageError} from '../../lib/output/errors.js'
import {batchTable, parseBatch, runBatch} from '../../lib/kube/batch.js'
import {answerLine, apiCall, canI, parseCanIArgs, rulesReview} from '../../lib/kube/can-i.js'
import {KubeClient} from '../../lib/kube/client.js'
import {openContext} from '../../lib/kube/context.js'
import {discover} from '../../lib/kube/discovery.js'
import {incompleteWarning, listRules, rulesTable} from '../../lib/kube/rules.js'

// kubectl's warning printer: a bold yellow "Warning:" on a terminal, and a newline after the message; most can-i
// messages already end in one, hence kubectl's blank line.
const warn = (io: Io, message: string) => io.err(`${io.style.err.warning('Warning:')} ${escapeControls(message, {keepNewlines: true})}\n`)

const authCanI: Handler = async ({argv, flags}, io) => {
  const canIFlags = {allNamespaces: flags['all-namespaces'], list: flags.list, noHeaders: flags['no-headers'], quiet: flags.quiet, subresource: flags.subresource}
  if (flags.batch) {
    if (argv.length > 0 || flags.list) throw usageError('--batch takes no VERB/TYPE arguments and no --list')
    const checks = await readingInput(async () => {
      let text: string
      try {
        text = await readFile(flags.batch, 'utf8')
      } catch (error) {
        throw fileError(error, flags.batch, 'batch file')
      }
      return parseBatch(text, flags.batch)
    })
    const {client, namespace} = await readingInput(() => openContext(flags, io))
    // One client (one connection pool) per impersonated identity.
    const extra = new Map<string, KubeClient>()
    try {
      const discovery = await apiCall(client, io.now(), undefined, () => discover(client))
      for (const e of discovery.errors) warn(io, e)
      const outcomes = await runBatch(checks, {
        clientFor: (imp) => {
          if (!imp) return client
          const key = JSON.stringify(imp)
          let c = extra.get(key)
          if (!c) extra.set(key, (c = new KubeClient({...client.connection, impersonate: imp}, client.deps)))
          return c
        },
        defaultNamespace: namespace,
        discovery,
        now: io.now(),
      })
      io.out(batchTable(outcomes))
      const failed = outcomes.filter((o) => !o.ok).length
      io.err(`${outcomes.length - failed}/${outcomes.length} checks passed\n`)
      return {document: {checks: outcomes, failed, passed: outcomes.length - failed}, exitCode: failed > 0 ? 1 : 0}
    } finally {
      client.close()
      for (const c of extra.values()) c.close()
    }
  }

  // Argument checks come before any connection, as kubectl's do.
  const probe = parseCanIArgs(argv, canIFlags, '')
  const {client, namespace} = await readingInput(() => openContext(flags, io))
  try {
    if (!probe) {
      const status = await rulesReview(client, namespace, io.now())
      const incomplete = incompleteWarning(status)
      if (incomplete) warn(io, incomplete)
      const rules = listRules(status)
      io.out(rulesTable(rules, Boolean(flags['no-headers'])))
      return {document: {evaluationError: status.evaluationError, incomplete: status.incomplete, namespace, rules}}
    }
    const query = {...probe, namespace: flags['all-namespaces'] ? '' : namespace}
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
