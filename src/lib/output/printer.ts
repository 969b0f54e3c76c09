// kubectl's -o on the config commands: json, yaml, name, and the JSONPath forms jsonpath=TEMPLATE,
// jsonpath-file=FILE and jsonpath-as-json=TEMPLATE (or -o jsonpath --template TEMPLATE), with kubectl's messages.
// The JSONPath engine is imported only when a template is asked for, so other calls never load it.
import {readFileSync} from 'node:fs'

import {goJson} from '../go/fmt.js'
import {quote as goQuote} from '../go/quote.js'
import {AuthctlError, usageError} from './errors.js'

const TEMPLATE_FORMATS = ['jsonpath', 'jsonpath-file', 'jsonpath-as-json']

export interface OutputRequest {
  /** -o as given (undefined: the command's default). */
  output?: string
  /** --template, kubectl's other way to give the template of -o jsonpath / jsonpath-file. */
  template?: string
  /** --allow-missing-template-keys (default true). */
  allowMissingTemplateKeys?: boolean
}

export type Output = {format: 'json' | 'yaml' | 'name'} | {format: 'template'; render: (document: unknown) => string}

const fsReason = (error: NodeJS.ErrnoException) =>
  ({EACCES: 'permission denied', EISDIR: 'is a directory', ENOENT: 'no such file or directory'})[error.code ?? ''] ?? error.message

/** Checks -o against `formats` (kubectl's names) and compiles a template; errors as kubectl words them. */
export async function resolveOutput(request: OutputRequest, formats: string[], fallback: string): Promise<Output> {
  let format = request.output || fallback
  let template = request.template ?? ''
  const eq = format.indexOf('=')
  if (eq !== -1 && !request.template && TEMPLATE_FORMATS.includes(format.slice(0, eq))) {
    template = format.slice(eq + 1)
    format = format.slice(0, eq)
  }
  if (!formats.includes(format)) {
    throw usageError(`unable to match a printer suitable for the output format "${request.output}", allowed formats are: ${formats.join(',')}`)
  }
  if (!TEMPLATE_FORMATS.includes(format)) return {format: format as 'json' | 'yaml' | 'name'}
  if (template === '') throw new AuthctlError('template format specified but no template given', {code: 'USAGE'})
  if (format === 'jsonpath-file') {
    try {
      template = readFileSync(template, 'utf8')
    } catch (error) {
      throw new AuthctlError(`error reading --template ${template}, open ${template}: ${fsReason(error as NodeJS.ErrnoException)}`, {code: 'FILE'})
    }
  }
  const {JsonPath, JsonPathError} = await import('../go/jsonpath.js')
  let compiled: InstanceType<typeof JsonPath>
  try {
    compiled = new JsonPath(template, {allowMissingKeys: request.allowMissingTemplateKeys ?? true, outputJson: format === 'jsonpath-as-json'})
  } catch (error) {
    if (error instanceof JsonPathError) throw new AuthctlError(`error parsing jsonpath ${template}, ${error.message}`, {code: 'JSONPATH'})
    throw error
  }
  return {
    format: 'template',
    render(document) {
      try {
        // The engine sees what kubectl's sees: the document as JSON data.
        return compiled.execute(JSON.parse(JSON.stringify(document)))
      } catch (error) {
        if (!(error instanceof JsonPathError)) throw error
        // kubectl goes on to print the whole object it was given, secrets included; authctl stops at the reason.
        throw new AuthctlError(`error executing jsonpath ${goQuote(template)}: Error executing template: ${error.message}`, {code: 'JSONPATH'})
      }
    },
  }
}

/** kubectl's JSON printer: four-space indent, Go's escaping, keys in the document's own order. */
export function kubectlJson(document: unknown): string {
  return goJson(document, {indent: 4, sortKeys: false}) + '\n'
}
