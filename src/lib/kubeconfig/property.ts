// kubectl config set / unset PROPERTY_NAME: a dot-separated path through client-go's in-memory Config (its json
// names: `users.jane.act-as`, not the file's `as`), where map keys may themselves contain dots (`clusters.10.0.0.1.server`:
// the key runs until the next part that names a field of the entry). Parsing, walking and the messages follow
// kubectl's navigation_step_parser.go and set.go; where kubectl prints a Go pointer, authctl prints 0x… . The edit
// then reaches the files as kubectl's ModifyConfig(…, relativizePaths=false) writes it: changed entries back to the
// file they came from, new ones to the default file, current-context and preferences by their own rules.
import {quote as goQuote} from '../go/quote.js'
import {AuthctlError} from '../output/errors.js'
import {type CommandContext, type EditResult, runEdit} from './commands.js'
import type {EditSession} from './edit-session.js'
import {type Body, decodeBody, jsonEqual, type Kind, KINDS} from './schema.js'

type GoType =
  | {kind: 'struct'; name: string; fields: Field[]}
  | {kind: 'entries'; name: string; of: Kind; elem: GoType & {kind: 'struct'}}
  | {kind: 'map'; name: string; values: 'strings' | 'objects'}
  | {kind: 'string' | 'bool' | 'bytes' | 'strings' | 'pointer'; name: string}

interface Field {
  json: string
  type: GoType
  /** The key in the v1 file form, when it differs from the in-memory json name. */
  key?: string
}

const STRING: GoType = {kind: 'string', name: 'string'}
const BOOL: GoType = {kind: 'bool', name: 'bool'}
const BYTES: GoType = {kind: 'bytes', name: '[]uint8'}
const EXTENSIONS: Field = {json: 'extensions', type: {kind: 'map', name: 'map[string]runtime.Object', values: 'objects'}}
const struct = (name: string, fields: Array<[string, GoType, string?]>): GoType & {kind: 'struct'} =>
  ({fields: [...fields.map(([json, type, key]) => ({json, key, type})), EXTENSIONS], kind: 'struct', name})

const CLUSTER = struct('api.Cluster', [
  ['server', STRING], ['tls-server-name', STRING], ['insecure-skip-tls-verify', BOOL], ['certificate-authority', STRING],
  ['certificate-authority-data', BYTES], ['proxy-url', STRING], ['disable-compression', BOOL],
])
const AUTH_INFO = struct('api.AuthInfo', [
  ['client-certificate', STRING], ['client-certificate-data', BYTES], ['client-key', STRING], ['client-key-data', BYTES],
  ['token', STRING], ['tokenFile', STRING], ['act-as', STRING, 'as'], ['act-as-uid', STRING, 'as-uid'],
  ['act-as-groups', {kind: 'strings', name: '[]string'}, 'as-groups'],
  ['act-as-user-extra', {kind: 'map', name: 'map[string][]string', values: 'strings'}, 'as-user-extra'],
  ['username', STRING], ['password', STRING],
  ['auth-provider', {kind: 'pointer', name: '*api.AuthProviderConfig'}], ['exec', {kind: 'pointer', name: '*api.ExecConfig'}],
])
const CONTEXT = struct('api.Context', [['cluster', STRING], ['user', STRING], ['namespace', STRING]])
const PREFERENCES = struct('api.Preferences', [['colors', BOOL]])
const CONFIG: GoType = {
  fields: [
    {json: 'kind', type: STRING},
    {json: 'apiVersion', type: STRING},
    {json: 'preferences', type: PREFERENCES},
    {json: 'clusters', type: {elem: CLUSTER, kind: 'entries', name: 'map[string]*api.Cluster', of: 'clusters'}},
    {json: 'users', type: {elem: AUTH_INFO, kind: 'entries', name: 'map[string]*api.AuthInfo', of: 'users'}},
    {json: 'contexts', type: {elem: CONTEXT, kind: 'entries', name: 'map[string]*api.Context', of: 'contexts'}},
    {json: 'current-context', type: STRING},
    EXTENSIONS,
  ],
  kind: 'struct',
  name: 'api.Config',
}

interface Step {
  value: string
  type: GoType
}

const fail = (message: string) => new AuthctlError(message, {code: 'PROPERTY'})
const showSteps = (steps: Step[]) => `[${steps.map((s) => `{${s.value} 0x…}`).join(' ')}]`

