import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {chmod, mkdir, readdir, readFile, stat, utimes, writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {lockPath, withFileLock, writeFileAtomic, writeFilesAtomic} from '../../../src/lib/files/index.js'
import {AuthctlError} from '../../../src/lib/output/errors.js'
import {makeTempDir} from '../../helpers/cli.js'

const mode = async (p: string) => (await stat(p)).mode & 0o777

describe('files: atomic writer', () => {
  let dir: string
  let cleanup: () => Promise<void>
  beforeEach(async () => ({cleanup, dir} = await makeTempDir()))
  afterEach(() => cleanup())

  it('creates new files 0600 and new parent directories 0700', async () => {
    const target = join(dir, 'a/b/secret.key')
    await writeFileAtomic(target, 'data')
    assert.equal(await readFile(target, 'utf8'), 'data')
    assert.equal(await mode(target), 0o600)
    assert.equal(await mode(join(dir, 'a')), 0o700)
    assert.equal(await mode(join(dir, 'a/b')), 0o700)
  })

  it('honours an explicit mode for new files and keeps the mode of an existing file', async () => {
    const pub = join(dir, 'ca.crt')
    await writeFileAtomic(pub, 'cert', {mode: 0o644})
    assert.equal(await mode(pub), 0o644)
    const existing = join(dir, 'config')
    await writeFile(existing, 'old')
    await chmod(existing, 0o640)
    await writeFileAtomic(existing, 'new', {force: true})
    assert.equal(await readFile(existing, 'utf8'), 'new')
    assert.equal(await mode(existing), 0o640)
  })

  it('refuses to overwrite without force and leaves the file and directory untouched', async () => {
    const target = join(dir, 'x')
    await writeFile(target, 'keep')
    await assert.rejects(writeFileAtomic(target, 'new'), (e: AuthctlError) => e.code === 'FILE_EXISTS' && /--force/.test(e.hint!))
    assert.equal(await readFile(target, 'utf8'), 'keep')
    assert.deepEqual(await readdir(dir), ['x'])
  })

  it('checks every output of a multi-file write before writing any', async () => {
    await writeFile(join(dir, 'b.key'), 'existing')
    const files = ['a.crt', 'b.key', 'c.sha256'].map((n) => ({data: n, path: join(dir, n)}))
    await assert.rejects(writeFilesAtomic(files), /already exists/)
    assert.deepEqual((await readdir(dir)).sort(), ['b.key'])
    await writeFilesAtomic(files, {force: true})
    assert.equal(await readFile(join(dir, 'b.key'), 'utf8'), 'b.key')
  })

  it('a writer killed mid-write leaves the old content, never a truncated file', async () => {
    const target = join(dir, 'big')
    const old = 'old-content\n'
    await writeFile(target, old)
    const module = new URL('../../../src/lib/files/write.ts', import.meta.url).pathname
    // A child writes 256 MiB through the atomic writer; we kill it once its temp file exists, i.e. mid-write.
    const child = spawn(process.execPath, ['--import', 'tsx', '-e',
      `import(${JSON.stringify(module)}).then(m => m.writeFileAtomic(${JSON.stringify(target)}, Buffer.alloc(256 * 1024 * 1024, 120), {force: true}))`,
    ])
    const closed = new Promise((r) => child.on('close', r))
    let sawTemp = false
    for (let i = 0; i < 400 && !sawTemp; i++) {
      sawTemp = (await readdir(dir)).some((n) => n.startsWith('.big.') && n.endsWith('.tmp'))
      if (!sawTemp) await new Promise((r) => setTimeout(r, 25))
    }
    child.kill('SIGKILL')
    await closed
    assert.ok(sawTemp, 'the writer never started writing')
    const content = await readFile(target)
    assert.ok(content.toString() === old || content.length === 256 * 1024 * 1024, `unexpected length ${content.length}`)
  })
})

describe('files: lock', () => {
  let dir: string
  let cleanup: () => Promise<void>
  beforeEach(async () => ({cleanup, dir} = await makeTempDir()))
  afterEach(() => cleanup())

  it('serialises concurrent critical sections and removes the lock afterwards', async () => {
    const target = join(dir, 'counter')
    await writeFile(target, '0')
    await Promise.all(
      Array.from({length: 10}, () =>
        withFileLock(target, async () => {
          const n = Number(await readFile(target, 'utf8'))
          await new Promise((r) => setTimeout(r, 5))
          await writeFileAtomic(target, String(n + 1), {force: true})
        }),
      ),
    )
    assert.equal(await readFile(target, 'utf8'), '10')
    await assert.rejects(stat(lockPath(target)))
  })

  it('reports a lock older than a minute as stale, naming its path', async () => {
    const target = join(dir, 'config')
    await mkdir(dir, {recursive: true})
    await writeFile(lockPath(target), '')
    const old = new Date(Date.now() - 5 * 60_000)
    await utimes(lockPath(target), old, old)
    await assert.rejects(
      withFileLock(target, async () => {}),
      (e: AuthctlError) => e.code === 'STALE_LOCK' && e.message.includes(lockPath(target)),
    )
  })

  it('times out waiting for a fresh lock held by someone else', async () => {
    const target = join(dir, 'config')
    await writeFile(lockPath(target), '')
    await assert.rejects(withFileLock(target, async () => {}, {timeoutMs: 200}), (e: AuthctlError) => e.code === 'LOCK_TIMEOUT')
  })
})
