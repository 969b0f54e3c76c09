#!/usr/bin/env node
// Production entry, CommonJS because node's ESM loader alone adds ~5 ms to every start. `--version` is answered at
// once; other commands go through the lean runner (dist/lean: argv parsed from a slim manifest, then the command's
// self-contained handler bundle) and fall back to oclif for help and usage errors.
'use strict'

const argv = process.argv.slice(2)
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
  const {version} = require('../package.json')
  process.stdout.write(`authctl/${version} ${process.platform}-${process.arch} node-${process.version}\n`)
} else if (argv[0] === '__complete') {
  // Completion runs on every TAB. The words after it belong to the command being typed (its flags included), so
  // they go to the completer's bundle as they are instead of through the runner's flag parser.
  require(`${__dirname}/../dist/lean/__complete.cjs`)
    .run({args: {}, argv: argv.slice(1), flags: {}}, false)
    .then((code) => (process.exitCode = code))
} else {
  const lean = `${__dirname}/../dist/lean`
  require(`${lean}/runner.cjs`)
    .runLean(argv, {
      load: (id) => require(`${lean}/${id.replaceAll(':', '.')}.cjs`).run,
      manifestPath: `${lean}/manifest.json`,
    })
    .then((code) => {
      if (code === undefined) return require('@oclif/core').execute({dir: __filename})
      process.exitCode = code
    })
}
