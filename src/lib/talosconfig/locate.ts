// Which talosconfig a command uses (talos.md §1.2): an explicit --talosconfig path or $TALOSCONFIG, else the first
// existing of $TALOS_HOME/config (absolute TALOS_HOME only) or ~/.talos/config, and the read-only in-cluster path.
// Unlike talosctl, locating never creates an empty file, and a $TALOSCONFIG that names a missing file is never
// passed over for ~/.talos/config (talosctl's silent fall-back): an explicit path that is missing is an error for
// reads and is created by the first command that writes.
import {stat} from 'node:fs/promises'
import {homedir} from 'node:os'
import {isAbsolute, join} from 'node:path'

/** Where Talos mounts the config for pods with Talos API access. */
export const IN_CLUSTER_TALOSCONFIG = '/var/run/secrets/talos.dev/config'

export interface TalosconfigLocation {
  path: string
  /** False for the in-cluster path: talosctl refuses to write there. */
  writable: boolean
  /** How the path was chosen, for messages: flag, TALOSCONFIG, TALOS_HOME, home, in-cluster. */
  source: 'flag' | 'TALOSCONFIG' | 'TALOS_HOME' | 'home' | 'in-cluster'
}

export interface LocateOptions {
  /** The --talosconfig flag. */
  flag?: string
  env: NodeJS.ProcessEnv
  /** Overridable for tests. */
  inClusterPath?: string
  exists?: (path: string) => Promise<boolean>
}

const fileExists = (path: string) => stat(path).then(() => true, () => false)

/** The candidates in talosctl's order of priority. */
export function talosconfigCandidates(env: NodeJS.ProcessEnv, inClusterPath = IN_CLUSTER_TALOSCONFIG): TalosconfigLocation[] {
  const candidates: TalosconfigLocation[] = []
  // talosctl takes TALOSCONFIG when it is set at all; an empty value can never name a file, so it is skipped.
  if (env.TALOSCONFIG) candidates.push({path: env.TALOSCONFIG, source: 'TALOSCONFIG', writable: true})
  const talosHome = env.TALOS_HOME
  if (talosHome && isAbsolute(talosHome)) candidates.push({path: join(talosHome, 'config'), source: 'TALOS_HOME', writable: true})
  else candidates.push({path: join(env.HOME || homedir(), '.talos', 'config'), source: 'home', writable: true})
  candidates.push({path: inClusterPath, source: 'in-cluster', writable: false})
  return candidates
}

/** Whether the user named the file (--talosconfig or $TALOSCONFIG): then a missing file is an error for reads. */
export function isExplicit(location: TalosconfigLocation): boolean {
  return location.source === 'flag' || location.source === 'TALOSCONFIG'
}

export async function locateTalosconfig(options: LocateOptions): Promise<TalosconfigLocation> {
  if (options.flag) return {path: options.flag, source: 'flag', writable: true}
  const candidates = talosconfigCandidates(options.env, options.inClusterPath)
  if (candidates[0].source === 'TALOSCONFIG') return candidates[0]
  const exists = options.exists ?? fileExists
  for (const candidate of candidates) if (await exists(candidate.path)) return candidate
  // None exists: the first writable one is where a write will create it.
  return candidates.find((c) => c.writable)!
}
