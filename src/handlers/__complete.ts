// Runs on every TAB, so it reads two small things: the build's slim manifest (dist/lean/manifest.json: command, flag
// and argument names, no help text) and, only when the word under the cursor is such a name, the kubeconfig or
// talosconfig.
import {readFileSync, realpathSync} from 'node:fs'
import {dirname, join} from 'node:path'

import type {Handler} from '../cli/handler.js'
import type Complete from '../commands/__complete.js'
import {complete, type CompletionManifest} from '../lib/completion/complete.js'
import {completionAnswer} from '../lib/completion/scripts.js'
import {fileValueReader} from '../lib/completion/sources.js'

/** The slim manifest of the package whose bin/ script started this process (npm links bin/ into PATH). */
function manifestPath(): string {
  return join(dirname(realpathSync(process.argv[1])), '..', 'dist', 'lean', 'manifest.json')
}

const handler: Handler<typeof Complete> = async ({argv}, io) => {
  let manifest: CompletionManifest
  try {
    manifest = JSON.parse(readFileSync(manifestPath(), 'utf8'))
  } catch {
    manifest = {commands: {}}
  }
  const {candidates, files} = await complete(manifest, argv, fileValueReader(io))
  io.out(completionAnswer(candidates, files))
}

export default handler
