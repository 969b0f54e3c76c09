// The wall between the library and the command line (design: "src/lib never imports src/cli, handlers, commands
// or oclif, and never prints outside output/"). Checked by the build and by test/lib/wall.test.ts.
import {readdirSync, readFileSync, statSync} from 'node:fs'
import {dirname, join, relative, resolve, sep} from 'node:path'

const CLI_SIDE = ['src/cli', 'src/handlers', 'src/commands', 'src/hooks']
// Only these may write to the process's streams: the process-backed Io, and the renderers.
const MAY_PRINT = ['src/lib/io.ts', 'src/lib/output/']

function sourceFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return sourceFiles(path)
    return /\.[cm]?[jt]s$/.test(name) && !name.endsWith('.d.ts') ? [path] : []
  })
}

const specifiers = (text) =>
  [...text.matchAll(/\b(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g), ...text.matchAll(/\brequire\s*\(\s*['"]([^'"]+)['"]/g)].map((m) => m[1])

/** `file: what is wrong` for every breach of the wall under `root`/src/lib; empty when there is none. */
export function libWallViolations(root) {
  const violations = []
  for (const file of sourceFiles(join(root, 'src/lib'))) {
    const name = relative(root, file).split(sep).join('/')
    const text = readFileSync(file, 'utf8')
    for (const spec of specifiers(text)) {
      if (spec.startsWith('@oclif/')) violations.push(`${name}: imports ${spec}`)
      if (!spec.startsWith('.')) continue
      const target = relative(root, resolve(dirname(file), spec)).split(sep).join('/')
      if (CLI_SIDE.some((dir) => target === dir || target.startsWith(`${dir}/`))) violations.push(`${name}: imports ${spec}`)
    }
    if (!MAY_PRINT.some((allowed) => name === allowed || (allowed.endsWith('/') && name.startsWith(allowed)))) {
      for (const match of text.matchAll(/\bprocess\.(stdout|stderr)\b/g)) violations.push(`${name}: uses process.${match[1]}`)
    }
  }
  return [...new Set(violations)]
}
