import {type Handler, warningSink} from '../../cli/handler.js'
import type TalosconfigAdd from '../../commands/talosconfig/add.js'
import {readInput} from '../../lib/files/index.js'
import {checkCredentials, editTalosconfig, emptyContext, locateFromFlags} from '../../lib/talosconfig/index.js'
import {ageOptions} from '../age-options.js'

const handler: Handler<typeof TalosconfigAdd> = async ({args, flags}, io) => {
  const name = args.name as string
  const read = (path: string | undefined, what: string) => (path ? readInput(path, {age: ageOptions(flags, io), stdin: io.stdin, what}) : undefined)
  const files = {ca: await read(flags.ca, 'CA certificate'), crt: await read(flags.crt, 'certificate'), key: await read(flags.key, 'key')}
  for (const warning of checkCredentials(files, io.now())) io.err(`warning: ${warning}\n`)
  const location = await locateFromFlags(flags, io)
  const replaced = await editTalosconfig(location, (config) => {
    const ctx = emptyContext()
    // Stored verbatim, as talosctl does: base64 of the file bytes.
    if (files.ca) ctx.ca = files.ca.toString('base64')
    if (files.crt) ctx.crt = files.crt.toString('base64')
    if (files.key) ctx.key = files.key.toString('base64')
    const existed = config.contexts.has(name)
    config.contexts.set(name, ctx)
    return {result: existed, save: true}
  }, {age: ageOptions(flags, io), onWarning: warningSink(io)})
  if (replaced) io.err(`replaced talosconfig context ${JSON.stringify(name)}\n`)
  return {document: {context: name, path: location.path, replaced}}
}

export default handler
