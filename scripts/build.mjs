// Build: type-check, bundle every command for oclif (libraries split into shared chunks so a command loads only what
// it imports), write the oclif manifest so start-up never scans or imports other commands, then the lean tree that
// bin/run.cjs runs ordinary command lines from (see leanTree below).
import {build} from 'esbuild'
import {execFileSync} from 'node:child_process'
import {existsSync, readdirSync, readFileSync, statSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {libWallViolations} from './lib-wall.mjs'

const root = new URL('..', import.meta.url).pathname
// The one source file of ours that gets a shared lean bundle of its own (see leanTree).
const CEL_SOURCE = join(root, 'src/lib/cel/index.ts')
const run = (cmd, args) => execFileSync(cmd, args, {cwd: root, stdio: 'inherit'})

function commandFiles(dir) {
  if (!existsSync(dir)) return []
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return commandFiles(path)
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [path] : []
  })
}

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  minify: true,
  keepNames: true,
  sourcemap: 'linked',
  logLevel: 'warning',
}

if (!process.argv.includes('--no-check')) run('npx', ['tsc', '-p', 'tsconfig.json'])
// Being moved behind the Io port on their own branches; delete each entry when its fix is merged.
const breaches = libWallViolations(root)
if (breaches.length > 0) throw new Error(`src/lib must not import the CLI side or oclif, nor print outside lib/output and lib/io.ts:\n  ${breaches.join('\n  ')}`)
rmSync(join(root, 'dist'), {force: true, recursive: true})
await build({
  ...common,
  entryPoints: [...commandFiles(join(root, 'src/commands')), ...commandFiles(join(root, 'src/hooks'))],
  outdir: join(root, 'dist'),
  outbase: join(root, 'src'),
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  format: 'esm',
  // One framework instance for the runner, the plugins and our commands.
  external: ['@oclif/core', '@oclif/plugin-help', 'typescript'],
  // Bundled CommonJS dependencies call require(); give the ESM bundle one.
  banner: {js: "import {createRequire as __cr} from 'node:module';const require=__cr(import.meta.url);"},
})
run('npx', ['oclif', 'manifest'])
const manifest = JSON.parse(readFileSync(join(root, 'oclif.manifest.json'), 'utf8'))
await leanTree(manifest)
writeLeanManifest(manifest)

// dist/lean: the command lines bin/run.cjs runs without oclif, as CommonJS (node's ESM loader alone costs ~5 ms of
// every start). runner.cjs is the argv parser; every command gets one self-contained bundle exporting
// run(input, json), so a call loads two files (three when it reads YAML) and nothing else. Self-contained because
// errors are classes checked with instanceof: the handler and the runHandler that reports its errors must share one
// copy of them. The exceptions are libraries that most calls never touch, because node reads a bundle's
// whole text on every call: yaml (119 KB) and jose (66 KB; `oidc get-token` runs on every kubectl call and needs it
// only to log in or refresh), chalk, loaded only when output is coloured, and @inquirer/prompts (prompts.cjs), only
// when a question is asked, and age-encryption (161 KB, twice yaml's import time), only when a file is age-encrypted. Each is one shared dist/lean/<library>.cjs, required when needed. Bundles sit side by
// side (dist/lean/<topic>.<cmd>.cjs) so that one relative path reaches them from all of them.
async function leanTree({commands}) {
  const SHARED_LIBRARIES = ['yaml', 'jose', 'chalk', '@inquirer/prompts', 'age-encryption'] // also named in leanEntries' resolver
  const ids = Object.keys(commands)
  const leanName = (library) => library.slice(library.lastIndexOf('/') + 1)
  for (const reserved of ['runner', 'cel', ...SHARED_LIBRARIES.map(leanName)]) {
    if (ids.includes(reserved)) throw new Error(`a command named "${reserved}" would overwrite dist/lean/${reserved}.cjs`)
  }
  // import() of a shared library becomes require(): node's ES module loader would cost ~5 ms on first use.
  const lean = {...common, outdir: join(root, 'dist/lean'), format: 'cjs', outExtension: {'.js': '.cjs'}, supported: {'dynamic-import': false}}
  check(await build({...lean, entryPoints: SHARED_LIBRARIES.map((name) => ({in: name, out: leanName(name)}))}))
  // Our CEL environment with its library (140 KB): only commands given an authentication or authorization
  // configuration evaluate expressions, so it is its own file, required on first use.
  check(await build({...lean, entryPoints: [{in: CEL_SOURCE, out: 'cel'}]}))
  check(await build({
    ...lean,
    entryPoints: [
      {in: join(root, 'src/cli/lean.ts'), out: 'runner'},
      ...ids.map((id) => ({in: `lean-entry:${id}`, out: id.replaceAll(':', '.')})),
    ],
    plugins: [leanEntries()],
  }))
}

