// YAML output as kubectl prints it (JSON → go-yaml): keys sorted, lists not indented under their key, strings plain
// when that is unambiguous and double-quoted otherwise. A dedicated emitter because `view --flatten` of a 10,000
// context file must not pay for a general YAML document model.
type Value = null | boolean | number | string | Value[] | {[key: string]: Value}

// go-yaml's rules: a string that would read back as another type (YAML 1.1 bool, null, number, timestamp) is
// double-quoted; one that cannot be plain (indicator first, `: ` or ` #` inside, edge spaces) is single-quoted.
const NON_STRING = [
  /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF|true|True|TRUE|false|False|FALSE|null|Null|NULL|~|<<)$/,
  /^[-+]?(?:0b[01_]+|0x[0-9a-fA-F_]+|[0-9][0-9_]*)$/,
  /^[-+]?(?:\.[0-9_]+|[0-9][0-9_]*(?:\.[0-9_]*)?)(?:[eE][-+]?[0-9]+)?$/,
  /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/,
  /^[-+]?\.(?:inf|Inf|INF)$|^\.(?:nan|NaN|NAN)$|^[-+](?:inf|infinity|nan)$/i,
  /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}/,
  // The yaml library's YAML 1.1 float pattern also matches strings such as `e0`; quoting them is harmless.
  /^[-+]?(?:[0-9][0-9_]*)?(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?$/,
]

function plainAllowed(s: string): boolean {
  if (/^\s|\s$/.test(s) || /[^\x20-\x7e]/.test(s)) return false
  if (/^[#,[\]{}&*!|>'"%@`]/.test(s)) return false
  if (/^[-?:](?:\s|$)/.test(s)) return false
  return !s.includes(': ') && !s.endsWith(':') && !s.includes(' #')
}

export function yamlScalar(value: Value): string {
  if (value === null) return 'null'
  if (typeof value === 'string') {
    if (value === '' || NON_STRING.some((re) => re.test(value)) || /[^\x20-\x7e]/.test(value)) return JSON.stringify(value)
    return plainAllowed(value) ? value : `'${value.replaceAll("'", "''")}'`
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
