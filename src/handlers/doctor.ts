import type {Handler} from '../cli/handler.js'
import {doctorKubeconfig, reportText, systemDeps} from '../lib/doctor/index.js'
import {usageError} from '../lib/output/errors.js'
import {parseDuration} from '../lib/time/index.js'

const doctor: Handler = async ({flags}, io) => {
  if (flags.context && flags['all-contexts']) throw usageError('--context and --all-contexts cannot be combined')
  const within = flags['expires-within'] ? parseDuration(flags['expires-within'], '--expires-within') : undefined
  const reports = await doctorKubeconfig(
    {allContexts: flags['all-contexts'], context: flags.context, env: io.env, kubeconfig: flags.kubeconfig},
    systemDeps(io.now(), io.env, within),
  )
  io.out(reportText(reports))
  const failed = reports.some((r) => r.checks.some((c) => c.status === 'fail'))
  return {document: {contexts: reports, ok: !failed}, exitCode: failed ? 1 : 0}
}

export default doctor
