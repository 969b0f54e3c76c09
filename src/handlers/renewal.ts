// What the renewal commands print: one line per renewed and skipped entry (the --json document lists the same).
import type {Io} from '../lib/io.js'

export function renderRenewal(io: Pick<Io, 'json' | 'out'>, noun: string, renewed: Array<{name: string; notAfter: string}>, skipped: Array<{name: string; reason: string}>): void {
  if (io.json) return
  for (const r of renewed) io.out(`renewed ${noun} ${JSON.stringify(r.name)} (expires ${r.notAfter})\n`)
  for (const s of skipped) io.out(`skipped ${noun} ${JSON.stringify(s.name)}: ${s.reason}\n`)
  if (renewed.length + skipped.length === 0) io.out(`no ${noun} chosen\n`)
}
