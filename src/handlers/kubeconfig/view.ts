import type {Handler} from '../../cli/handler.js'
import type View from '../../commands/kubeconfig/view.js'
import {toKubectlYaml} from '../../lib/go/yaml.js'
import {loadKubeconfig} from '../../lib/kubeconfig/load.js'
import {view} from '../../lib/kubeconfig/view.js'
import {kubectlJson, resolveOutput} from '../../lib/output/printer.js'
import {ageOptions} from '../age-options.js'

export const VIEW_FORMATS = ['yaml', 'json', 'name', 'jsonpath', 'jsonpath-file', 'jsonpath-as-json']

const handler: Handler<typeof View> = async ({flags}, io) => {
  // kubectl checks -o (and parses a template) before it reads any file.
  const output = await resolveOutput({allowMissingTemplateKeys: flags.allowMissingTemplateKeys, output: flags.output, template: flags.template}, VIEW_FORMATS, 'yaml')
  const config = await loadKubeconfig({allowMissingExplicit: true, age: ageOptions(flags, io), env: io.env, kubeconfig: flags.kubeconfig})
  const document = view(config, {context: flags.context, flatten: flags.flatten, minify: flags.minify, raw: flags.raw})
  if (output.format === 'template') io.out(output.render(document))
  else if (output.format === 'json') io.out(kubectlJson(document))
  // The Config object has no metadata.name; kubectl's name printer shows that as <unknown>.
  else if (output.format === 'name') io.out('config/<unknown>\n')
  else io.out(toKubectlYaml(document))
  return {document}
}

export default handler
