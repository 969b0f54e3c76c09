// Adding entries to a file in the block style kubectl writes, as a text splice: new list items go after the last
// item of their list and current-context is replaced in place, so everything else (comments included) stays byte
// for byte, and a merge into a large file does not pay for a full YAML document model. Returns undefined whenever
// the file is not in that style; the caller then edits the YAML document instead.
import {toKubectlYaml, yamlScalar} from '../go/yaml.js'
import {parseLeanYaml} from './lean-yaml.js'
import {BODY_KEY, type Body, type Kind, KINDS} from './schema.js'

export interface Append {
  kind: Kind
  name: string
  body: Body
}

const topKey = (line: string, key: string) => line.startsWith(`${key}:`) && (line.length === key.length + 1 || line[key.length + 1] === ' ')

function renderItem(add: Append, nameFirst: boolean, indent: string): string[] {
  const bodyKey = BODY_KEY[add.kind]
  const lines = nameFirst
    ? [`- name: ${yamlScalar(add.name)}`, ...toKubectlYaml([{[bodyKey]: add.body}]).replace(/\n$/, '').split('\n').map((l, i) => (i === 0 ? `  ${l.slice(2)}` : l))]
    : toKubectlYaml([{[bodyKey]: add.body, name: add.name}]).replace(/\n$/, '').split('\n')
  return lines.map((l) => indent + l)
}

/** `parsed` is the lean reader's value of `text`, when the caller already has it. */
export function appendToBlockYaml(text: string, adds: Append[], current?: string, parsed: unknown = parseLeanYaml(text)): string | undefined {
  const before = parsed as Record<string, unknown> | null | undefined
  if (before === undefined || (before !== null && (typeof before !== 'object' || Array.isArray(before)))) return undefined
  const lines = text.split('\n')
  if (lines.at(-1) === '') lines.pop()
  for (const kind of KINDS) {
    const items = adds.filter((a) => a.kind === kind)
    if (items.length === 0) continue
    const at = lines.findIndex((l) => topKey(l, kind))
    if (at === -1) {
      lines.push(`${kind}:`, ...items.flatMap((a) => renderItem(a, false, '')))
      continue
    }
    const value = lines[at].slice(kind.length + 1).replace(/\s+#.*$/, '').trim()
    if (value === 'null' || value === '[]' || value === '~') {
      lines.splice(at, 1, `${kind}:`, ...items.flatMap((a) => renderItem(a, false, '')))
      continue
    }
    if (value !== '') return undefined
    let last = at
    let first: string | undefined
    for (let j = at + 1; j < lines.length; j++) {
      const trimmed = lines[j].trim()
      if (trimmed === '' || trimmed.startsWith('#')) continue
      if (!lines[j].startsWith(' ') && !lines[j].startsWith('-')) break
      first ??= lines[j]
      last = j
    }
    const indent = first?.match(/^( *)- /)?.[1] ?? ''
    const nameFirst = first !== undefined && /^ *- name:/.test(first)
    lines.splice(last + 1, 0, ...items.flatMap((a) => renderItem(a, nameFirst, indent)))
  }
  if (current !== undefined) {
    const line = `current-context: ${yamlScalar(current)}`
    const at = lines.findIndex((l) => topKey(l, 'current-context'))
    if (at === -1) lines.push(line)
    else lines[at] = line
  }
  const after = lines.join('\n') + '\n'
  // The splice must read back as exactly the old entries plus the new ones; otherwise use the document model.
  const check = parseLeanYaml(after) as Record<string, unknown> | undefined
  if (!check) return undefined
  for (const kind of KINDS) {
    const count = (doc: Record<string, unknown> | null) => (Array.isArray(doc?.[kind]) ? (doc![kind] as unknown[]).length : 0)
    if (count(check) !== count(before) + adds.filter((a) => a.kind === kind).length) return undefined
  }
  if (current !== undefined && check['current-context'] !== current) return undefined
  return after
}
