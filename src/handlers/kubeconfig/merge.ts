import {type Handler, warningSink} from '../../cli/handler.js'
import type Merge from '../../commands/kubeconfig/merge.js'
import {mergeKubeconfigs} from '../../lib/kubeconfig/commands.js'
import {unifiedDiff} from '../../lib/kubeconfig/diff.js'
import {locate} from '../../lib/kubeconfig/locate.js'
import {type ConflictPolicy, describeAction} from '../../lib/kubeconfig/merge.js'
import {ageOptions} from '../age-options.js'

const handler: Handler<typeof Merge> = async ({argv, flags}, io) => {
  const into = flags.into ?? locate({env: io.env, kubeconfig: flags.kubeconfig}).defaultFile
  const outcome = await mergeKubeconfigs({
    age: ageOptions(flags, io),
    dryRun: flags.dryRun,
    env: io.env,
    into,
    onWarning: warningSink(io),
    onConflict: (flags.onConflict ?? 'rename') as ConflictPolicy,
    sources: argv,
    useContext: flags.useContext,
  })
  for (const action of outcome.plan.actions) {
    const line = describeAction(action)
    if (line) io.err(line + '\n')
  }
  if (flags.dryRun) io.out(unifiedDiff(into, outcome.before, outcome.after, io.style.out))
  else {
    const added = outcome.plan.writes.length
    io.err(`merged ${argv.length} file(s) into ${into}: ${added} entr${added === 1 ? 'y' : 'ies'} written\n`)
  }
  return {document: {actions: outcome.plan.actions, currentContext: outcome.plan.currentContext, dryRun: Boolean(flags.dryRun), into, written: outcome.written}}
}

export default handler
