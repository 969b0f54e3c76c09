import {type Handler, emit} from '../../cli/handler.js'
import {toKubectlYaml} from '../../lib/kubeconfig/emit-yaml.js'
import {loadKubeconfig} from '../../lib/kubeconfig/load.js'
import {view} from '../../lib/kubeconfig/view.js'

const handler: Handler = async ({flags}, io) => {
  const config = await loadKubeconfig({allowMissingExplicit: true, env: io.env, kubeconfig: flags.kubeconfig})
  const document = view(config, {context: flags.context, flatten: flags.flatten, minify: flags.minify, raw: flags.raw})
  // kubectl's JSON printer indents by four spaces.
  if (flags.output === 'json') io.out(JSON.stringify(document, null, 4) + '\n')
  else await emit(io, 'text', document, () => toKubectlYaml(document))
  return {document}
}

export default handler
