// A unified diff for `merge --dry-run`: common leading and trailing lines are trimmed, the changed middle is aligned
// by longest common subsequence when it is small enough (else shown as removed + added), in one hunk. Lines come
// from kubeconfig files, so each goes through the caller's style (control characters escaped; removed lines red
// and added green when the style is coloured, as git diff shows them).
import type {Style} from '../output/color.js'
import {plainStyle} from '../output/color.js'
import {escapeControls} from '../go/quote.js'

function middleOps(a: string[], b: string[]): string[] {
  if (a.length * b.length > 4_000_000) return [...a.map((l) => `-${l}`), ...b.map((l) => `+${l}`)]
  const lcs: Uint32Array[] = Array.from({length: a.length + 1}, () => new Uint32Array(b.length + 1))
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1])
  }
  const out: string[] = []
  let i = 0
  let j = 0
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      out.push(` ${a[i++]}`)
      j++
    } else if (j < b.length && (i === a.length || lcs[i][j + 1] >= lcs[i + 1][j])) out.push(`+${b[j++]}`)
    else out.push(`-${a[i++]}`)
  }
  return out
}

export function unifiedDiff(path: string, before: string, after: string, style: Pick<Style, 'bad' | 'good'> = plainStyle): string {
  if (before === after) return ''
  const a = before === '' ? [] : before.replace(/\n$/, '').split('\n')
  const b = after.replace(/\n$/, '').split('\n')
  let start = 0
  while (start < a.length && start < b.length && a[start] === b[start]) start++
  let end = 0
  while (end < a.length - start && end < b.length - start && a[a.length - 1 - end] === b[b.length - 1 - end]) end++
  const context = 3
  const from = Math.max(0, start - context)
  const aEnd = a.length - end
  const bEnd = b.length - end
  const tail = Math.min(end, context)
  const paint = (line: string) => (line[0] === '-' ? style.bad(line) : line[0] === '+' ? style.good(line) : escapeControls(line))
  return [
    `--- ${path}`,
    `+++ ${path}`,
    `@@ -${from + 1},${aEnd - from + tail} +${from + 1},${bEnd - from + tail} @@`,
    ...[
      ...a.slice(from, start).map((l) => ` ${l}`),
      ...middleOps(a.slice(start, aEnd), b.slice(start, bEnd)),
      ...a.slice(aEnd, aEnd + tail).map((l) => ` ${l}`),
    ].map(paint),
  ].join('\n') + '\n'
}
