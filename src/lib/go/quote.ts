// Go's %q (strconv.Quote) for strings that come from untrusted input — certificate names, token claims, kubeconfig
// names, server messages — so that a value holding ESC, CR, NUL or a bidi override cannot repaint the terminal or
// forge a line of output. `quote` is %q itself, for values shown in quotes; `escapeControls` applies %q's escapes to
// the characters that need them and leaves the rest of a text (quotes, backslashes) as it is, for free text.

/** Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u
/** Any rune %q would escape (everything not printable), or a lone surrogate. */
const NOT_PRINTABLE = /[^\p{L}\p{M}\p{N}\p{P}\p{S} ]/gu
/** C0 and C1 control characters, DEL, and lone surrogates: never part of a name authctl writes. */
const CONTROL = /[\p{Cc}\p{Cs}]/u

const SHORT_ESCAPES: Record<string, string> = {'\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\u0007': '\\a', '\u000b': '\\v'}

/** Go's unicode.IsPrint for one rune. */
export function isPrintable(ch: string): boolean {
  return PRINTABLE.test(ch)
}

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0')
}

function escapeRune(ch: string): string {
  if (ch === '"' || ch === '\\') return `\\${ch}`
  if (isPrintable(ch)) return ch
  if (SHORT_ESCAPES[ch]) return SHORT_ESCAPES[ch]
  const code = ch.codePointAt(0)!
  if (code < 0x20 || code === 0x7f) return `\\x${hex(code, 2)}`
  return code < 0x10000 ? `\\u${hex(code, 4)}` : `\\U${hex(code, 8)}`
}

/** Exactly Go's strconv.Quote / fmt's %q of a string (lone surrogates, which Go strings cannot hold, as \uXXXX). */
export function quote(value: string): string {
  let out = '"'
  for (const ch of value) out += escapeRune(ch)
  return out + '"'
}

/** Go's %q of a string slice: `["a" "b"]`. */
export function goQuoteList(values: string[]): string {
  return `[${values.map((v) => quote(v)).join(' ')}]`
}

/**
 * `text` with each non-printable character written as %q writes it (ESC → \x1b, LF → \n). Human output only.
 * `keepNewlines` for authctl's own multi-line texts (kubectl's two-line errors) that embed untrusted values.
 */
export function escapeControls(text: string, options: {keepNewlines?: boolean} = {}): string {
  return text.replace(NOT_PRINTABLE, (ch) => (ch === '\n' && options.keepNewlines ? ch : escapeRune(ch)))
}

export function hasControlCharacters(value: string): boolean {
  return CONTROL.test(value)
}
