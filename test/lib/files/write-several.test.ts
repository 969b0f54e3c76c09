// writeFilesAtomic stages every file before the first rename: a write that fails part-way leaves every target as
// it was and no temp file behind.
import assert from 'node:assert/strict'
import {readdir, readFile, writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {makeTempDir} from '../../helpers/cli.js'
import {writeFilesAtomic} from '../../../src/lib/files/write.js'

describe('writeFilesAtomic (several files)', () => {
  let dir: string
  let cleanup: () => Promise<void>
  before(async () => ({cleanup, dir} = await makeTempDir('authctl-write-several-')))
  after(() => cleanup?.())

  it('a failure writing the second file leaves the first unchanged and removes the staged temp files', async () => {
    await writeFile(join(dir, 'a'), 'old a')
    await writeFile(join(dir, 'b'), 'old b')
    // Data the file handle cannot write: the second file fails after the first one is fully staged.
    const unwritable = {length: 1} as unknown as string
    await assert.rejects(writeFilesAtomic([{data: 'new a', path: join(dir, 'a')}, {data: unwritable, path: join(dir, 'b')}], {force: true}), /cannot write/)
    assert.equal(await readFile(join(dir, 'a'), 'utf8'), 'old a')
    assert.equal(await readFile(join(dir, 'b'), 'utf8'), 'old b')
    assert.deepEqual((await readdir(dir)).sort(), ['a', 'b'])
  })

  it('writes every file when nothing fails', async () => {
    await writeFilesAtomic([{data: 'new a', path: join(dir, 'a')}, {data: 'new b', path: join(dir, 'b')}], {force: true})
    assert.deepEqual([await readFile(join(dir, 'a'), 'utf8'), await readFile(join(dir, 'b'), 'utf8')], ['new a', 'new b'])
  })
})
