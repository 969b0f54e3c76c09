// Editing kubeconfig files like client-go's ModifyConfig, without its lost updates: take the locks of every file in
// the precedence (sorted, `<file>.lock`), re-read the files under the lock, apply the edit to their YAML documents
// (comments and key order survive), and replace each changed file atomically. A changed or removed entry goes back
// to the file it came from; a new entry and current-context go to the default file.
import type {Document, YAMLMap, YAMLSeq} from 'yaml'

import {withFileLock, writeFileAtomic} from '../files/index.js'
import {emptyKubeconfig, type Kubeconfig, type LoadOptions, mergeFile, readText, YAML_OPTIONS, yamlLib} from './load.js'
import {type Located, locate} from './locate.js'
import {relativizeBody} from './resolve.js'
import {BODY_KEY, type Body, decodeFile, type Kind, loadError} from './schema.js'

export interface FileChange {
  path: string
  before: string
  after: string
  created: boolean
}

export interface EditSession {
  /** The merged config as read under the lock. */
  config: Kubeconfig
  located: Located
  /** Creates or replaces an entry; `destination` overrides where it goes (default: its origin, else the default file). */
  set(kind: Kind, name: string, body: Body, destination?: string): void
  /** Removes an entry from the file it came from. */
  remove(kind: Kind, name: string): void
  /** Sets current-context in `file` (default: the default file). */
  setCurrentContext(name: string, file?: string): void
}

type YAML = typeof import('yaml')

const NEW_FILE = {apiVersion: 'v1', clusters: [], contexts: [], 'current-context': '', kind: 'Config', preferences: {}, users: []}

class FileDocs {
  readonly docs = new Map<string, {doc: Document; before: string; created: boolean}>()
  readonly dirty = new Set<string>()
  constructor(private readonly YAML: YAML) {}

  load(path: string, text: string | undefined): Document {
    const {YAML} = this
    const doc = text === undefined ? new YAML.Document(NEW_FILE) : YAML.parseDocument(text, YAML_OPTIONS)
    if (doc.errors.length > 0) throw loadError(path, `yaml: ${doc.errors[0].message.split('\n')[0]}`)
    // An empty file parses to a null document; give it the shape of a new one.
    if (!this.YAML.isMap(doc.contents)) {
      if (doc.contents !== null && text !== undefined && text.trim() !== '') return doc
      doc.contents = doc.createNode(NEW_FILE) as any
    }
    this.docs.set(path, {before: text ?? '', created: text === undefined, doc})
    return doc
  }

  get(path: string): Document {
    const found = this.docs.get(path)
    if (found) return found.doc
    return this.load(path, readText(path))
  }

  list(path: string, kind: Kind): YAMLSeq {
    const doc = this.get(path)
    const seq = doc.get(kind, true)
    if (this.YAML.isSeq(seq)) return seq
    const created = doc.createNode([]) as YAMLSeq
    created.flow = false
    doc.set(kind, created)
    return created
  }

  // Items by name per list, built once: a merge of thousands of entries must not scan the list for each one.
  private readonly indexes = new Map<YAMLSeq, Map<string, YAMLMap>>()

  private index(seq: YAMLSeq): Map<string, YAMLMap> {
    let index = this.indexes.get(seq)
    if (!index) {
      index = new Map()
      for (const item of seq.items) {
        if (!this.YAML.isMap(item)) continue
        const name = String(item.get('name') ?? '')
        if (!index.has(name)) index.set(name, item)
      }
      this.indexes.set(seq, index)
    }
    return index
  }

  /** Rewrites `node` to hold `value`, keeping the nodes (and their comments) of keys whose value did not change. */
  reconcile(doc: Document, node: YAMLMap, value: Body): void {
    const {YAML} = this
    for (const pair of [...node.items]) {
      const key = String(YAML.isScalar(pair.key) ? pair.key.value : pair.key)
      if (!(key in value)) node.delete(pair.key)
    }
    for (const [key, v] of Object.entries(value)) {
      const current = node.get(key, true)
      if (YAML.isMap(current) && v !== null && typeof v === 'object' && !Array.isArray(v)) this.reconcile(doc, current, v)
      else if (!(YAML.isNode(current) && JSON.stringify(current.toJSON()) === JSON.stringify(v))) {
        node.set(key, doc.createNode(v))
      }
    }
  }

