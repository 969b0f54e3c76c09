// cel-js 8 does not parse optional list elements `[a, ?b]` or map entries `{?k: v}`. Before parsing, such a literal
// is rewritten into calls the type checker understands — `[a, ?b]` →
// `__optional_list__([optional.of(dyn(a)), __optional_value__(b)])`, and `{k: v, ?k2: v2}` likewise with
// `__optional_map__` — which keeps cel-go's rule that a marked element must be optional and its semantics (absent
// elements and entries are left out). Every element is typed optional<dyn>, so the literal is list<dyn> or
// map<K, dyn> rather than cel-go's narrower element type (cel-js would otherwise refuse optional<dyn> next to
// optional<string>, which cel-go's homogeneity check accepts).
// `toSource` maps a position in the rewritten text back to the user's expression for error carets.
import {OPTIONAL_LIST, OPTIONAL_MAP, OPTIONAL_VALUE} from './optionals.js'

export interface Rewritten {
  text: string
  toSource(position: number): number
}

interface Piece {
  text: string
  /** Position in the original expression of this piece's first character. */
  at: number
  inserted: boolean
}

const OPENERS: Record<string, string> = {'(': ')', '[': ']', '{': '}'}

export function rewriteOptionalLiterals(expression: string): Rewritten {
  if (!expression.includes('?')) return {text: expression, toSource: (p) => p}
  const pieces = new Scanner(expression).rewriteUntil(undefined)
  let text = ''
  const origin: number[] = []
  for (const piece of pieces) {
    for (let i = 0; i < piece.text.length; i++) origin.push(piece.inserted ? piece.at : piece.at + i)
    text += piece.text
  }
  return {text, toSource: (p) => (p < origin.length ? origin[p] : expression.length)}
}

class Scanner {
  private i = 0

  constructor(private readonly src: string) {}

  /** Copies text until the closing character `end` (not consumed) or the end, rewriting nested literals. */
  rewriteUntil(end: string | undefined): Piece[] {
    const out: Piece[] = []
    while (this.i < this.src.length) {
      const c = this.src[this.i]
      if (c === end) return out
      if (c === '"' || c === "'") {
        out.push(this.copy(this.stringEnd()))
        continue
      }
      if (c === '[' && !this.isIndex()) {
        out.push(...this.literal('[', ']'))
        continue
      }
      if (c === '{') {
        out.push(...this.literal('{', '}'))
        continue
      }
      if (c in OPENERS) {
        out.push(this.copy(this.i + 1), ...this.rewriteUntil(OPENERS[c]))
        if (this.i < this.src.length) out.push(this.copy(this.i + 1))
        continue
      }
      out.push(this.copy(this.i + 1))
    }
    return out
  }

  private copy(to: number): Piece {
    const piece = {at: this.i, inserted: false, text: this.src.slice(this.i, to)}
    this.i = to
    return piece
  }

  /** A list or map literal; rewritten only when one of its elements is marked with `?`. */
  private literal(open: string, close: string): Piece[] {
    const start = this.i
    this.i++
    const elements: Array<{optional: boolean; key: Piece[]; value: Piece[]; separator: Piece[]}> = []
    let anyOptional = false
    while (this.i < this.src.length && this.src[this.i] !== close) {
      const lead = this.whitespace()
      const optional = this.src[this.i] === '?'
      if (optional) this.i++
      anyOptional ||= optional
      const key = [...lead, ...this.element(close, open === '{')]
      let value: Piece[] = []
      if (open === '{' && this.src[this.i] === ':') {
        const colon = this.copy(this.i + 1)
        value = [colon, ...this.element(close, false)]
      }
      const separator = this.src[this.i] === ',' ? [this.copy(this.i + 1)] : []
      elements.push({key, optional, separator, value})
      if (separator.length === 0) break
    }
    const closing = this.i < this.src.length ? [this.copy(this.i + 1)] : []
    const opening: Piece = {at: start, inserted: false, text: open}
    if (!anyOptional) return [opening, ...elements.flatMap((e) => [...e.key, ...e.value, ...e.separator]), ...closing]
    const wrap = (pieces: Piece[], optional: boolean) =>
      pieces.length === 0 ? pieces : [{...pieces[0], inserted: true, text: optional ? `${OPTIONAL_VALUE}(` : 'optional.of(dyn('}, ...pieces, {...pieces.at(-1)!, inserted: true, text: optional ? ')' : '))'}]
    const body = elements.flatMap((e) => (open === '[' ? [...wrap(e.key, e.optional), ...e.separator] : [...e.key, e.value[0], ...wrap(e.value.slice(1), e.optional), ...e.separator].filter(Boolean)))
    return [{at: start, inserted: true, text: `${open === '[' ? OPTIONAL_LIST : OPTIONAL_MAP}(`}, opening, ...body, ...closing, {at: this.i, inserted: true, text: ')'}]
  }

  private whitespace(): Piece[] {
    const start = this.i
    while (/\s/.test(this.src[this.i] ?? '')) this.i++
    return start === this.i ? [] : [{at: start, inserted: false, text: this.src.slice(start, this.i)}]
  }

  /** One element: text up to a top-level `,`, the closing bracket, or (a map key) a `:` not owned by a `? :`. */
  private element(close: string, isKey: boolean): Piece[] {
    const out: Piece[] = []
    let ternaries = 0
    while (this.i < this.src.length) {
      const c = this.src[this.i]
      if (c === ',' || c === close) break
      if (isKey && c === ':' && ternaries === 0) break
      if (c === '?' && this.src[this.i - 1] !== '.' && this.src[this.i - 1] !== '[') ternaries++
      if (c === ':') ternaries--
      const before = this.i
      out.push(...this.rewriteOne())
      if (this.i === before) break
    }
    return out
  }

  /** One token or bracketed group, rewriting nested literals. */
  private rewriteOne(): Piece[] {
    const c = this.src[this.i]
    if (c === '"' || c === "'") return [this.copy(this.stringEnd())]
    if (c === '[' && !this.isIndex()) return this.literal('[', ']')
    if (c === '{') return this.literal('{', '}')
    if (c in OPENERS) {
      const out = [this.copy(this.i + 1), ...this.rewriteUntil(OPENERS[c])]
      if (this.i < this.src.length) out.push(this.copy(this.i + 1))
      return out
    }
    return [this.copy(this.i + 1)]
  }

  /** `[` after a value (identifier, literal, `)`, `]`, `}`) is an index, not a list literal; `in [` is a list. */
  private isIndex(): boolean {
    let j = this.i - 1
    while (j >= 0 && /\s/.test(this.src[j])) j--
    if (j < 0) return false
    const c = this.src[j]
    if (/[)\]}"']/.test(c)) return true
    if (!/\w/.test(c)) return false
    const word = /\w+$/.exec(this.src.slice(0, j + 1))![0]
    return word !== 'in'
  }

  /** The end (exclusive) of the string literal starting at the cursor: '…', "…", '''…''' or """…""" (a r/b prefix is
   * copied as an ordinary character before it). */
  private stringEnd(): number {
    const q = this.src[this.i]
    const triple = this.src.startsWith(q.repeat(3), this.i)
    const raw = /[rR]$/.test(this.src.slice(Math.max(0, this.i - 2), this.i).replace(/[bB]/g, ''))
    let j = this.i + (triple ? 3 : 1)
    while (j < this.src.length) {
      if (!raw && this.src[j] === '\\') {
        j += 2
        continue
      }
      if (triple ? this.src.startsWith(q.repeat(3), j) : this.src[j] === q) return j + (triple ? 3 : 1)
      j++
    }
    return j
  }
}