/** kubectl's newNavigationSteps: the path split into field names and (possibly dotted) map keys. */
function parseSteps(path: string): Step[] {
  const parts = path.split('.')
  const steps: Step[] = []
  let type = CONFIG
  for (let i = 0; i < parts.length; ) {
    if (type.kind === 'entries' || type.kind === 'map') {
      // client-go cannot look inside a map of string lists or of runtime.Object (kubectl crashes on the latter).
      if (type.kind === 'map') throw fail(type.values === 'strings' ? 'string is not of type struct' : `unable to parse one or more field values of ${path}`)
      const names = new Set(type.elem.fields.map((f) => f.json))
      const rest = parts.slice(i)
      const known = rest.slice(1).findIndex((p) => names.has(p))
      const key = rest.slice(0, known === -1 ? rest.length : known + 1).join('.')
      steps.push({type: type.elem, value: key})
      i += key.split('.').length
      type = type.elem
    } else if (type.kind === 'struct') {
      const field = type.fields.find((f) => f.json === parts[i])
      if (!field) throw fail(`unable to parse ${path} after ${showSteps(steps)} at ${type.name}`)
      steps.push({type: field.type, value: parts[i]})
      i++
      type = field.type
    } else throw fail(`unable to parse one or more field values of ${path}`)
  }
  return steps
}

/** Go's base64.StdEncoding.DecodeString: the offset of the first bad byte, as its error reports it. */
function goBase64Error(text: string): number | undefined {
  const src = Buffer.from(text)
  const valid = (c: number) => /[A-Za-z0-9+/]/.test(String.fromCharCode(c))
  const newline = (c: number) => c === 0x0a || c === 0x0d
  let si = 0
  for (;;) {
    for (let j = 0; j < 4; j++) {
      if (si === src.length) return j === 0 ? undefined : si - j
      const c = src[si++]
      if (valid(c)) continue
      if (newline(c)) {
        j--
        continue
      }
      if (c !== 0x3d || j < 2) return si - 1
      if (j === 2) {
        while (si < src.length && newline(src[si])) si++
        if (si === src.length) return src.length
        if (src[si] !== 0x3d) return si - 1
        si++
      }
      while (si < src.length && newline(src[si])) si++
      return si < src.length ? si : undefined
    }
  }
}

function goBool(value: string): boolean {
  if (value === '') return false
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) return true
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) return false
  throw fail(`strconv.ParseBool: parsing ${goQuote(value)}: invalid syntax`)
}

/** The in-memory config kubectl edits: entry bodies copied so the edit can be compared with the start. */
interface Model {
  preferences: Body
  clusters: Map<string, Body>
  users: Map<string, Body>
  contexts: Map<string, Body>
  'current-context': string
}

interface Edit {
  steps: Step[]
  value: string
  unset: boolean
  rawBytes: boolean
}

/** %v of a map kubectl refuses to set: pointer values as 0x…, string lists as [a b]. */
function showMap(value: Map<string, Body> | Body | undefined, type: GoType): string {
  // An entry's extensions are a list of {name, extension} in the file form, a map by name in client-go's.
  const entries = value instanceof Map ? [...value.keys()].map((k) => [k, null] as const)
    : Array.isArray(value) ? value.map((e) => [String((e as Body).name), null] as const)
    : Object.entries(value ?? {})
  const shown = entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}:${type.kind === 'map' && type.values === 'strings' ? `[${(v as string[]).join(' ')}]` : '0x…'}`)
  return `map[${shown.join(' ')}]`
}

// set.go's modifyConfig over the model. `at` is the step that selects inside the current value: a field name in a
// struct, a key in a map; `holder[key]` holds the current value.
function modify(holder: Record<string, any>, key: string, type: GoType, at: number, edit: Edit, path: string): void {
  const next = Math.min(at + 1, edit.steps.length)
  const more = next < edit.steps.length
  switch (type.kind) {
    case 'entries':
    case 'map': {
      if (!more && !edit.unset) throw fail(`can't set a map to a value: ${showMap(holder[key], type)}`)
      // Only maps of entries are reached with steps left (the path parser refuses the others).
      const entries = holder[key] as Map<string, Body>
      const name = edit.steps[at].value
      if (!more) {
        entries.delete(name)
        return
      }
      if (!entries.has(name)) {
        if (edit.unset) throw fail(`current map key \`${name}\` is invalid`)
        entries.set(name, decodeBody((type as {of: Kind}).of, {}))
      }
      return modifyStruct(entries.get(name)!, (type as {elem: GoType & {kind: 'struct'}}).elem, next, edit, path)
    }
    case 'string':
      holder[key] = edit.value
      return
    case 'strings':
      throw fail('unrecognized slice type. string')
    case 'bytes': {
      if (edit.rawBytes) holder[key] = Buffer.from(edit.value).toString('base64')
      else {
        const bad = goBase64Error(edit.value)
        if (bad !== undefined) throw fail(`error decoding input value: illegal base64 data at input byte ${bad}`)
        holder[key] = Buffer.from(edit.value.replace(/[\r\n]/g, ''), 'base64').toString('base64')
      }
      return
    }
    case 'bool':
      holder[key] = goBool(edit.value)
      return
    case 'pointer':
      // kubectl crashes here (panic: unrecognized type); these structures are written with set-credentials.
      throw fail(`unable to set ${path}: ${edit.steps[at - 1]?.value ?? key} is a structure, set its fields with set-credentials`)
    case 'struct':
      return modifyStruct(holder[key], type, at, edit, path)
  }
}