  setEntry(path: string, kind: Kind, name: string, body: Body): void {
    const doc = this.get(path)
    const seq = this.list(path, kind)
    const existing = this.index(seq).get(name)
    const bodyKey = BODY_KEY[kind]
    if (!existing) {
      // Follow the file's own style for where `name` goes (kubectl sorts it after the body; people put it first).
        const first = seq.items[0]
      const nameFirst = this.YAML.isMap(first) && this.YAML.isScalar(first.items[0]?.key) && first.items[0].key.value === 'name'
      const item = nameFirst ? {name, [bodyKey]: sortKeys(body)} : sortKeys({[bodyKey]: body, name})
      const node = doc.createNode(item) as YAMLMap
      seq.items.push(node)
      this.index(seq).set(name, node)
    } else {
      const current = existing.get(bodyKey, true)
      if (this.YAML.isMap(current)) this.reconcile(doc, current, body)
      else existing.set(bodyKey, doc.createNode(sortKeys(body)))
    }
    this.dirty.add(path)
  }

  removeEntry(path: string, kind: Kind, name: string): void {
    const seq = this.list(path, kind)
    const item = this.index(seq).get(name)
    if (item) {
      seq.items.splice(seq.items.indexOf(item), 1)
      this.index(seq).delete(name)
    }
    this.dirty.add(path)
  }

  setCurrent(path: string, name: string): void {
    this.get(path).set('current-context', name)
    this.dirty.add(path)
  }

  changes(): FileChange[] {
    return [...this.dirty].map((path) => {
      const {before, created, doc} = this.docs.get(path)!
      return {after: doc.toString({flowCollectionPadding: false, indentSeq: false, lineWidth: 0}), before, created, path}
    }).filter((c) => c.created || c.after !== c.before)
  }
}

function sortKeys(value: Body): Body {
  const out: Body = {}
  for (const key of Object.keys(value).sort()) {
    const v = value[key]
    out[key] = v !== null && typeof v === 'object' && !Array.isArray(v) ? sortKeys(v) : v
  }
  return out
}

export interface EditOptions extends LoadOptions {
  /** Compute the changes but write nothing. */
  dryRun?: boolean
  /** Lock wait limit (default 10 s). */
  lockTimeoutMs?: number
}

/** Runs `edit` on the effective kubeconfig under the locks and writes the files it changed. */
export async function editKubeconfig<T>(options: EditOptions, edit: (session: EditSession) => T | Promise<T>): Promise<{result: T; changes: FileChange[]}> {
  const located = locate(options)
  const YAML = await yamlLib() // before taking the lock: the import is the slow part
  return withFileLock(located.precedence, async () => {
    const files = new FileDocs(YAML)
    const config = emptyKubeconfig()
    for (const path of located.precedence) {
      const text = readText(path)
      if (text === undefined) continue
      const doc = files.load(path, text)
      mergeFile(config, decodeFile(doc.toJS({maxAliasCount: 1000}), path), path)
    }
    const session: EditSession = {
      config,
      located,
      remove(kind, name) {
        const entry = config[kind].get(name)
        if (!entry) return
        files.removeEntry(entry.origin, kind, name)
        config[kind].delete(name)
      },
      set(kind, name, body, destination) {
        const path = destination ?? config[kind].get(name)?.origin ?? located.defaultFile
        const written = kind === 'contexts' ? body : relativizeBody(kind, body, path)
        files.setEntry(path, kind, name, written)
        config[kind].set(name, {body, name, origin: path})
      },
      setCurrentContext(name, file = located.defaultFile) {
        files.setCurrent(file, name)
        config.currentContext = name
      },
    }
    const result = await edit(session)
    const changes = files.changes()
    if (!options.dryRun) for (const change of changes) await writeFileAtomic(change.path, change.after, {force: true})
    return {changes, result}
  }, {timeoutMs: options.lockTimeoutMs})
}
