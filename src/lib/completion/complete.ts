// What a shell should offer at the cursor: given the manifest (commands, args, flags: the oclif one or the build's
// slim copy) and the words typed after the program name, the last of them being the word under the cursor ('' after
// a space). Pure: names that live in files (contexts, clusters, users) come from the `values` reader, which is told
// the flags typed so far so it can honour --kubeconfig / --talosconfig exactly as the command will.

export interface CompletionFlag {
  name: string
  char?: string
  type: 'boolean' | 'option'
  options?: string[]
  allowNo?: boolean
}

export interface CompletionCommand {
  id: string
  aliases?: string[]
  hidden?: boolean
  /** false: takes any number of arguments (files, mostly). */
  strict?: boolean
  args: Record<string, {name: string; options?: string[]}>
  flags: Record<string, CompletionFlag>
}

export interface CompletionManifest {
  commands: Record<string, CompletionCommand>
}

/** Kinds of names the completer can look up. */
export type ValueKind = 'kube-context' | 'kube-cluster' | 'kube-user' | 'talos-context' | 'talos-method' | 'rbac-verb' | 'rbac-resource'

/** Looks names of one kind up; `flags` are the option flags typed so far (--kubeconfig, --talosconfig, …). */
export type ValueReader = (kind: ValueKind, flags: Record<string, string>) => Promise<string[]>

export interface Completion {
  /** Words that start with the word under the cursor, in the order to show them. */
  candidates: string[]
  /** When there are no candidates, whether the shell should offer file names instead. */
  files: boolean
}

// Positional arguments that name something the completer can list, per command (args with `options` need no entry).
const ARG_KINDS: Record<string, Record<string, ValueKind>> = {
  'auth:can-i': {type: 'rbac-resource', verb: 'rbac-verb'},
  'auth:explain': {type: 'rbac-resource', verb: 'rbac-verb'},
  'kubeconfig:delete-cluster': {name: 'kube-cluster'},
  'kubeconfig:delete-context': {name: 'kube-context'},
  'kubeconfig:delete-user': {name: 'kube-user'},
  'kubeconfig:get-contexts': {names: 'kube-context'},
  'kubeconfig:rename-context': {old: 'kube-context'},
  'kubeconfig:set-cluster': {name: 'kube-cluster'},
  'kubeconfig:set-context': {name: 'kube-context'},
  'kubeconfig:set-credentials': {name: 'kube-user'},
  'kubeconfig:use-context': {name: 'kube-context'},
  'rbac:can-i': {type: 'rbac-resource', verb: 'rbac-verb'},
  'rbac:explain': {type: 'rbac-resource', verb: 'rbac-verb'},
  'rbac:who-can': {type: 'rbac-resource', verb: 'rbac-verb'},
  'talos:can-i': {method: 'talos-method'},
  'talosconfig:context': {name: 'talos-context'},
  'talosconfig:remove': {pattern: 'talos-context'},
}

// Arguments that take any number of values (the rest of the command line).
const VARIADIC: Record<string, string> = {'kubeconfig:get-contexts': 'names'}

// Commands whose name flags name something new: the entries `kubeconfig new` and `talosconfig new` write.
const NEW_NAMES = new Set(['kubeconfig:new', 'talosconfig:new'])

/** The kind of value a flag takes in a command, when it is a name the completer can list. */
function flagKind(id: string, flag: string): ValueKind | undefined {
  const topic = id.split(':')[0]
  // pki --user is a certificate's user name (its CN), not a kubeconfig entry.
  if (NEW_NAMES.has(id) || topic === 'pki') return undefined
  const talos = topic === 'talos' || topic === 'talosconfig'
  if (flag === 'context') return talos ? 'talos-context' : 'kube-context'
  if (talos) return undefined
  if (flag === 'cluster') return 'kube-cluster'
  if (flag === 'user') return 'kube-user'
  if (flag === 'verb') return 'rbac-verb'
  if (flag === 'resource') return 'rbac-resource'
  return undefined
}

// Hidden commands: marked so in the oclif manifest; the slim one has no such mark, and the only one is `__complete`.
const visible = (manifest: CompletionManifest) => Object.values(manifest.commands).filter((c) => !c.hidden && !c.id.startsWith('__'))

/** The command the words name (longest id or alias first) and how many words it took. */
function findCommand(manifest: CompletionManifest, words: string[]): {command: CompletionCommand; used: number} | undefined {
  const names: string[] = []
  for (const word of words) {
    if (word.startsWith('-')) break
    names.push(word)
  }
  for (let n = names.length; n > 0; n--) {
    const id = names.slice(0, n).join(':')
    const command = manifest.commands[id] ?? visible(manifest).find((c) => (c.aliases ?? []).includes(id))
    if (command) return {command, used: n}
  }
  return undefined
}

