// KEY=VALUE values as Go's flag types read them (cliflag.MapStringString, kubectl's key=value arguments): split at
// the first `=`, the key not empty, the value may hold more `=`. Each flag keeps its own error wording.

/** The key and value of `KEY=VALUE`, or undefined when there is no `=` or the key is empty. */
export function splitKeyValue(text: string): [key: string, value: string] | undefined {
  const eq = text.indexOf('=')
  return eq > 0 ? [text.slice(0, eq), text.slice(eq + 1)] : undefined
}

/** Repeated KEY=VALUE values as a record (a later key wins); `invalid` makes the error for a value without a key. */
export function keyValueRecord(values: readonly string[] | undefined, invalid: (value: string) => Error): Record<string, string> {
  const out: Record<string, string> = {}
  for (const value of values ?? []) {
    const pair = splitKeyValue(value)
    if (!pair) throw invalid(value)
    out[pair[0]] = pair[1]
  }
  return out
}
