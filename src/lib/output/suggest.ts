// "Did you mean …?" for names a user typed: command words, context names, Talos methods, RBAC verbs. cobra's rule
// (kubectl, talosctl): a candidate within edit distance 2, or one the typed word is a prefix of. Distance counts a
// swap of two neighbours as one edit (prdo → prod), the commonest typo.

/** Optimal string alignment distance (Levenshtein plus adjacent transpositions), case-insensitive. */
export function editDistance(a: string, b: string): number {
  const s = [...a.toLowerCase()]
  const t = [...b.toLowerCase()]
  let before: number[] = []
  let previous = Array.from({length: t.length + 1}, (_, j) => j)
  for (let i = 1; i <= s.length; i++) {
    const row = [i]
    for (let j = 1; j <= t.length; j++) {
      row[j] = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (s[i - 1] === t[j - 1] ? 0 : 1))
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) row[j] = Math.min(row[j], before[j - 2] + 1)
    }
    before = previous
    previous = row
  }
  return previous[t.length]
}

/** The closest candidate worth suggesting for `typed`, or undefined (ties: the first in `candidates`). */
export function closest(typed: string, candidates: Iterable<string>, maxDistance = 2): string | undefined {
  if (!typed) return undefined
  let best: {distance: number; name: string} | undefined
  for (const name of candidates) {
    if (name === typed) continue
    const distance = name.toLowerCase().startsWith(typed.toLowerCase()) ? 0.5 : editDistance(typed, name)
    if (distance <= maxDistance && (!best || distance < best.distance)) best = {distance, name}
  }
  return best?.name
}

/** `did you mean "x"?`, the hint text every suggestion uses, or undefined when nothing is close. */
export function didYouMean(typed: string, candidates: Iterable<string>): string | undefined {
  const name = closest(typed, candidates)
  return name === undefined ? undefined : `did you mean ${JSON.stringify(name)}?`
}

/** Joins the hint parts that exist: "; " between clauses, a space after a question. */
export function joinHints(...parts: (string | undefined)[]): string | undefined {
  const kept = parts.filter((p): p is string => Boolean(p))
  return kept.length > 0 ? kept.reduce((all, part) => `${all}${all.endsWith('?') ? ' ' : '; '}${part}`) : undefined
}
