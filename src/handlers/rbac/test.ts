import type {Handler} from '../../cli/handler.js'
import {readInput} from '../../lib/files/read.js'
import {usageError} from '../../lib/output/errors.js'
import {outcomesText, parseExpectations, runExpectations} from '../../lib/rbac/expectations.js'
import {policyStore} from './common.js'

const rbacTest: Handler = async ({args, flags}, io) => {
  if (args.tests === '-' && (flags.filename ?? []).includes('-')) throw usageError('the tests and the policy cannot both come from stdin')
  const text = (await readInput(args.tests, {stdin: io.stdin, what: 'tests file'})).toString('utf8')
  const expectations = await parseExpectations(text, args.tests === '-' ? '<stdin>' : args.tests)
  const store = await policyStore(flags, io)
  const outcomes = runExpectations(store, expectations)
  const failed = outcomes.filter((o) => !o.ok).length
  io.out(outcomesText(outcomes))
  io.err(`${outcomes.length - failed}/${outcomes.length} expectations met\n`)
  return {document: {failed, outcomes, passed: outcomes.length - failed}, exitCode: failed ? 1 : 0}
}

export default rbacTest
