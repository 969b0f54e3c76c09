// YAML output as kubectl prints it (JSON → go-yaml): keys sorted, lists not indented under their key, strings plain
// when that is unambiguous and double-quoted otherwise. A dedicated emitter because `view --flatten` of a 10,000
// context file must not pay for a general YAML document model.
type Value = null | boolean | number | string | Value[] | {[key: string]: Value}

// Plain scalars that read back as the same string under YAML 1.1 and 1.2 (see lean-yaml.ts for the reader side).
const PLAIN = /^[A-Za-z_/][A-Za-z0-9_./:@+=~-]*$|^\.\/[A-Za-z0-9_./:@+=~-]*$/
const SPECIAL = /^(?:y|yes|n|no|on|off|true|false|null)$/i

export function yamlScalar(value: Value): string {
  if (value === null) return 'null'
  if (typeof value === 'string') {
    return PLAIN.test(value) && !value.endsWith(':') && !SPECIAL.test(value) ? value : JSON.stringify(value)
  }
  if (Array.isArray(value)) return '[]'
  if (typeof value === 'object') return '{}'
  return String(value)
}

const isBlock = (value: Value): boolean =>
  typeof value === 'object' && value !== null && (Array.isArray(value) ? value.length > 0 : Object.keys(value).length > 0)

const keyText = (key: string) => (PLAIN.test(key) && !SPECIAL.test(key) ? key : JSON.stringify(key))

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
