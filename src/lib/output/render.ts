// Rendering of command results: JSON, YAML and kubectl-style aligned tables.
import {escapeControls} from '../go/quote.js'
import {loadYaml} from './yaml.js'

export function toJson(document: unknown, indent = 2): string {
  return JSON.stringify(document, null, indent) + '\n'
}

export async function toYaml(document: unknown): Promise<string> {
  const {stringify} = await loadYaml()
  return stringify(document, {aliasDuplicateObjects: false, lineWidth: 0})
}

export interface TableOptions {
  /** Omit the header row (kubectl --no-headers). */
  noHeaders?: boolean
  /** Minimum column width (kubectl's printers use 6; talosctl 0). */
  minWidth?: number
  /** Spaces between columns (3 for both kubectl and talosctl). */
  padding?: number
}

/**
 * Aligns cells like Go's text/tabwriter with kubectl's settings: every column but the last is padded to
 * max(minWidth, widest cell + padding); the last column is never padded, so lines carry no trailing blanks.
 */
export function formatTable(headers: string[], rows: string[][], options: TableOptions = {}): string {
  const {minWidth = 6, noHeaders = false, padding = 3} = options
  // Cells often hold names from kubeconfigs, certificates or servers: no raw control character reaches the terminal.
  const lines = (noHeaders ? rows : [headers, ...rows]).map((line) => line.map((cell) => escapeControls(cell)))
  if (lines.length === 0) return ''
  const columns = Math.max(...lines.map((l) => l.length))
  const widths: number[] = []
  for (let c = 0; c < columns - 1; c++) {
    widths[c] = Math.max(minWidth, ...lines.map((l) => (l[c] ?? '').length + padding))
  }
  return lines
    .map((line) => line.map((cell, c) => (c < line.length - 1 ? cell.padEnd(widths[c]) : cell)).join(''))
    .join('\n') + '\n'
}

/** Aligned `Label: value` lines (rows without a value left out), each ending in a newline; values control-escaped. */
export function labelledLines(rows: Array<[string, string | undefined]>, indent = '  '): string {
  const present = rows.filter((r): r is [string, string] => r[1] !== undefined && r[1] !== '')
  const width = Math.max(...present.map(([k]) => k.length)) + 2
  return present.map(([k, v]) => `${indent}${(k + ':').padEnd(width)}${escapeControls(v)}\n`).join('')
}
