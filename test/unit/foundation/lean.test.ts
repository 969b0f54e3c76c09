import assert from 'node:assert/strict'
import {writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'

import {runLean} from '../../../src/cli/lean.js'
import {makeTempDir} from '../../helpers/cli.js'

// A manifest entry shaped like the ones oclif writes, and a handler that records what it received.
const manifest = {
  commands: {
    'demo:echo': {
      args: {name: {name: 'name', required: true}, extra: {name: 'extra'}},
      flags: {
        force: {allowNo: false, name: 'force', type: 'boolean'},
        group: {multiple: true, multipleNonGreedy: true, name: 'group', char: 'g', type: 'option'},
        greedy: {multiple: true, name: 'greedy', type: 'option'},
        json: {allowNo: false, name: 'json', type: 'boolean'},
        output: {char: 'o', name: 'output', options: ['text', 'json', 'yaml'], type: 'option'},
        roles: {delimiter: ',', multiple: true, multipleNonGreedy: true, name: 'roles', type: 'option'},
        ttl: {default: '8760h', name: 'ttl', type: 'option'},
        token: {env: 'DEMO_TOKEN', name: 'token', type: 'option'},
        needed: {name: 'needed', required: false, type: 'option'},
        one: {exclusive: ['two'], name: 'one', type: 'option'},
      },
      id: 'demo:echo',
    },
  },
}

describe('lean runner', () => {
  let dir: string
  let cleanup: () => Promise<void>
  let seen: unknown
  before(async () => {
    ;({cleanup, dir} = await makeTempDir())
    await writeFile(join(dir, 'manifest.json'), JSON.stringify(manifest))
    await import('node:fs/promises').then((fs) => fs.mkdir(join(dir, 'handlers/demo'), {recursive: true}))
    await writeFile(
      join(dir, 'handlers/demo/echo.js'),
      'export default async (input) => { globalThis.__leanSeen = input; return {exitCode: input.args.name === "no" ? 1 : 0} }',
    )
  })
  after(() => cleanup())

  const run = async (argv: string[]) => {
    ;(globalThis as any).__leanSeen = undefined
    const code = await runLean(argv, pathToFileURL(join(dir, 'manifest.json')), pathToFileURL(join(dir, 'handlers/')))
    seen = (globalThis as any).__leanSeen
    return code
  }

  it('parses flags and args from the manifest and returns the handler exit code', async () => {
    process.env.DEMO_TOKEN = 'from-env'
    try {
      assert.equal(await run(['demo', 'echo', 'jane', 'x', '-g', 'a', '--group=b', '--force', '-o', 'yaml', '--roles', 'os:reader,os:admin']), 0)
    } finally {
      delete process.env.DEMO_TOKEN
    }
    assert.deepEqual(seen, {
      args: {extra: 'x', name: 'jane'},
      argv: ['jane', 'x'],
      flags: {force: true, group: ['a', 'b'], output: 'yaml', roles: ['os:reader', 'os:admin'], token: 'from-env', ttl: '8760h'},
    })
    assert.equal(await run(['demo', 'echo', 'no']), 1)
  })

  it('defers to oclif (undefined) whenever it is not sure', async () => {
    const deferred = [
      ['demo', 'echo', 'jane', '--help'],
      ['demo', 'echo'], // missing required arg
      ['demo', 'echo', 'a', 'b', 'c'], // too many args
      ['demo', 'echo', 'jane', '--unknown'],
      ['demo', 'echo', 'jane', '-o', 'xml'], // not one of the options
      ['demo', 'echo', 'jane', '--greedy', 'v'], // greedy multiple flag
      ['demo', 'echo', 'jane', '--one', 'v'], // flag relationships
      ['nosuch', 'command'],
    ]
    for (const argv of deferred) assert.equal(await run(argv), undefined, argv.join(' '))
    assert.equal(seen, undefined)
  })
})
