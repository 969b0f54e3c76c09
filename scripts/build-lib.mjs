// The library build (run by prepack after the CLI build): one bundle per entry point in src/lib/api-entry, as ESM
// (shared chunks, so errors keep one class across entry points) and CommonJS, plus .d.ts files from tsc. Separate from
// the CLI's bundles, so the command line's start-up path never loads them. Dependencies stay external: npm installs them.
import {build} from 'esbuild'
import {execFileSync} from 'node:child_process'
import {readdirSync, rmSync} from 'node:fs'
import {join} from 'node:path'

const root = new URL('..', import.meta.url).pathname
const entryDir = join(root, 'src/lib/api-entry')

/** The entry point names (`authctl/<name>`), from the files in src/lib/api-entry. */
export function libEntries() {
  return readdirSync(entryDir).filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -3)).sort()
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const out = join(root, 'dist/lib')
  rmSync(out, {force: true, recursive: true})
  rmSync(join(root, 'dist/types'), {force: true, recursive: true})
  const entryPoints = Object.fromEntries(libEntries().map((name) => [name, join(entryDir, `${name}.ts`)]))
  const common = {bundle: true, entryPoints, logLevel: 'warning', outdir: out, packages: 'external', platform: 'node', sourcemap: 'linked', target: 'node20'}
  await build({...common, chunkNames: 'chunks/[name]-[hash]', format: 'esm', splitting: true})
  await build({...common, format: 'cjs', outExtension: {'.js': '.cjs'}})
  execFileSync('npx', ['tsc', '-p', 'tsconfig.lib.json'], {cwd: root, stdio: 'inherit'})
}
