// Editing kubeconfig files like client-go's ModifyConfig, without its lost updates: take the locks of every file in
// the precedence (sorted, `<file>.lock`), re-read the files under the lock, apply the edit to their YAML documents
// (comments and key order survive), and replace each changed file atomically. A changed or removed entry goes back
// to the file it came from; a new entry and current-context go to the default file.
import type {Document, YAMLMap, YAMLSeq} from 'yaml'

import {type AgeOptions, type PlannedFile, withFileLock, writeFilesAtomic} from '../files/index.js'
import {emptyKubeconfig, type Kubeconfig, type LoadOptions, mergeFile, readText, YAML_OPTIONS} from './load.js'
import {loadYaml} from '../output/yaml.js'
import {type Located, locate} from './locate.js'
import {type Append, appendToBlockYaml} from './append.js'
import {parseLeanYaml} from './lean-yaml.js'
import {relativizeBody} from './resolve.js'
import {BODY_KEY, type Body, decodeFile, type FileConfig, type Kind, KINDS, loadError} from './schema.js'

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
  /** Each file of the precedence as read under the lock (undefined: the file does not exist). */
  files: Array<{path: string; config?: FileConfig}>
  /**
   * Creates or replaces an entry; `destination` overrides where it goes (default: its origin, else the default file).
   * File paths in the body are rewritten relative to that file unless `relativize` is false (kubectl's `set`).
   */
  set(kind: Kind, name: string, body: Body, destination?: string, options?: {relativize?: boolean}): void
  /** Removes an entry from the file it came from. */
  remove(kind: Kind, name: string): void
  /** Sets current-context in `file` (default: the default file). */
  setCurrentContext(name: string, file?: string): void
  /** Replaces the preferences of `file`. */
  setPreferences(preferences: Body, file: string): void
  /** Another file (a certificate or key the kubeconfig names) written in the same all-or-nothing step. */
  writeAlongside(file: PlannedFile): void
}

type YAML = typeof import('yaml')

const NEW_FILE = {apiVersion: 'v1', clusters: [], contexts: [], 'current-context': '', kind: 'Config', preferences: {}, users: []}

type Op =
  | {type: 'set'; kind: Kind; name: string; body: Body}
  | {type: 'remove'; kind: Kind; name: string}
  | {type: 'current'; name: string}
  | {type: 'preferences'; body: Body}

interface FileState {
  before: string
  created: boolean
  /** The file's data (from the lean reader when the file is in its subset, else from the document). */
  raw: unknown
  doc?: Document
  ops: Op[]
}

// The files of one edit: read once, edits recorded as operations, and each changed file rendered at the end either
// by a text splice (only additions to a kubectl-style file) or through its YAML document.
class FileDocs {
  private readonly files = new Map<string, FileState>()
  constructor(private readonly YAML: YAML, private readonly age?: AgeOptions) {}

  private parseDoc(path: string, text: string | undefined): Document {
    const {YAML} = this
    const doc = text === undefined ? new YAML.Document(NEW_FILE) : YAML.parseDocument(text, YAML_OPTIONS)
    if (doc.errors.length > 0) throw loadError(path, `yaml: ${doc.errors[0].message.split('\n')[0]}`)
    // An empty file parses to a null document; give it the shape of a new one.
    if (doc.contents === null) doc.contents = doc.createNode(NEW_FILE) as any
    return doc
  }

  /** Reads a file's data (undefined text: the file does not exist). */
  load(path: string, text: string | undefined): unknown {
    const state: FileState = {before: text ?? '', created: text === undefined, ops: [], raw: null}
    if (text !== undefined) {
      state.raw = parseLeanYaml(text)
      if (state.raw === undefined) {
        state.doc = this.parseDoc(path, text)
        state.raw = state.doc.toJS({maxAliasCount: 1000})
      }
    }
    this.files.set(path, state)
    return state.raw
  }

  // Edits of a file outside the precedence (merge --into), kept until it is read: reading is async (it may decrypt).
  private readonly unread = new Map<string, Op[]>()

  record(path: string, op: Op): void {
    const state = this.files.get(path)
    if (state) state.ops.push(op)
    else this.unread.set(path, [...(this.unread.get(path) ?? []), op])
  }

