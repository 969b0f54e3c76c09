// Build: type-check, bundle every command (libraries split into shared chunks so a command loads only what it
// imports), then write the oclif manifest so start-up never scans or imports other commands.
import {build} from 'esbuild'
import {execFileSync} from 'node:child_process'
import {existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'

const root = new URL('..', import.meta.url).pathname
const run = (cmd, args) => execFileSync(cmd, args, {cwd: root, stdio: 'inherit'})

function commandFiles(dir) {
  if (!existsSync(dir)) return []
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return commandFiles(path)
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [path] : []
  })
}

if (!process.argv.includes('--no-check')) run('npx', ['tsc', '-p', 'tsconfig.json'])
rmSync(join(root, 'dist'), {force: true, recursive: true})
await build({
  entryPoints: [
    ...commandFiles(join(root, 'src/commands')),
    ...commandFiles(join(root, 'src/handlers')),
    ...commandFiles(join(root, 'src/hooks')),
    join(root, 'src/cli/lean.ts'),
  ],
  outdir: join(root, 'dist'),
  outbase: join(root, 'src'),
  bundle: true,
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minify: true,
  keepNames: true,
  sourcemap: 'linked',
  // One framework instance for the runner, the plugins and our commands.
  external: ['@oclif/core', '@oclif/plugin-help', '@oclif/plugin-autocomplete', 'typescript'],
  // Bundled CommonJS dependencies call require(); give the ESM bundle one.
  banner: {js: "import {createRequire as __cr} from 'node:module';const require=__cr(import.meta.url);"},
  logLevel: 'warning',
})
run('npx', ['oclif', 'manifest'])

// oclif's manifest leaves out multipleNonGreedy; the lean runner needs it to parse repeatable flags itself instead of
// handing every command line that uses one to oclif.
const manifestPath = join(root, 'oclif.manifest.json')
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'))
for (const [id, entry] of Object.entries(manifest.commands)) {
  const {default: command} = await import(pathToFileURL(join(root, 'dist/commands', `${id.replaceAll(':', '/')}.js`)).href)
  for (const [name, flag] of Object.entries(command.flags ?? {})) {
    if (flag.multipleNonGreedy && entry.flags[name]) entry.flags[name].multipleNonGreedy = true
  }
}
writeFileSync(manifestPath, JSON.stringify(manifest, null, 2) + '\n')
