// Documents as talosctl writes them: go.yaml.in/yaml/v4's Marshal with v3 defaults (talos.md §1.1) — 4-space
// indent, block sequences indented under their key, no line wrapping (base64 stays on one line), strings quoted by
// go/yaml.ts's one table. Built on the yaml library's document model, which kubectl-style output does not load.
import {Document, type Node, Pair, Scalar, YAMLMap, YAMLSeq} from 'yaml'

import {goYamlQuotes} from './yaml.js'

/** A Go string as go-yaml v3 writes it. */
export function goYamlNode(s: string): Scalar {
  const node = new Scalar(s)
  // go-yaml: literal block for multi-line text, double quotes for strings that would resolve to another type,
  // plain otherwise (the yaml library falls back to quotes where plain is impossible).
  node.type = s.includes('\n') ? Scalar.BLOCK_LITERAL : goYamlQuotes(s, {version: 3}) ? Scalar.QUOTE_DOUBLE : Scalar.PLAIN
  return node
}

/** A Go string slice as a block sequence. */
export function goYamlSequence(items: string[]): YAMLSeq {
  const node = new YAMLSeq()
  for (const item of items) node.items.push(goYamlNode(item))
  return node
}

const stringifyOptions = {
  indent: 4,
  indentSeq: true,
  lineWidth: 0,
  minContentWidth: 0,
  singleQuote: true,
} as const

/** The document as go-yaml v3 Marshal writes it: 4-space indent, sequences indented under their key, no wrapping. */
export function renderGoYamlV3(contents: Node): string {
  const doc = new Document()
  doc.contents = contents
  return doc.toString(stringifyOptions)
}

/** A flat document of strings and string lists as go-yaml's Encoder writes it (nil lists as `[]`). */
export function renderGoYaml(fields: Array<[string, string | string[] | null]>): string {
  const root = new YAMLMap()
  for (const [key, value] of fields) root.items.push(new Pair(goYamlNode(key), typeof value === 'string' ? goYamlNode(value) : goYamlSequence(value ?? [])))
  return renderGoYamlV3(root)
}
