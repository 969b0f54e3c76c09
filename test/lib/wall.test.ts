import assert from 'node:assert/strict'
import {mkdir, writeFile} from 'node:fs/promises'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

// @ts-expect-error a plain ES module shared with the build (scripts/build.mjs), no type declarations
import {libWallViolations} from '../../scripts/lib-wall.mjs'
import {makeTempDir} from '../helpers/cli.js'

const root = join(dirname(fileURLToPath(import.meta.url)), '../..')

async function tree(files: Record<string, string>): Promise<{dir: string; cleanup: () => Promise<void>}> {
  const temp = await makeTempDir()
  const {dir} = temp
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), {recursive: true})
    await writeFile(join(dir, path), text)
  }
  return temp
}

describe('the wall between src/lib and the command line', () => {
  it('src/lib imports nothing from cli, handlers, commands or oclif, and prints only through lib/output and lib/io.ts', () => {
    assert.deepEqual(libWallViolations(root), [])
  })

  it('the check finds each kind of breach, and allows lib/io.ts and lib/output', async () => {
    const {cleanup, dir} = await tree({
      'src/cli/handler.ts': 'export type Io = {}\n',
      'src/lib/a.ts': "import type {Io} from '../cli/handler.js'\n",
      'src/lib/deep/b.ts': "import {Command} from '@oclif/core'\nconst m = await import('../../handlers/x.js')\n",
      'src/lib/c.ts': "import handler from '../commands/pki/ca.js'\nprocess.stderr.write('x')\n",
      'src/lib/d.ts': "export const out = () => process.stdout.write('x')\n",
      'src/lib/io.ts': "process.stdout.write('x'); process.stderr.write('y')\n",
      'src/lib/output/render.ts': "process.stdout.write('x')\n",
      'src/lib/fine.ts': "import {x} from './output/render.js'\nimport {y} from '../lib/io.js'\n",
    })
    assert.deepEqual(libWallViolations(dir).sort(), [
      'src/lib/a.ts: imports ../cli/handler.js',
      'src/lib/c.ts: imports ../commands/pki/ca.js',
      'src/lib/c.ts: uses process.stderr',
      'src/lib/d.ts: uses process.stdout',
      'src/lib/deep/b.ts: imports ../../handlers/x.js',
      'src/lib/deep/b.ts: imports @oclif/core',
    ])
    await cleanup()
  })
})
