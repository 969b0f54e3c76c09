// go-yaml's map key order (keyList.Less for two strings), which decides the order of context names in every
// talosconfig talosctl writes: digit runs compare numerically (`a-2` before `a-10`), letters by code point, and a
// non-letter sorts before a letter unless the preceding rune was a digit.

const isLetter = (ch: string) => /\p{L}/u.test(ch)
const isDigit = (ch: string) => /\p{Nd}/u.test(ch)
// Go computes digit values as `rune - '0'`, which is only meaningful for ASCII digits; kept for identical order.
const digitValue = (ch: string) => BigInt(ch.codePointAt(0)! - 48)

export function goKeyLess(a: string, b: string): boolean {
  const ar = [...a]
  const br = [...b]
  let digits = false
  for (let i = 0; i < ar.length && i < br.length; i++) {
    if (ar[i] === br[i]) {
      digits = isDigit(ar[i])
      continue
    }
    const al = isLetter(ar[i])
    const bl = isLetter(br[i])
    if (al && bl) return ar[i].codePointAt(0)! < br[i].codePointAt(0)!
    if (al || bl) return digits ? al : bl
    let an = 0n
    let bn = 0n
    // A run like `a01` vs `a1`: a non-zero digit before this position makes both numbers "non-zero" so the
    // leading zero does not compare equal.
    if (ar[i] === '0' || br[i] === '0') {
      for (let j = i - 1; j >= 0 && isDigit(ar[j]); j--) {
        if (ar[j] !== '0') {
          an = 1n
          bn = 1n
          break
        }
      }
    }
    let ai = i
    for (; ai < ar.length && isDigit(ar[ai]); ai++) an = an * 10n + digitValue(ar[ai])
    let bi = i
    for (; bi < br.length && isDigit(br[bi]); bi++) bn = bn * 10n + digitValue(br[bi])
    if (an !== bn) return an < bn
    if (ai !== bi) return ai < bi
    return ar[i].codePointAt(0)! < br[i].codePointAt(0)!
  }
  return ar.length < br.length
}

export function goKeyCompare(a: string, b: string): number {
  if (goKeyLess(a, b)) return -1
  if (goKeyLess(b, a)) return 1
  return 0
}

/** Names in the order talosctl writes them. */
export function naturalSort(names: Iterable<string>): string[] {
  return [...names].sort(goKeyCompare)
}
