// A reader for the block-style YAML subset that kubectl, authctl and most tools write (block maps and lists, plain
// and quoted one-line scalars, comments). `current-context` and `get-contexts` run in every shell prompt, and the
// `yaml` library alone costs ~40 ms to import. Anything outside the subset (flow collections, anchors, tags, block
// or multi-line scalars, numbers other than integers, YAML 1.1 booleans) returns undefined and the caller parses
// the file with the full `yaml` library instead, so the subset never has to guess.
interface Line {
  indent: number
  text: string
}

class Unsupported extends Error {}
const unsupported = (): never => {
  throw new Unsupported()
}

// Plain scalars that YAML (1.1 or 1.2) would read as something other than a string.
const SPECIAL_WORD = /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF|true|True|TRUE|false|False|FALSE|null|Null|NULL|~|=|<<)$/
const NUMBER_LIKE = /^[-+]?\.?[0-9]|^\.(?:inf|Inf|INF|nan|NaN|NAN)$|^[-+]?(?:[0-9][0-9_]*)?(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?$/

function stripComment(text: string): string {
  const hash = text.search(/\s#/)
  return (hash === -1 ? text : text.slice(0, hash)).trimEnd()
}

function scalar(raw: string): unknown {
  const text = raw.trim()
  const first = text[0]
  if (first === '"') {
    const end = text.lastIndexOf('"')
    if (end === 0 || stripComment(text.slice(end + 1)) !== '') return unsupported()
    const body = text.slice(0, end + 1)
    // YAML-only escapes (\x, \e, \N, line folding) are not JSON; leave them to the full parser.
    if (/\\[^"\\/bfnrtu]/.test(body)) return unsupported()
    try {
      return JSON.parse(body)
    } catch {
      return unsupported()
    }
  }
  if (first === "'") {
    const match = /^'((?:[^']|'')*)'(.*)$/.exec(text)
    if (!match || stripComment(match[2]) !== '') return unsupported()
    return match[1].replaceAll("''", "'")
  }
  const value = stripComment(text)
  if (value === '' || value === 'null' || value === '~') return null
  if (value === '{}') return {}
  if (value === '[]') return []
  if (value === 'true') return true
  if (value === 'false') return false
  if (/^-?(?:0|[1-9][0-9]{0,14})$/.test(value)) return Number(value)
  if (/^[-?:,[\]{}#&*!|>'"%@`]/.test(value) || SPECIAL_WORD.test(value) || NUMBER_LIKE.test(value)) return unsupported()
  if (value.includes(': ') || value.endsWith(':') || value.includes('\t')) return unsupported()
  return value
}

function isItem(text: string): boolean {
  return text === '-' || text.startsWith('- ')
}

function splitKey(text: string): [string, string] {
  let key: string
  let rest: string
  if (text[0] === '"' || text[0] === "'") {
    const end = text.indexOf(text[0], 1)
    if (end === -1 || text[end + 1] !== ':') return unsupported()
    key = scalar(text.slice(0, end + 1)) as string
    rest = text.slice(end + 2)
  } else {
    const colon = text.search(/:(?: |$)/)
    if (colon <= 0) return unsupported()
    key = text.slice(0, colon)
    // Keys that YAML would read as booleans, numbers or null are left to the full parser.
    if (/^[-?:,[\]{}#&*!|>%@`]/.test(key) || key.includes(' #') || SPECIAL_WORD.test(key) || NUMBER_LIKE.test(key)) return unsupported()
    rest = text.slice(colon + 1)
  }
  if (rest !== '' && rest[0] !== ' ') return unsupported()
  return [key, rest]
}

function parseNode(lines: Line[], i: number): [unknown, number] {
  return isItem(lines[i].text) ? parseList(lines, i, lines[i].indent) : parseMap(lines, i, lines[i].indent)
}

// Value of a key or item whose text after `key:` / `- ` is empty: a nested block, a compact list, or null.
function parseNested(lines: Line[], i: number, indent: number, allowCompactList: boolean): [unknown, number] {
  const next = lines[i]
  if (!next) return [null, i]
  if (next.indent > indent) return parseNode(lines, i)
  if (allowCompactList && next.indent === indent && isItem(next.text)) return parseList(lines, i, indent)
  return [null, i]
}

function parseList(lines: Line[], i: number, indent: number): [unknown[], number] {
  const out: unknown[] = []
  while (i < lines.length && lines[i].indent === indent && isItem(lines[i].text)) {
    const rest = lines[i].text.slice(1)
    const content = rest.trimStart()
    let value: unknown
    if (content === '' || content[0] === '#') {
      ;[value, i] = parseNested(lines, i + 1, indent, false)
    } else {
      // `- key: value` opens a map whose keys sit at the column of `key`.
      lines[i] = {indent: indent + 1 + (rest.length - content.length), text: content}
      if (isItem(content) || /^(?:"[^"]*"|'[^']*'|[^'"][^#]*?):(?: |$)/.test(content)) [value, i] = parseNode(lines, i)
      else {
        value = scalar(content)
        i++
      }
    }
    out.push(value)
  }
  if (i < lines.length && lines[i].indent > indent) unsupported()
  return [out, i]
}

function parseMap(lines: Line[], i: number, indent: number): [Record<string, unknown>, number] {
  const out: Record<string, unknown> = {}
  while (i < lines.length && lines[i].indent === indent && !isItem(lines[i].text)) {
    const [key, rest] = splitKey(lines[i].text)
    if (Object.hasOwn(out, key)) unsupported() // the full parser reports duplicate keys
    const content = rest.trim()
    if (content === '' || content[0] === '#') [out[key], i] = parseNested(lines, i + 1, indent, true)
    else {
      out[key] = scalar(content)
      i++
    }
  }
  if (i < lines.length && lines[i].indent > indent) unsupported()
  return [out, i]
}

/** Parses `text` if it is inside the subset; undefined means "use the full YAML parser". */
export function parseLeanYaml(text: string): unknown {
  const lines: Line[] = []
  for (const raw of text.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw
    const body = line.trimStart()
    if (body === '' || body[0] === '#') continue
    const indent = line.length - body.length
    if (line.slice(0, indent).includes('\t') || body.startsWith('---') || body.startsWith('...') || body[0] === '%') return undefined
    lines.push({indent, text: body.trimEnd()})
  }
  try {
    if (lines.length === 0) return null
    if (lines[0].indent !== 0) return undefined
    const [value, next] = parseNode(lines, 0)
    return next === lines.length ? value : undefined
  } catch (error) {
    if (error instanceof Unsupported) return undefined
    throw error
  }
}
