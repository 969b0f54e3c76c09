// A per-shell current context (`use-context NAME --shell`): instead of editing the shared file, a private kubeconfig
// holding only `current-context: NAME` is put in front of the KUBECONFIG list. client-go merges a KUBECONFIG list
// entry by entry, first file wins for each name and for current-context, so kubectl in that shell uses NAME while
// clusters, users and their secrets still come from the original files, uncopied. Writes kubectl makes in that
// shell go to the first existing file of the list, the private one: `kubectl config use-context` there switches
// only that shell, too.
import {randomBytes} from 'node:crypto'
import {existsSync} from 'node:fs'
import {homedir} from 'node:os'
import {basename, delimiter, dirname, isAbsolute, join, resolve} from 'node:path'

import {writeFileAtomic} from '../files/write.js'
import {AuthctlError} from '../output/errors.js'
import {didYouMean} from '../output/suggest.js'
import {loadKubeconfig} from './load.js'

export interface ShellContextOptions {
  name: string
  env: NodeJS.ProcessEnv
  cwd: string
  /** --kubeconfig: the only file chained after the private one. */
  kubeconfig?: string
}

export interface ShellContext {
  /** The private file (0600) that sets current-context. */
  file: string
  /** The KUBECONFIG value to export: the private file, then the files it chains. */
  kubeconfig: string
}

const PREFIX = 'kubeconfig-'

/** Per-user, per-boot when the system gives a runtime dir (XDG_RUNTIME_DIR), else the XDG state dir. */
export function shellStateDir(env: NodeJS.ProcessEnv): string {
  if (env.XDG_RUNTIME_DIR && isAbsolute(env.XDG_RUNTIME_DIR)) return join(env.XDG_RUNTIME_DIR, 'authctl', 'shell')
  const state = env.XDG_STATE_HOME && isAbsolute(env.XDG_STATE_HOME) ? env.XDG_STATE_HOME : join(env.HOME || homedir(), '.local', 'state')
  return join(state, 'authctl', 'shell')
}

export async function shellContext(options: ShellContextOptions): Promise<ShellContext> {
  const dir = shellStateDir(options.env)
  const ours = (path: string) => dirname(resolve(options.cwd, path)) === dir && basename(path).startsWith(PREFIX)
  // A shell that switched before keeps its one private file, rewritten; it is never chained to itself.
  const previous = (options.env.KUBECONFIG ?? '').split(delimiter).filter(Boolean)
  const env = {...options.env, KUBECONFIG: previous.filter((p) => !ours(p)).join(delimiter)}
  const config = await loadKubeconfig({allowMissingExplicit: true, env, kubeconfig: options.kubeconfig})
  if (!config.contexts.has(options.name)) {
    throw new AuthctlError(`no context exists with the name: "${options.name}"`, {code: 'NOT_FOUND', hint: didYouMean(options.name, config.contexts.keys())})
  }
  const reused = options.kubeconfig ? undefined : previous.find((p) => ours(p) && existsSync(p))
  const file = reused ?? join(dir, `${PREFIX}${randomBytes(6).toString('hex')}.yaml`)
  // JSON strings are YAML double-quoted scalars: any context name is written exactly.
  await writeFileAtomic(file, `apiVersion: v1\nkind: Config\ncurrent-context: ${JSON.stringify(options.name)}\n`, {createParents: true, force: true, mode: 0o600})
  const chained = config.located.precedence.map((p) => resolve(options.cwd, p))
  return {file, kubeconfig: [file, ...chained].join(delimiter)}
}
