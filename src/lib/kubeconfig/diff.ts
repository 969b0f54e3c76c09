// A compact unified diff for `merge --dry-run`: common leading and trailing lines are trimmed and the changed
// middle is shown as one hunk. Merges append and edit in place, so one hunk is exact for the usual case.
export function unifiedDiff(path: string, before: string, after: string): string {
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
  const lines = [
    `--- ${path}`,
    `+++ ${path}`,
    `@@ -${from + 1},${aEnd - from + tail} +${from + 1},${bEnd - from + tail} @@`,
    ...a.slice(from, start).map((l) => ` ${l}`),
    ...a.slice(start, aEnd).map((l) => `-${l}`),
    ...b.slice(start, bEnd).map((l) => `+${l}`),
    ...a.slice(aEnd, aEnd + tail).map((l) => ` ${l}`),
  ]
  return lines.join('\n') + '\n'
}
