// go-yaml's rule for writing a Go string: plain when the plain text would read back as the same string,
// double-quoted otherwise. kubectl (sigs.k8s.io/yaml → go-yaml v2) and talosctl (go.yaml.in/yaml/v4 with v3
// defaults) resolve plain scalars the same way — YAML 1.1 words, Go's strconv numbers, base-60 floats and four
// time.Parse layouts (both versions; the timestamp rule is not where they differ) — so one table serves both,
// checked against real kubectl. The versions differ in one word: v3 and later also quote the merge key `<<`.
//
// The other difference is the reader on the other side. authctl reads kubeconfig back with the `yaml` library in
// YAML 1.1 mode, which resolves more than go-yaml does (`e0` as null, `2001-13-45` as a date, `+inf` as a float,
// `<<` as a merge key), so the kubeconfig writer also quotes those: option `yaml11Reader`. talosconfig is read by
// its source text, so it needs only go-yaml's own rule.

const resolvedWords = new Set([
  '', '~', 'null', 'Null', 'NULL', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE',
  '.nan', '.NaN', '.NAN', '.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF', '-.inf', '-.Inf', '-.INF',
  // YAML 1.1 booleans: go-yaml v2 resolves them, v3/v4 quote them for older readers (isOldBool).
  'y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON', 'n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF',
])
// strconv.ParseInt/ParseUint with base 0 after go-yaml removes underscores; the range check is in goInteger.
const goIntSyntax = /^([-+]?)(0[xX][0-9a-fA-F]+|0[oO]?[0-7]+|0[bB][01]+|[0-9]+)$/
const goFloatSyntax = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/
const base60Float = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/
// time.Parse layouts "2006-1-2", "2006-1-2 15:4:5.999999999" and "2006-1-2T15:4:5.999999999Z07:00" (also with `t`).
const goTimestampSyntax =
  /^(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:([Tt])|( ))(\d{1,2}):(\d{1,2}):(\d{1,2})(?:[.,]\d+)?(Z|[-+]\d{2}:\d{2})?)?$/

function goInteger(text: string): boolean {
  const match = goIntSyntax.exec(text)
  if (!match) return false
  const [, sign, digits] = match
  // Leading-zero decimals are octal for Go; `08` fails ParseInt but still reads back as the float 8.
  const body = /^0[0-7]+$/.test(digits) ? `0o${digits.slice(1)}` : /^0[oO]/.test(digits) ? `0o${digits.slice(2)}` : digits
  if (/^0[0-9]+$/.test(body)) return false
  const value = BigInt(body)
  // ParseInt takes a sign and int64; ParseUint takes no sign and uint64.
  return sign === '-' ? value <= 2n ** 63n : sign === '+' ? value < 2n ** 63n : value < 2n ** 64n
}

function daysIn(month: number, year: number): number {
  return month === 2 ? (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31
}

function goTimestamp(text: string): boolean {
  const match = goTimestampSyntax.exec(text)
  if (!match) return false
  const [, year, month, day, t, space, hour, minute, second, zone] = match
  if (Number(month) < 1 || Number(month) > 12 || Number(day) < 1 || Number(day) > daysIn(Number(month), Number(year))) return false
  if (hour === undefined) return true
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) return false
  // The space-separated layout has no zone; the T/t layouts require one (Z or ±hh:mm).
  if (space !== undefined) return zone === undefined
  return t !== undefined && zone !== undefined && (zone === 'Z' || (Number(zone.slice(1, 3)) <= 24 && Number(zone.slice(4)) <= 60))
}

/** True when go-yaml would resolve the plain scalar to something other than a string, so it writes it quoted. */
export function goYamlResolvesNonString(s: string): boolean {
  if (resolvedWords.has(s)) return true
  if (!/^[-+.0-9]/.test(s)) return false
  if (s.startsWith('.')) return goFloatSyntax.test(s)
  const plain = s.replaceAll('_', '')
  return goTimestamp(s) || goInteger(plain) || goFloatSyntax.test(plain) || base60Float.test(s)
}

