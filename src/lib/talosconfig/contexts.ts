// Listing and selecting contexts: talosctl's `config contexts` table and `config remove` glob.
import {type Talosconfig} from './format.js'

export interface ContextRow {
  name: string
  current: boolean
  endpoints: string[]
  nodes: string[]
}

/** Rows in talosctl's order (byte order of names, as `sort.Strings`). */
export function contextRows(config: Talosconfig): ContextRow[] {
  return [...config.contexts.keys()]
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((name) => {
      const ctx = config.contexts.get(name)!
      return {current: name === config.context, endpoints: ctx.endpoints, name, nodes: ctx.nodes}
    })
}

/** The table cells talosctl prints: endpoints joined by `,`, nodes cut to three followed by `...`. */
export function contextCells(row: ContextRow): string[] {
  const nodes = row.nodes.length > 3 ? row.nodes.slice(0, 3).join(',') + '...' : row.nodes.join(',')
  return [row.current ? '*' : '', row.name, row.endpoints.join(','), nodes]
}

/** ryanuber/go-glob: `*` matches any run of characters; nothing else is special. */
export function globMatch(pattern: string, subject: string): boolean {
  if (pattern === '') return subject === ''
  if (pattern === '*') return true
  const parts = pattern.split('*')
  if (parts.length === 1) return subject === pattern
  const leading = pattern.startsWith('*')
  const trailing = pattern.endsWith('*')
  const end = parts.length - 1
  let rest = subject
  for (let i = 0; i < end; i++) {
    const idx = rest.indexOf(parts[i])
    if (i === 0 ? !leading && idx !== 0 : idx < 0) return false
    rest = rest.slice(idx + parts[i].length)
  }
  return trailing || rest.endsWith(parts[end])
}