function modifyStruct(body: Record<string, any>, type: GoType & {kind: 'struct'}, at: number, edit: Edit, path: string): void {
  const step = edit.steps[at]
  const field = step && type.fields.find((f) => f.json === step.value)
  if (!field) {
    const shown = type === PREFERENCES ? `{${Boolean(body?.colors)} map[]}` : '{…}'
    throw fail(`unable to locate path config.navigationStep{stepValue:"", stepType:reflect.Type(nil)} under ${shown}`)
  }
  const key = field.key ?? field.json
  if (at + 1 >= edit.steps.length && edit.unset) {
    // The zero value: an omitted key in the file form (decodeBody writes back the always-present ones as empty).
    delete body[key]
    return
  }
  modify(body, key, field.type, at + 1, edit, path)
}

function toModel(s: EditSession): Model {
  const copy = (kind: Kind) => new Map([...s.config[kind]].map(([name, e]) => [name, structuredClone(e.body)]))
  return {clusters: copy('clusters'), contexts: copy('contexts'), 'current-context': s.config.currentContext, preferences: structuredClone(s.config.preferences), users: copy('users')}
}

// ModifyConfig: write only what differs from the config as it was read.
function writeBack(s: EditSession, model: Model): void {
  const explicit = s.located.explicit
  const current = model['current-context']
  if (current !== s.config.currentContext) {
    if (current !== '' || explicit) s.setCurrentContext(current, explicit)
    else {
      // Clearing it: in the first file that sets it.
      const file = s.files.find((f) => f.config?.currentContext)
      if (!file) throw fail('no config found to write context')
      s.setCurrentContext('', file.path)
    }
  }
  const preferences = normalizePreferences(model.preferences)
  if (!jsonEqual(preferences, normalizePreferences(s.config.preferences))) {
    // In the first file whose own preferences differ (a missing file counts as empty and gets created).
    const file = explicit ?? s.files.find((f) => !jsonEqual(normalizePreferences(f.config?.preferences ?? {}), preferences))?.path
    if (!file) throw fail('no config found to write preferences')
    s.setPreferences(preferences, file)
  }
  for (const kind of KINDS) {
    for (const [name, body] of model[kind]) {
      const normal = decodeBody(kind, body)
      const before = s.config[kind].get(name)
      if (!before || !jsonEqual(before.body, normal)) s.set(kind, name, normal, undefined, {relativize: false})
    }
    for (const name of [...s.config[kind].keys()]) if (!model[kind].has(name)) s.remove(kind, name)
  }
}

function normalizePreferences(body: Body): Body {
  const out: Body = {}
  if (body.colors) out.colors = true
  if (Array.isArray(body.extensions) && body.extensions.length > 0) out.extensions = body.extensions
  return out
}

/** kubectl config set (`value` non-empty) and unset (`value` undefined). */
export function setProperty(options: CommandContext, path: string, value: string | undefined, rawBytes = false): Promise<EditResult> {
  const unset = value === undefined
  if (!unset && value === '') throw fail('you cannot use set to unset a property')
  if (path === '') throw fail('you must specify a property')
  return runEdit(options, (s) => {
    const steps = parseSteps(path)
    const model = toModel(s)
    const edit: Edit = {rawBytes, steps, unset, value: value ?? ''}
    const root: Record<string, any> = {config: {...model, apiVersion: 'v1', extensions: {}, kind: 'Config'}}
    modifyStruct(root.config, CONFIG as GoType & {kind: 'struct'}, 0, edit, path)
    const edited = root.config as Model & {clusters?: Map<string, Body>}
    // `unset clusters` leaves the field absent: no entries of that kind.
    for (const kind of KINDS) if (!(edited[kind] instanceof Map)) edited[kind] = new Map()
    if (typeof edited['current-context'] !== 'string') edited['current-context'] = ''
    if (typeof edited.preferences !== 'object' || edited.preferences === null) edited.preferences = {}
    writeBack(s, edited)
    return {message: `Property ${goQuote(path)} ${unset ? 'unset' : 'set'}.`, warnings: []}
  })
}