// What the `yaml` library's YAML 1.1 schema resolves beyond go-yaml: any date-prefixed text, underscore-only
// digits after 0b/0x, its looser float pattern (which also matches `e0`, `-`, `.`), and inf/nan in any case.
const yaml11Extra = [
  /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}/,
  /^[-+]?(?:0b[01_]+|0x[0-9a-fA-F_]+)$/,
  /^[-+]?(?:[0-9][0-9_]*)?(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?$/,
  /^[-+]?\.(?:inf|Inf|INF)$|^\.(?:nan|NaN|NAN)$|^[-+](?:inf|infinity|nan)$/i,
]

export interface GoYamlQuoting {
  /** go-yaml's major version: 2 for kubectl (sigs.k8s.io/yaml), 3 for talosctl (v4's Marshal keeps v3 defaults). */
  version: 2 | 3
  /** The text is read back by a YAML 1.1 reader too (the `yaml` library with version 1.1), so quote what it resolves. */
  yaml11Reader?: boolean
}

/** Whether go-yaml writes the string double-quoted (before any style choice for text that cannot be plain). */
export function goYamlQuotes(s: string, options: GoYamlQuoting): boolean {
  if (s === '<<') return options.version >= 3 || options.yaml11Reader === true
  return goYamlResolvesNonString(s) || (options.yaml11Reader === true && yaml11Extra.some((re) => re.test(s)))
}

/** Whether go-yaml's emitter can write the text plain (no indicator first, no `: ` or ` #`, no edge spaces). */
export function goYamlPlainAllowed(s: string): boolean {
  if (/^\s|\s$/.test(s) || /[^\x20-\x7e]/.test(s)) return false
  if (/^[#,[\]{}&*!|>'"%@`]/.test(s)) return false
  if (/^[-?:](?:\s|$)/.test(s)) return false
  return !s.includes(': ') && !s.endsWith(':') && !s.includes(' #')
}

// ---------------------------------------------------------------------------------------- kubectl's YAML printer

// YAML output as kubectl prints it (JSON → go-yaml v2): keys sorted, lists not indented under their key, strings
// plain when that is unambiguous and quoted otherwise. A dedicated emitter because `view --flatten` of a 10,000
// context file must not pay for a general YAML document model.
type Value = null | boolean | number | string | Value[] | {[key: string]: Value}

// kubectl writes with go-yaml v2, and authctl's kubeconfig reader is the `yaml` library in YAML 1.1 mode.
const KUBECTL_QUOTING: GoYamlQuoting = {version: 2, yaml11Reader: true}

/** One scalar: double-quoted when it would read back as another type, single-quoted when it cannot be plain. */
export function yamlScalar(value: Value): string {
  if (value === null) return 'null'
  if (typeof value === 'string') {
    if (goYamlQuotes(value, KUBECTL_QUOTING) || /[^\x20-\x7e]/.test(value)) return JSON.stringify(value)
    return goYamlPlainAllowed(value) ? value : `'${value.replaceAll("'", "''")}'`
  }
  if (Array.isArray(value)) return '[]'
  if (typeof value === 'object') return '{}'
  return String(value)
}

const isBlock = (value: Value): boolean =>
  typeof value === 'object' && value !== null && (Array.isArray(value) ? value.length > 0 : Object.keys(value).length > 0)

const keyText = (key: string) => yamlScalar(key)

function write(out: string[], value: Value, indent: string): void {
  if (Array.isArray(value)) {
    for (const item of value) {
      if (!isBlock(item)) {
        out.push(`${indent}- ${yamlScalar(item)}`)
        continue
      }
      const start = out.length
      write(out, item, indent + '  ')
      out[start] = `${indent}- ${out[start].slice(indent.length + 2)}`
    }
    return
  }
  const map = value as {[key: string]: Value}
  for (const key of Object.keys(map).sort()) {
    const item = map[key]
    if (item === undefined) continue
    if (!isBlock(item)) out.push(`${indent}${keyText(key)}: ${yamlScalar(item)}`)
    else {
      out.push(`${indent}${keyText(key)}:`)
      write(out, item, Array.isArray(item) ? indent : indent + '  ')
    }
  }
}

export function toKubectlYaml(value: unknown): string {
  const v = value as Value
  if (!isBlock(v)) return yamlScalar(v) + '\n'
  const out: string[] = []
  write(out, v, '')
  return out.join('\n') + '\n'
}
