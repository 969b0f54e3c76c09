// Command descriptions are written hard-wrapped at 120 columns in source; oclif wraps help to the terminal on its
// own, so source line breaks inside a sentence would leave ragged lines. This re-flows them.

/**
 * Joins the hard-wrapped lines of each paragraph into one line. Kept as breaks: blank lines, indented lines (table
 * rows and list items, whose deeper-indented continuation lines join the row), and the line after one ending in ":"
 * or "—" (it introduces a list).
 */
export function reflow(text: string): string {
  const out: string[] = []
  let previousIndent = -1
  for (const line of text.split('\n')) {
    const indent = line.length - line.trimStart().length
    const body = line.trim()
    const last = out.at(-1)
    const joinsPlain = indent === 0 && previousIndent === 0 && last !== undefined && !/[:—]$/.test(last)
    const continuesRow = indent > 0 && previousIndent > 0 && indent > previousIndent && last !== undefined
    if (body === '') {
      out.push('')
      previousIndent = -1
      continue
    }
    if (joinsPlain || continuesRow) out[out.length - 1] = `${last} ${body}`
    else {
      out.push(indent > 0 ? `  ${body}` : body)
      previousIndent = indent
    }
  }
  return out.join('\n')
}

/** Tagged template for a command's `description`: the text, re-flowed. */
export function helpText(strings: TemplateStringsArray, ...values: unknown[]): string {
  return reflow(strings.reduce((text, part, i) => text + part + (i < values.length ? String(values[i]) : ''), ''))
}
