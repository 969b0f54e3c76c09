import {emit, type Handler} from '../../cli/handler.js'
import type PkiInspect from '../../commands/pki/inspect.js'
import {readNamed} from '../../lib/pki/outputs.js'
import {inspectPem} from '../../lib/pki/inspect.js'
import {renderReports} from '../../lib/pki/render.js'
import {ageOptions} from '../age-options.js'

const handler: Handler<typeof PkiInspect> = async ({args, flags}, io) => {
  const data = await readNamed(args.file, io.cwd, args.file === '-' ? 'input' : 'file', io.stdin, ageOptions(flags, io))
  const reports = inspectPem(data, io.now(), args.file === '-' ? 'input' : JSON.stringify(args.file))
  const document = reports.length === 1 ? reports[0] : {items: reports}
  await emit(io, flags.output, document, () => renderReports(reports))
  return {document}
}

export default handler