/** Names of the topics and commands that follow `path` (['kubeconfig'] → use-context, view, …). */
function nextNames(manifest: CompletionManifest, path: string[]): string[] {
  const names = new Set<string>()
  for (const command of visible(manifest)) {
    const parts = command.id.split(':')
    if (parts.length > path.length && path.every((p, i) => parts[i] === p)) names.add(parts[path.length])
  }
  return [...names].sort()
}

const startingWith = (prefix: string, words: Iterable<string>) => [...new Set(words)].filter((w) => w.startsWith(prefix))

interface Parsed {
  /** Option flags typed before the cursor, by long name (the last value wins). */
  flags: Record<string, string>
  positionals: string[]
  /** The flag whose value is under the cursor (`--context <TAB>`). */
  pending?: CompletionFlag
}

function parseTyped(command: CompletionCommand, words: string[]): Parsed {
  const byName = new Map<string, CompletionFlag>()
  for (const flag of Object.values(command.flags)) {
    byName.set(`--${flag.name}`, flag)
    if (flag.char) byName.set(`-${flag.char}`, flag)
  }
  const parsed: Parsed = {flags: {}, positionals: []}
  for (let i = 0; i < words.length; i++) {
    const word = words[i]
    const eq = word.indexOf('=')
    if (word.startsWith('-') && eq > 0) {
      const flag = byName.get(word.slice(0, eq))
      if (flag) parsed.flags[flag.name] = word.slice(eq + 1)
      continue
    }
    const flag = byName.get(word)
    if (flag?.type === 'option') {
      if (i + 1 === words.length) parsed.pending = flag
      else parsed.flags[flag.name] = words[++i]
    } else if (!word.startsWith('-')) parsed.positionals.push(word)
  }
  return parsed
}

async function valuesFor(
  kind: ValueKind | undefined,
  options: string[] | undefined,
  flags: Record<string, string>,
  read: ValueReader,
): Promise<{values: string[]; files: boolean}> {
  if (options) return {files: false, values: options}
  if (kind) return {files: false, values: await read(kind, flags)}
  return {files: true, values: []}
}

/** Candidates for the last of `words` (the words after the program name). */
export async function complete(manifest: CompletionManifest, words: string[], read: ValueReader): Promise<Completion> {
  const typed = words.length > 0 ? words.slice(0, -1) : []
  const current = words.at(-1) ?? ''
  const found = findCommand(manifest, typed)
  if (!found) {
    // Still choosing a topic or command: only when every typed word so far names a topic.
    if (typed.some((w) => w.startsWith('-'))) return {candidates: [], files: false}
    return {candidates: startingWith(current, nextNames(manifest, typed)), files: false}
  }
  const {command, used} = found
  const parsed = parseTyped(command, typed.slice(used))

  if (parsed.pending) {
    const flag = parsed.pending
    const {files, values} = await valuesFor(flagKind(command.id, flag.name), flag.options, parsed.flags, read)
    return {candidates: startingWith(current, values), files}
  }
  if (current.startsWith('-')) {
    const eq = current.indexOf('=')
    if (eq > 0) {
      const name = current.slice(2, eq)
      const flag = command.flags[name]
      if (!flag || flag.type !== 'option') return {candidates: [], files: false}
      const {files, values} = await valuesFor(flagKind(command.id, name), flag.options, parsed.flags, read)
      return {candidates: startingWith(current, values.map((v) => `${current.slice(0, eq + 1)}${v}`)), files}
    }
    const flagNames = Object.values(command.flags).flatMap((f) => [`--${f.name}`, ...(f.allowNo ? [`--no-${f.name}`] : [])])
    return {candidates: startingWith(current, flagNames.sort()), files: false}
  }
  // A positional: the arg at this index (a variadic last arg takes all the rest).
  const args = Object.values(command.args)
  const index = parsed.positionals.length
  const arg = args[index] ?? (VARIADIC[command.id] && args.at(-1)?.name === VARIADIC[command.id] ? args.at(-1) : undefined)
  if (!arg) {
    // No more arguments (flags are offered once a dash is typed, as kubectl does), unless it takes any number.
    return {candidates: [], files: command.strict === false}
  }
  const already = new Set(parsed.positionals)
  const {files, values} = await valuesFor(ARG_KINDS[command.id]?.[arg.name], arg.options, parsed.flags, read)
  const fresh = VARIADIC[command.id] === arg.name ? values.filter((v) => !already.has(v)) : values
  return {candidates: startingWith(current, fresh), files}
}
