import type {Handler} from '../cli/handler.js'
import type Doctor from '../commands/doctor.js'
import {doctorKubeconfig, doctorTalosconfig, kubeDeps, reportText, talosDeps} from '../lib/doctor/index.js'
import {usageError} from '../lib/output/errors.js'
import {locateFromFlags} from '../lib/talosconfig/index.js'
import {parseDuration} from '../lib/go/time.js'
import {ageOptions} from './age-options.js'
import {tokenExplainer} from './authentication-config.js'

const doctor: Handler<typeof Doctor> = async ({flags}, io) => {
  if (flags.context && flags.allContexts) throw usageError('--context and --all-contexts cannot be combined')
  const talos = flags.talos || flags.talosconfig !== undefined
  if (talos && flags.kubeconfig) throw usageError('--kubeconfig and --talosconfig cannot be combined')
  const age = ageOptions(flags, io)
  const options = {
    age,
    explainToken: await tokenExplainer(flags.authenticationConfig, io),
    expiresWithinMs: flags.expiresWithin ? parseDuration(flags.expiresWithin, '--expires-within') : undefined,
    now: io.now(),
    offline: Boolean(flags.offline),
    timeoutMs: parseDuration(flags.timeout ?? '5s', '--timeout'),
  }
  const selection = {age, allContexts: flags.allContexts, context: flags.context}
  const reports = talos
    ? await doctorTalosconfig(await locateFromFlags(flags, io), selection, talosDeps(options))
    : await doctorKubeconfig({...selection, env: io.env, kubeconfig: flags.kubeconfig}, kubeDeps(options, io))
  io.out(reportText(reports, io.style.out))
  const failed = reports.some((r) => r.checks.some((c) => c.status === 'fail'))
  return {document: {contexts: reports, ok: !failed}, exitCode: failed ? 1 : 0}
}

export default doctor
