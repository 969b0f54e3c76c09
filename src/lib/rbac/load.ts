// Reading RBAC manifests: multi-document YAML (or JSON), `kind: List` wrappers, a file or a directory of files.
// Objects of other kinds are skipped with a warning so a whole app manifest can be pointed at.
import {readdir, readFile, stat} from 'node:fs/promises'
import {join} from 'node:path'

import {parseLeanYaml} from '../kubeconfig/lean-yaml.js'
import {AuthctlError} from '../output/errors.js'
import {loadYaml} from '../output/yaml.js'
import type {RbacObject} from '../api/rbac.js'

const RBAC_KINDS = new Set(['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'])

export interface LoadedPolicy {
  objects: RbacObject[]
  warnings: string[]
}

function invalid(where: string, message: string): AuthctlError {
  return new AuthctlError(`${where}: ${message}`, {code: 'INVALID_POLICY'})
}

function validate(object: any, where: string): RbacObject {
  const name = object?.metadata?.name
  if (typeof name !== 'string' || !name) throw invalid(where, `${object.kind} without metadata.name`)
  const label = `${object.kind} ${JSON.stringify(name)}`
  const namespaced = object.kind === 'Role' || object.kind === 'RoleBinding'
  if (namespaced && !object.metadata.namespace) object = {...object, metadata: {...object.metadata, namespace: 'default'}}
  if (!namespaced && object.metadata.namespace) object = {...object, metadata: {...object.metadata, namespace: undefined}}
  if (object.kind === 'Role' || object.kind === 'ClusterRole') {
    const rules = object.rules ?? []
    if (!Array.isArray(rules)) throw invalid(where, `${label}: rules must be a list`)
    for (const rule of rules) {
      if (!Array.isArray(rule?.verbs) || rule.verbs.length === 0) throw invalid(where, `${label}: every rule needs verbs`)
      if (rule.nonResourceURLs?.length && object.kind === 'Role') throw invalid(where, `${label}: nonResourceURLs are not allowed in a Role`)
    }
    return {...object, rules}
  }
  const ref = object.roleRef
  if (!ref?.name || !ref?.kind) throw invalid(where, `${label}: roleRef needs kind and name`)
  for (const s of object.subjects ?? []) {
    if (!s?.kind || !s?.name) throw invalid(where, `${label}: every subject needs kind and name`)
  }
  return object
}

/** The RBAC objects among parsed manifest values (Lists flattened); other kinds are skipped with a warning. */
export function policyFromValues(values: unknown[], where: string): LoadedPolicy {
  const objects: RbacObject[] = []
  const warnings: string[] = []
  const add = (object: any) => {
    if (object === null || object === undefined) return
    if (typeof object !== 'object' || Array.isArray(object)) throw invalid(where, 'expected a Kubernetes object')
    if (object.kind === 'List' || (typeof object.kind === 'string' && object.kind.endsWith('List') && Array.isArray(object.items))) {
      for (const item of object.items ?? []) add(item)
      return
    }
    if (!RBAC_KINDS.has(object.kind)) {
      warnings.push(`${where}: skipping ${object.kind ?? 'object without kind'} ${JSON.stringify(object.metadata?.name ?? '')}`)
      return
    }
    objects.push(validate(object, where))
  }
  for (const value of values) add(value)
  return {objects, warnings}
}

/** Parses one manifest text (YAML or JSON, several documents allowed). */
export async function parsePolicy(text: string, where = 'policy'): Promise<LoadedPolicy> {
  const objects: RbacObject[] = []
  const warnings: string[] = []
  // Document by document, so an invalid object is reported before a later document's syntax error.
  const add = (value: unknown) => {
    const loaded = policyFromValues([value], where)
    objects.push(...loaded.objects)
    warnings.push(...loaded.warnings)
  }
  // A single JSON document (`kubectl get ... -o json`) parses natively, some 40× faster than through the YAML composer
  // on large dumps; anything JSON.parse rejects goes the YAML way, which yields the same objects for valid JSON.
  if (/^\s*[{[]/.test(text)) {
    let value: unknown
    try {
      value = JSON.parse(text)
    } catch {
      value = undefined
    }
    if (value !== undefined) {
      add(value)
      return {objects, warnings}
    }
  }
  // Block-style YAML as kubectl writes it goes through the kubeconfig reader's strict subset parser, ~15× faster on
  // large dumps; if any document is outside the subset the whole text goes to the yaml library, so nothing is guessed.
  const lean = text.split(/^---[ \t]*\r?$/m).map(parseLeanYaml)
  if (!lean.includes(undefined)) {
    for (const value of lean) add(value)
    return {objects, warnings}
  }
  const {parseAllDocuments} = await loadYaml()
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length) throw invalid(where, doc.errors[0].message.split('\n')[0])
    add(doc.toJS())
  }
  return {objects, warnings}
}

/** Loads a file, or every *.yaml/*.yml/*.json file in a directory (sorted by name). */
export async function loadPolicy(path: string): Promise<LoadedPolicy> {
  let files: string[]
  try {
    const info = await stat(path)
    files = info.isDirectory()
      ? (await readdir(path)).filter((f) => /\.(ya?ml|json)$/.test(f)).sort().map((f) => join(path, f))
      : [path]
  } catch (error) {
    throw new AuthctlError(`cannot read policy ${JSON.stringify(path)}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (error as Error).message}`, {code: 'FILE'})
  }
  const result: LoadedPolicy = {objects: [], warnings: []}
  for (const file of files) {
    const {objects, warnings} = await parsePolicy(await readFile(file, 'utf8'), file)
    result.objects.push(...objects)
    result.warnings.push(...warnings)
  }
  return result
}
