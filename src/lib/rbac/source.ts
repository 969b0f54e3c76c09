// Where the offline `rbac` commands read policy from: files, directories and `-` (stdin), optionally on top of
// kube-apiserver's bootstrap policy so the answers match a fresh cluster's (and `authctl serve`'s).
import {bootstrapPolicy} from './bootstrap.js'
import {loadPolicy, parsePolicy} from './load.js'
import {buildPolicyStore, type PolicyStore} from './store.js'
import type {RbacObject} from './types.js'

export interface PolicySources {
  paths: string[]
  bootstrap: boolean
  readStdin: () => Promise<string>
}

export async function loadPolicySources({bootstrap, paths, readStdin}: PolicySources): Promise<{store: PolicyStore; warnings: string[]; objects: number}> {
  const objects: RbacObject[] = bootstrap ? bootstrapPolicy() : []
  const warnings: string[] = []
  for (const path of paths) {
    const loaded = path === '-' ? await parsePolicy(await readStdin(), '<stdin>') : await loadPolicy(path)
    objects.push(...loaded.objects)
    warnings.push(...loaded.warnings)
  }
  return {objects: objects.length, store: buildPolicyStore(objects), warnings}
}
