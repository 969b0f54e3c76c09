import {resolve} from 'node:path'

import type {Handler} from '../cli/handler.js'
import type Quickstart from '../commands/quickstart.js'
import {writeFilesAtomic} from '../lib/files/index.js'
import {usageError} from '../lib/output/errors.js'
import {formatTable} from '../lib/output/render.js'
import {buildSandbox} from '../lib/quickstart/index.js'
import {invocation, shellQuote} from '../lib/quickstart/invocation.js'

const quickstart: Handler<typeof Quickstart> = async ({flags}, io) => {
  const dir = resolve(io.cwd, flags.dir ?? 'authctl-quickstart')
  const server: string = flags.server ?? 'https://127.0.0.1:6443'
  if (!/^https:\/\//.test(server)) throw usageError(`--server must be an https URL: ${JSON.stringify(server)}`, 'kubectl sends credentials only over https')
  const sandbox = await buildSandbox({dir, now: io.now(), server})
  await writeFilesAtomic(sandbox.files, {createParents: true, force: Boolean(flags.force)})

  io.out(`Created a sandbox in ${dir}\n\n`)
  io.out(formatTable(['CONTEXT', 'USER', 'GROUPS', 'CREDENTIAL'], sandbox.identities.map((i) => [i.context, i.user, i.groups.join(','), i.credential])))
  // Commands that run as printed from here: authctl is not necessarily on PATH (a checkout, npx).
  const authctl = invocation({cwd: io.cwd, env: io.env, script: process.argv[1] ?? 'authctl'})
  io.out(`
Next:
  ${authctl} serve --config ${shellQuote(sandbox.serverConfig)}
  export KUBECONFIG=${shellQuote(sandbox.kubeconfig)}
  ${authctl} auth whoami --context jane
  ${authctl} auth can-i list pods --context jane
  ${authctl} talosconfig info --talosconfig ${shellQuote(sandbox.talosconfig)} --context operator
`)
  return {
    document: {
      dir,
      files: sandbox.files.map((f) => f.path),
      identities: sandbox.identities,
      kubeconfig: sandbox.kubeconfig,
      policy: sandbox.policy,
      serverConfig: sandbox.serverConfig,
      talosconfig: sandbox.talosconfig,
    },
  }
}

export default quickstart