// The entry of a command's lean bundle, generated rather than kept as one file per command.
function leanEntries() {
  return {
    name: 'lean-entries',
    setup(b) {
      b.onResolve({filter: /^lean-entry:/}, ({path}) => ({namespace: 'lean-entry', path: path.slice('lean-entry:'.length)}))
      b.onLoad({filter: /.*/, namespace: 'lean-entry'}, ({path: id}) => {
        const handler = join(root, 'src/handlers', `${id.replaceAll(':', '/')}.ts`)
        if (!existsSync(handler)) throw new Error(`command ${id} has no handler at ${handler}`)
        return {
          contents: [
            `import handler from ${JSON.stringify(handler)}`,
            `import {runHandler} from ${JSON.stringify(join(root, 'src/cli/handler.ts'))}`,
            `import {processIo} from ${JSON.stringify(join(root, 'src/lib/io.ts'))}`,
            'export const run = async (input, json) => runHandler(handler, input, await processIo(json, input.flags.color))',
          ].join('\n'),
          loader: 'js',
          resolveDir: root,
        }
      })
      b.onResolve({filter: /^(yaml|jose|chalk|@inquirer\/prompts|age-encryption)$/}, ({path}) => ({external: true, path: `./${path.slice(path.lastIndexOf('/') + 1)}.cjs`}))
      b.onResolve({filter: /\/cel\/index\.js$/}, ({path, resolveDir}) => (join(resolveDir, path) === CEL_SOURCE.replace(/\.ts$/, '.js') ? {external: true, path: './cel.cjs'} : undefined))
      // Handlers never import oclif; a bundle that did would quietly carry the framework into every call.
      b.onResolve({filter: /^@oclif\//}, ({importer, path}) => ({errors: [{text: `${importer} imports ${path}: handlers must not use oclif`}]}))
    },
  }
}

// import.meta is empty in CommonJS output and esbuild only warns; a lean bundle that needs it would break at run time.
function check({warnings}) {
  if (warnings.length > 0) throw new Error(`lean build: ${warnings.length} warning(s), see above`)
}

// The runner reads only ids, aliases, strictness, args and the parsing side of each flag: a few KB instead of the
// whole oclif manifest (descriptions, examples, help) on every call. oclif's manifest leaves out multipleNonGreedy;
// every repeatable authctl flag is non-greedy (one value per occurrence, as pflag's are: test/cli/parse-corpus.test.ts
// checks the command classes), so the runner is told so for every `multiple` flag.
function writeLeanManifest({commands}) {
  // Absent means false (or none) to the runner, except for strict, which defaults to true, and a flag's default.
  const kept = (key, value) =>
    value !== undefined && !(Array.isArray(value) && value.length === 0) && (value !== false || key === 'strict' || key === 'default')
  const pick = (object, keys) => Object.fromEntries(keys.filter((k) => kept(k, object[k])).map((k) => [k, object[k]]))
  const flagKeys = ['name', 'type', 'char', 'allowNo', 'multiple', 'delimiter', 'options', 'default', 'env', 'required', 'dependsOn', 'exclusive', 'exactlyOne', 'relationships']
  const lean = {commands: {}}
  for (const [id, command] of Object.entries(commands)) {
    lean.commands[id] = {
      ...pick(command, ['id', 'aliases', 'strict']),
      args: Object.fromEntries(Object.entries(command.args).map(([name, arg]) => [name, pick(arg, ['name', 'default', 'options', 'required'])])),
      flags: Object.fromEntries(Object.entries(command.flags).map(([name, flag]) => [name, {...pick(flag, flagKeys), ...(flag.multiple ? {multipleNonGreedy: true} : {})}])),
    }
  }
  writeFileSync(join(root, 'dist/lean/manifest.json'), JSON.stringify(lean))
}
