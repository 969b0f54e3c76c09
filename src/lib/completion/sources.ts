// Where completion gets the names it offers: the effective kubeconfig and talosconfig (found as the commands find
// them, from --kubeconfig/KUBECONFIG and --talosconfig/TALOSCONFIG), the Talos authorization table and the built-in
// API discovery. Read-only and quiet: a file that cannot be read offers no names rather than an error mid-TAB.
import {BUILTIN_API} from '../api/builtin-discovery.js'
import {loadKubeconfig} from '../kubeconfig/load.js'
import {DEFAULT_TALOS_VERSION, rulesFor, TALOS_VERSIONS, type TalosVersion} from '../talos/rules.js'
import type {ValueKind, ValueReader} from './complete.js'

// Verbs RBAC rules use that no resource lists in discovery (the known resource verbs kubectl auth can-i names).
const SPECIAL_VERBS = ['approve', 'attest', 'bind', 'escalate', 'impersonate', 'sign', 'use', '*']

export function rbacVerbs(): string[] {
  const verbs = new Set<string>()
  for (const gv of BUILTIN_API) {
    for (const resource of gv.resources) {
      for (const verb of resource.verbs) verbs.add(verb)
      for (const sub of resource.subresources ?? []) for (const verb of sub.verbs) verbs.add(verb)
    }
  }
  return [...[...verbs].sort(), ...SPECIAL_VERBS.filter((v) => !verbs.has(v))]
}

/** Resource names as kubectl accepts them: plural, plural.group for named groups, and short names. */
export function rbacResources(): string[] {
  const names = new Set<string>()
  for (const gv of BUILTIN_API) {
    for (const resource of gv.resources) {
      names.add(resource.name)
      if (gv.group) names.add(`${resource.name}.${gv.group}`)
      for (const short of resource.shortNames ?? []) names.add(short)
    }
  }
  return [...names].sort()
}

/** Full method names, and the bare method names that `talos can-i` accepts because only one service has them. */
export function talosMethods(version: TalosVersion = DEFAULT_TALOS_VERSION): string[] {
  const full = rulesFor(version).map((r) => r.method)
  const bare = full.map((m) => m.slice(m.lastIndexOf('/') + 1))
  const unique = bare.filter((b, i) => bare.indexOf(b) === bare.lastIndexOf(b) && bare.indexOf(b) === i)
  return [...unique.sort(), ...full.sort()]
}

export interface SourceEnv {
  cwd: string
  env: NodeJS.ProcessEnv
}

async function kubeNames(kind: 'clusters' | 'contexts' | 'users', flags: Record<string, string>, io: SourceEnv): Promise<string[]> {
  const config = await loadKubeconfig({allowMissingExplicit: true, env: io.env, kubeconfig: flags.kubeconfig})
  return [...config[kind].keys()].sort()
}

/** The real value reader, on the files of `io`'s environment. */
export function fileValueReader(io: SourceEnv): ValueReader {
  const readers: Record<ValueKind, (flags: Record<string, string>) => Promise<string[]> | string[]> = {
    'kube-cluster': (flags) => kubeNames('clusters', flags, io),
    'kube-context': (flags) => kubeNames('contexts', flags, io),
    'kube-user': (flags) => kubeNames('users', flags, io),
    'rbac-resource': () => rbacResources(),
    'rbac-verb': () => rbacVerbs(),
    // Loaded only when asked: the talosconfig reader needs the yaml library, which kubeconfig names never do.
    'talos-context': async (flags) => (await import('./talos-contexts.js')).talosContextNames(flags, io),
    'talos-method': (flags) => {
      const version = TALOS_VERSIONS.find((v) => v === flags['talos-version'])
      return talosMethods(version)
    },
  }
  return async (kind, flags) => {
    try {
      return await readers[kind](flags)
    } catch {
      return []
    }
  }
}
