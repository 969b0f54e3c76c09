import {emit, type Handler} from '../../cli/handler.js'
import type RbacTest from '../../commands/rbac/test.js'
import {readInput} from '../../lib/files/read.js'
import {readingInput, usageError} from '../../lib/output/errors.js'
import {outcomesText, parseExpectations, runExpectations} from '../../lib/rbac/expectations.js'
import {discoveryFromFlags, policyStore, printWarnings} from './common.js'

const rbacTest: Handler<typeof RbacTest> = async ({args, flags}, io) => {
  if (args.tests === '-' && (flags.filename ?? []).includes('-')) throw usageError('the tests and the policy cannot both come from stdin')
  const discovery = await discoveryFromFlags(flags, io)
  const text = await readingInput(async () => (await readInput(args.tests, {stdin: io.stdin, what: 'tests file'})).toString('utf8'))
  const warnings: string[] = []
  const expectations = await parseExpectations(text, args.tests === '-' ? '<stdin>' : args.tests, {discovery, warnings})
  printWarnings(io, warnings)
  const store = await policyStore(flags, io)
  const outcomes = runExpectations(store, expectations)
  const failed = outcomes.filter((o) => !o.ok).length
  const document = {failed, outcomes, passed: outcomes.length - failed}
  await emit(io, flags.output, document, () => outcomesText(outcomes))
  io.err(`${outcomes.length - failed}/${outcomes.length} expectations met\n`)
  return {document, exitCode: failed ? 1 : 0}
}

export default rbacTest
