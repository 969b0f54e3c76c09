// Go's regexp (RE2) syntax on JavaScript's engine, for matches/find/findAll: RE2 patterns that JavaScript spells
// differently are translated ((?i) flags, (?P<name>…), \z, \A, [[:alpha:]], punctuation escapes), and what RE2
// refuses — lookaround, backreferences — is refused with Go's error text, so no expression passes here that
// kube-apiserver would fail on.
import {CelEvaluationError} from './errors.js'

const POSIX: Record<string, string> = {
  alnum: '0-9A-Za-z', alpha: 'A-Za-z', ascii: '\\x00-\\x7F', blank: '\\t ', cntrl: '\\x00-\\x1F\\x7F', digit: '0-9', graph: '!-~',
  lower: 'a-z', print: ' -~', punct: '!-\\/:-@\\[-`{-~', space: '\\t\\n\\v\\f\\r ', upper: 'A-Z', word: '0-9A-Za-z_', xdigit: '0-9A-Fa-f',
}
const JS_FLAGS: Record<string, string> = {i: 'i', m: 'm', s: 's'}

class Re2Error extends Error {}

const hex = (c: string) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`

function escape(pattern: string, i: number): [string, number] {
  const c = pattern[i + 1]
  if (c === undefined) throw new Re2Error('trailing backslash at end of expression: ``')
  if (/[1-9]/.test(c)) throw new Re2Error(`invalid escape sequence: \`\\${c}\``)
  if (c === 'z') return ['(?![\\s\\S])', i + 2]
  if (c === 'A') return ['(?<![\\s\\S])', i + 2]
  if (c === 'a') return ['\\x07', i + 2]
  if (c === 'Q') {
    // Literal text up to \E (or the end).
    const end = pattern.indexOf('\\E', i + 2)
    const text = pattern.slice(i + 2, end < 0 ? undefined : end)
    return [Array.from(text, (ch) => (/[\w\s]/.test(ch) ? ch : ch.length === 1 && ch.charCodeAt(0) < 0x80 ? hex(ch) : ch)).join(''), end < 0 ? pattern.length : end + 2]
  }
  if (c === 'C') return ['[\\s\\S]', i + 2]
  if (c === 'x' && pattern[i + 2] === '{') {
    const end = pattern.indexOf('}', i)
    return [`\\u{${pattern.slice(i + 3, end)}}`, end + 1]
  }
  if (c === 'p' || c === 'P') {
    // RE2 names a general category (L, Lu) or a script (Greek); JavaScript wants Script= for the latter.
    const braced = pattern[i + 2] === '{'
    const end = braced ? pattern.indexOf('}', i) : i + 3
    let name = braced ? pattern.slice(i + 3, end) : pattern[i + 2]
    let kind = c
    if (name.startsWith('^')) [name, kind] = [name.slice(1), c === 'p' ? 'P' : 'p']
    return [`\\${kind}{${/^[A-Z][a-z]?$/.test(name) || name === 'Any' ? name : `Script=${name}`}}`, braced ? end + 1 : end]
  }
  if (/[!-\/:-@\[-`{-~]/.test(c)) return [hex(c), i + 2]
  return [`\\${c}`, i + 2]
}

/** The JavaScript source and flags for an RE2 pattern; throws Re2Error worded as Go's regexp/syntax. */
function translate(pattern: string): {source: string; flags: string} {
  let flags = 'u'
  let i = 0
  const leading = /^\(\?([imsU]+)\)/.exec(pattern)
  if (leading) {
    if (leading[1].includes('U')) throw new Re2Error('ungreedy mode (?U) is not supported here')
    flags += [...new Set(leading[1])].map((f) => JS_FLAGS[f]).join('')
    i = leading[0].length
  }
  let out = ''
  let inClass = false
  // What precedes a repetition operator: an atom, an assertion (RE2 repeats `^*`, JavaScript needs `(?:^)*`),
  // another repetition (`a**` is an error in RE2, `a*?` is lazy), or nothing (`*a`, `(*`, `|*`).
  let previous: 'assertion' | 'atom' | 'none' | 'repeat' | 'lazy' = 'none'
  let previousRepeat = ''
  let assertionAt = 0
  while (i < pattern.length) {
    const c = pattern[i]
    if (c === '\\') {
      const [text, next] = escape(pattern, i)
      previous = /^\\[bBAz]$/.test(pattern.slice(i, next)) ? 'assertion' : 'atom'
      assertionAt = out.length
      out += text
      i = next
      continue
    }
    if (inClass) {
      const posix = /^\[:(\^?)([a-z]+):\]/.exec(pattern.slice(i))
      if (posix && POSIX[posix[2]] && !posix[1]) {
        out += POSIX[posix[2]]
        i += posix[0].length
        continue
      }
      if (c === ']') inClass = false
      out += c
      i++
      continue
    }
    const repeat = /^(?:[*+?]|\{\d+(?:,\d*)?\})/.exec(pattern.slice(i))?.[0]
    if (repeat) {
      if (repeat === '?' && previous === 'repeat') previous = 'lazy'
      else if (previous === 'repeat' || previous === 'lazy') throw new Re2Error(`invalid nested repetition operator: \`${previousRepeat}${repeat}\``)
      else if (previous === 'none') throw new Re2Error(`missing argument to repetition operator: \`${repeat}\``)
      else {
        if (previous === 'assertion') out = `${out.slice(0, assertionAt)}(?:${out.slice(assertionAt)})`
        ;[previous, previousRepeat] = ['repeat', repeat]
      }
      out += repeat
      i += repeat.length
      continue
    }
    previous = c === '(' || c === '|' ? 'none' : c === '^' || c === '$' ? 'assertion' : 'atom'
    assertionAt = out.length
    if (c === '[') {
      inClass = true
      out += c
      i++
      if (pattern[i] === '^') out += pattern[i++]
      if (pattern[i] === ']') out += `\\${pattern[i++]}`
      continue
    }
    if (c === '(' && pattern[i + 1] === '?') {
      const rest = pattern.slice(i + 2)
      const named = /^P?</.exec(rest)
      if (named) {
        // Go: the name runs to the next '>' and must be letters, digits or '_'; lookbehind fails here too.
        const close = pattern.indexOf('>', i)
        const name = close < 0 ? '' : pattern.slice(i + 2 + named[0].length, close)
        if (!/^\w+$/.test(name)) throw new Re2Error(`invalid named capture: \`${close < 0 ? pattern.slice(i) : pattern.slice(i, close + 1)}\``)
        out += `(?<${name}>`
        i = close + 1
        continue
      }
      if (/^[=!]/.test(rest)) throw new Re2Error(`invalid or unsupported Perl syntax: \`${pattern.slice(i, i + 3)}\``)
      if (!rest.startsWith(':')) throw new Re2Error(`flags inside an expression are not supported here: \`${pattern.slice(i, i + 4)}\``)
      out += '(?:'
      i += 3
      continue
    }
    out += c
    i++
  }
  return {flags, source: out}
}

const cache = new Map<string, RegExp>()

/** The compiled pattern (cached, bounded); errors are CelEvaluationError `error parsing regexp: …`. */
export function compileRe2(pattern: string): RegExp {
  let re = cache.get(pattern)
  if (re) return re
  try {
    const {source, flags} = translate(pattern)
    re = new RegExp(source, flags)
  } catch (error) {
    const reason = error instanceof Re2Error ? error.message : /Unterminated group|Unmatched '\('/.test((error as Error).message) ? `missing closing ): \`${pattern}\`` : (error as Error).message.replace(/^Invalid regular expression: /, '')
    throw new CelEvaluationError(`error parsing regexp: ${reason}`)
  }
  if (cache.size >= 256) cache.delete(cache.keys().next().value!)
  cache.set(pattern, re)
  return re
}
