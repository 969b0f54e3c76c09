// Where policy comes from, for the offline `rbac` commands and `authctl serve`: files, directories and `-` (stdin), optionally on top of
// kube-apiserver's bootstrap policy so the answers match a fresh cluster's (and `authctl serve`'s).
import {bootstrapPolicy} from './bootstrap.js'
import {loadPolicy, parsePolicy} from './load.js'
import {buildPolicyStore, type PolicyStore} from './store.js'
import type {RbacObject} from '../api/rbac.js'

export interface PolicySources {
  paths: string[]
  bootstrap: boolean
  /** RBAC objects given in-process, after the bootstrap policy and before the files. */
  objects?: RbacObject[]
  /** How `-` is read; without it, `-` is a file name. */
  readStdin?: () => Promise<string>
  /** Called with each file's warnings as soon as it is read. */
  onWarning?: (warning: string) => void
}

export async function loadPolicySources(sources: PolicySources): Promise<{store: PolicyStore; warnings: string[]; objects: number}> {
  const objects: RbacObject[] = sources.bootstrap ? bootstrapPolicy() : []
  objects.push(...(sources.objects ?? []))
  const warnings: string[] = []
  for (const path of sources.paths) {
    const loaded = path === '-' && sources.readStdin ? await parsePolicy(await sources.readStdin(), '<stdin>') : await loadPolicy(path)
    objects.push(...loaded.objects)
    warnings.push(...loaded.warnings)
    for (const warning of loaded.warnings) sources.onWarning?.(warning)
  }
  return {objects: objects.length, store: buildPolicyStore(objects), warnings}
}
