import {resolve} from 'node:path'

import {type Handler, warningSink} from '../../cli/handler.js'
import type New from '../../commands/kubeconfig/new.js'
import {writeFileAtomic} from '../../lib/files/index.js'
import {readInputText} from '../../lib/files/read.js'
import {mergeKubeconfigs} from '../../lib/kubeconfig/commands.js'
import {toKubectlYaml} from '../../lib/go/yaml.js'
import {describeAction} from '../../lib/kubeconfig/merge.js'
import {asKubeconfig, newKubeconfigDocument} from '../../lib/kubeconfig/new.js'
import {usageError} from '../../lib/output/errors.js'
import {issueKubernetesUser, loadCertAndKey} from '../../lib/pki/index.js'
import {parseDuration} from '../../lib/go/time.js'
import {ageOptions} from '../age-options.js'

const handler: Handler<typeof New> = async ({flags}, io) => {
  if (flags.out && flags.mergeInto) throw usageError('--out and --merge-into cannot be used together')
  const ttlMs = parseDuration(flags.ttl, '--ttl')
  const abs = (p: string) => resolve(io.cwd, p)
  const ca = await loadCertAndKey(abs(flags.ca), abs(flags.caKey), {age: ageOptions(flags, io), what: 'CA'})
  const serverCaPem = flags.caCertForServer ? await readInputText(abs(flags.caCertForServer), {age: ageOptions(flags, io), what: 'server CA'}) : ca.certPem
  if (!serverCaPem.includes('-----BEGIN CERTIFICATE-----')) throw usageError('--ca-cert-for-server must be a PEM certificate bundle')
  const pair = await issueKubernetesUser(ca, {groups: flags.group, now: io.now(), ttlMs, user: flags.user})
  const document = newKubeconfigDocument({
    certPem: pair.certPem, cluster: flags.cluster, context: flags.context, keyPem: pair.keyPem, namespace: flags.namespace,
    server: flags.server, serverCaPem, user: flags.user,
  })
  const context = String(document['current-context'])
  if (flags.mergeInto) {
    const into = abs(flags.mergeInto)
    const outcome = await mergeKubeconfigs({age: ageOptions(flags, io), env: io.env, into, onConflict: 'rename', onWarning: warningSink(io), sources: [{config: asKubeconfig(document, into), path: '(new)'}]})
    for (const action of outcome.plan.actions) {
      const line = describeAction(action)
      if (line) io.err(line + '\n')
    }
    const stored = outcome.plan.actions.find((a) => a.kind === 'contexts')!.as
    io.err(`added context "${stored}" to ${flags.mergeInto}\n`)
    return {document: {actions: outcome.plan.actions, context: stored, file: into}}
  }
  const text = toKubectlYaml(document)
  if (flags.out) {
    await writeFileAtomic(abs(flags.out), text, {age: ageOptions(flags, io), force: flags.force})
    io.err(`wrote ${flags.out} (context "${context}")\n`)
    return {document: {context, file: abs(flags.out)}}
  }
  io.out(text)
  return {document}
}

export default handler
