#!/usr/bin/env node
// Production entry. `--version` is answered at once; other commands go through the lean runner (handler called
// straight from the manifest's flag definitions) and fall back to oclif for help, completion and usage errors.
import {readFileSync} from 'node:fs'

const argv = process.argv.slice(2)
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
  const {version} = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
  process.stdout.write(`authctl/${version} ${process.platform}-${process.arch} node-${process.version}\n`)
} else {
  const {runLean} = await import('../dist/cli/lean.js')
  const code = await runLean(
    argv,
    new URL('../oclif.manifest.json', import.meta.url),
    new URL('../dist/handlers/', import.meta.url),
  )
  if (code === undefined) {
    const {execute} = await import('@oclif/core')
    await execute({dir: import.meta.url})
  } else {
    process.exitCode = code
  }
}
