import assert from 'node:assert/strict'
import {writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import type {HandlerInput} from '../../src/cli/handler.js'
import {type LeanManifest, type LeanRun, runLean} from '../../src/cli/lean.js'
import {makeTempDir} from '../helpers/cli.js'

// A manifest entry shaped like the ones the build writes to dist/lean/manifest.json, and a loader whose handler
// records what it received.
const manifest: LeanManifest = {
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
  let seen: {input: HandlerInput; json: boolean} | undefined
  const echo: LeanRun = async (input, json) => {
    seen = {input, json}
    return input.args.name === 'no' ? 1 : 0
  }
  before(async () => {
    ;({cleanup, dir} = await makeTempDir())
    await writeFile(join(dir, 'manifest.json'), JSON.stringify(manifest))
  })
  after(() => cleanup())

  const run = async (argv: string[], load: (id: string) => LeanRun | undefined = (id) => (id === 'demo:echo' ? echo : undefined)) => {
    seen = undefined
    return runLean(argv, {load, manifestPath: join(dir, 'manifest.json')})
  }

  it('parses flags and args from the manifest and returns the handler exit code', async () => {
    process.env.DEMO_TOKEN = 'from-env'
    try {
      assert.equal(await run(['demo', 'echo', 'jane', 'x', '-g', 'a', '--group=b', '--force', '-o', 'yaml', '--roles', 'os:reader,os:admin']), 0)
    } finally {
      delete process.env.DEMO_TOKEN
    }
    assert.deepEqual(seen, {
      input: {
        args: {extra: 'x', name: 'jane'},
        argv: ['jane', 'x'],
        flags: {force: true, group: ['a', 'b'], output: 'yaml', roles: ['os:reader', 'os:admin'], token: 'from-env', ttl: '8760h'},
      },
      json: false,
    })
    assert.equal(await run(['demo', 'echo', 'no']), 1)
  })

  it('asks for JSON output with --json or AUTHCTL_CONTENT_TYPE=json', async () => {
    await run(['demo', 'echo', 'jane', '--json'])
    assert.equal(seen?.json, true)
    process.env.AUTHCTL_CONTENT_TYPE = 'JSON'
    try {
      await run(['demo', 'echo', 'jane'])
    } finally {
      delete process.env.AUTHCTL_CONTENT_TYPE
    }
    assert.equal(seen?.json, true)
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

  it('defers when the handler cannot be loaded or the manifest cannot be read', async () => {
    assert.equal(await run(['demo', 'echo', 'jane'], () => undefined), undefined)
    const missing = () => {
      throw Object.assign(new Error('Cannot find module'), {code: 'MODULE_NOT_FOUND'})
    }
    assert.equal(await run(['demo', 'echo', 'jane'], missing), undefined)
    assert.equal(await runLean(['demo', 'echo', 'jane'], {load: () => echo, manifestPath: join(dir, 'nosuch.json')}), undefined)
    assert.equal(seen, undefined)
  })
})