  private spliced(state: FileState): string | undefined {
    if (state.doc || state.created) return undefined
    const raw = state.raw as Record<string, unknown> | null
    const names = new Map<Kind, Set<string>>()
    for (const kind of KINDS) {
      const list = Array.isArray(raw?.[kind]) ? (raw![kind] as Array<{name?: unknown}>) : []
      names.set(kind, new Set(list.map((e) => String(e?.name ?? ''))))
    }
    const adds: Append[] = []
    let current: string | undefined
    for (const op of state.ops) {
      if (op.type === 'remove' || op.type === 'preferences') return undefined
      if (op.type === 'current') current = op.name
      else if (names.get(op.kind)!.has(op.name)) return undefined
      else {
        names.get(op.kind)!.add(op.name)
        adds.push(op)
      }
    }
    // state.raw is the lean reader's value of this very text (no document was needed).
    return appendToBlockYaml(state.before, adds, current, state.raw)
  }

  private rendered(path: string, state: FileState): string {
    const doc = state.doc ?? this.parseDoc(path, state.created ? undefined : state.before)
    if (!this.YAML.isMap(doc.contents)) throw loadError(path, 'the document is not a map')
    for (const op of state.ops) {
      if (op.type === 'set') this.setEntry(doc, op.kind, op.name, op.body)
      else if (op.type === 'remove') this.removeEntry(doc, op.kind, op.name)
      else if (op.type === 'preferences') doc.set('preferences', doc.createNode(sortKeys(op.body)))
      else doc.set('current-context', op.name)
    }
    return doc.toString({flowCollectionPadding: false, indentSeq: false, lineWidth: 0})
  }

  async changes(): Promise<FileChange[]> {
    for (const [path, ops] of this.unread) {
      this.load(path, await readText(path, this.age))
      this.files.get(path)!.ops.push(...ops)
    }
    this.unread.clear()
    const out: FileChange[] = []
    for (const [path, state] of this.files) {
      if (state.ops.length === 0) continue
      const after = this.spliced(state) ?? this.rendered(path, state)
      if (state.created || after !== state.before) out.push({after, before: state.before, created: state.created, path})
    }
    return out
  }

  private list(doc: Document, kind: Kind): YAMLSeq {
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
  private reconcile(doc: Document, node: YAMLMap, value: Body): void {
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

  private setEntry(doc: Document, kind: Kind, name: string, body: Body): void {
    const seq = this.list(doc, kind)
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
  }

  private removeEntry(doc: Document, kind: Kind, name: string): void {
    const seq = this.list(doc, kind)
    const item = this.index(seq).get(name)
    if (item) {
      seq.items.splice(seq.items.indexOf(item), 1)
      this.index(seq).delete(name)
    }
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
  /** Told about a lock taken over from a process that no longer runs. */
  onWarning?: (message: string) => void
}

/** Runs `edit` on the effective kubeconfig under the locks and writes the files it changed. */
export async function editKubeconfig<T>(options: EditOptions, edit: (session: EditSession) => T | Promise<T>): Promise<{result: T; changes: FileChange[]}> {
  const located = locate(options)
  const YAML = await loadYaml() // before taking the lock: the import is the slow part
  return withFileLock(located.precedence, async () => {
    const files = new FileDocs(YAML, options.age)
    const alongside: PlannedFile[] = []
    const config = emptyKubeconfig()
    const read: EditSession['files'] = []
    for (const path of located.precedence) {
      const text = await readText(path, options.age)
      if (text === undefined) {
        read.push({path})
        continue
      }
      const file = decodeFile(files.load(path, text), path)
      read.push({config: file, path})
      mergeFile(config, file, path)
    }
    const session: EditSession = {
      config,
      files: read,
      located,
      remove(kind, name) {
        const entry = config[kind].get(name)
        if (!entry) return
        files.record(entry.origin, {kind, name, type: 'remove'})
        config[kind].delete(name)
      },
      set(kind, name, body, destination, {relativize = true} = {}) {
        const path = destination ?? config[kind].get(name)?.origin ?? located.defaultFile
        const written = kind === 'contexts' || !relativize ? body : relativizeBody(kind, body, path)
        files.record(path, {body: written, kind, name, type: 'set'})
        config[kind].set(name, {body, name, origin: path})
      },
      setCurrentContext(name, file = located.defaultFile) {
        files.record(file, {name, type: 'current'})
        config.currentContext = name
      },
      setPreferences(preferences, file) {
        files.record(file, {body: preferences, type: 'preferences'})
        config.preferences = preferences
      },
      writeAlongside(file) {
        alongside.push(file)
      },
    }
    const result = await edit(session)
    const changes = await files.changes()
    if (!options.dryRun) {
      await writeFilesAtomic([...changes.map((c) => ({data: c.after, path: c.path})), ...alongside], {age: options.age, createParents: true, force: true})
    }
    return {changes, result}
  }, {onWarning: options.onWarning, timeoutMs: options.lockTimeoutMs})
}
