import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {chmod, lstat, mkdir, open, readdir, readFile, readlink, stat, symlink, unlink, utimes, writeFile} from 'node:fs/promises'
import {hostname} from 'node:os'
import {join} from 'node:path'

import {lockPath, withFileLock, writeFileAtomic, writeFilesAtomic} from '../../../src/lib/files/index.js'
import {AuthctlError} from '../../../src/lib/output/errors.js'
import {makeTempDir} from '../../helpers/cli.js'
import {exists, holdLock, linkLayouts, tempFilesOf, waitUntil} from '../../helpers/files.js'

const mode = async (p: string) => (await stat(p)).mode & 0o777

describe('files: atomic writer', () => {
  let dir: string
  let cleanup: () => Promise<void>
  beforeEach(async () => ({cleanup, dir} = await makeTempDir()))
  afterEach(() => cleanup())

  it('creates new files 0600 and, when asked, new parent directories 0700', async () => {
    const target = join(dir, 'a/b/secret.key')
    await writeFileAtomic(target, 'data', {createParents: true})
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

  it('otherwise refuses a missing directory, naming it, and writes none of the files', async () => {
    const files = [{data: 'crt', path: join(dir, 'x.crt')}, {data: 'key', path: join(dir, 'nonexist/dir/x.key')}]
    await assert.rejects(
      writeFilesAtomic(files),
      (e: AuthctlError) => e.code === 'NO_DIRECTORY' && e.message === `cannot write ${JSON.stringify(files[1].path)}: directory ${JSON.stringify(join(dir, 'nonexist/dir'))} does not exist`,
    )
    // A dangling link into a missing directory is judged by where it points.
    await symlink('gone/config', join(dir, 'link'))
    await assert.rejects(writeFileAtomic(join(dir, 'link'), 'x', {force: true}), (e: AuthctlError) => e.code === 'NO_DIRECTORY' && e.message.includes(JSON.stringify(join(dir, 'gone'))))
    assert.deepEqual(await readdir(dir), ['link'])
  })

  it('checks every output of a multi-file write before writing any', async () => {
    await writeFile(join(dir, 'b.key'), 'existing')
    const files = ['a.crt', 'b.key', 'c.sha256'].map((n) => ({data: n, path: join(dir, n)}))
    await assert.rejects(writeFilesAtomic(files), /already exists/)
    assert.deepEqual((await readdir(dir)).sort(), ['b.key'])
    await writeFilesAtomic(files, {force: true})
    assert.equal(await readFile(join(dir, 'b.key'), 'utf8'), 'b.key')
  })

  it('a writer killed mid-write leaves the old content; its 0600 temp file is removed by the next writer', async () => {
    const target = join(dir, 'big')
    const old = 'old-content\n'
    await writeFile(target, old)
    await chmod(target, 0o644)
    const module = new URL('../../../src/lib/files/write.ts', import.meta.url).pathname
    // A child writes 256 MiB through the atomic writer; we kill it once its temp file exists, i.e. mid-write.
    const child = spawn(process.execPath, ['--import', 'tsx', '-e',
      `import(${JSON.stringify(module)}).then(m => m.writeFileAtomic(${JSON.stringify(target)}, Buffer.alloc(256 * 1024 * 1024, 120), {force: true}))`,
    ])
    const closed = new Promise((r) => child.on('close', r))
    let temps: string[] = []
    await waitUntil(async () => (temps = await tempFilesOf(target)).length > 0, 'the writer to start writing')
    // The final mode is 0644, but the temp file is private while it is written.
    const tempMode = await mode(join(dir, temps[0]))
    child.kill('SIGKILL')
    await closed
    assert.equal(tempMode, 0o600)
    assert.match(temps[0], new RegExp(`^big\\.authctl-.+-${child.pid}-[0-9a-f]{8}\\.tmp$`))
    const content = await readFile(target)
    assert.ok(content.toString() === old || content.length === 256 * 1024 * 1024, `unexpected length ${content.length}`)
    if (content.toString() === old) assert.ok(await exists(join(dir, temps[0])), 'the killed writer left no temp file')
    await writeFileAtomic(target, 'next', {force: true})
    assert.deepEqual(await tempFilesOf(target), [])
    assert.equal(await mode(target), 0o644)
  })

  it("removes dead writers' temp files, including complete copies, and keeps those of running writers", async () => {
    const target = join(dir, 'config')
    await writeFile(target, 'old')
    // A process that has exited: its pid names no running process (until reused, which the check also covers).
    const gone = spawn(process.execPath, ['-e', '0'])
    await new Promise((r) => gone.on('exit', r))
    const host = hostname()
    const dead = join(dir, `config.authctl-${host}-${gone.pid}-0123abcd.tmp`)
    const live = join(dir, `config.authctl-${host}-${process.pid}-89abcdef.tmp`)
    const foreign = join(dir, `config.authctl-elsewhere.example-${gone.pid}-00000000.tmp`)
    const unrelated = join(dir, 'config.tmp')
    for (const p of [dead, live, foreign, unrelated]) await writeFile(p, 'users:\n- name: u\n  user:\n    token: secret\n')
    await writeFileAtomic(target, 'new', {force: true})
    assert.equal(await exists(dead), false)
    for (const p of [live, foreign, unrelated]) assert.ok(await exists(p), p)
  })

  it('writes through symlinks (absolute, relative, chains) and keeps the final target\'s mode', async () => {
    await mkdir(join(dir, 'dotfiles/kube'), {recursive: true})
    const real = join(dir, 'dotfiles/kube/config')
    await writeFile(real, 'old')
    await chmod(real, 0o640)
    const links = await linkLayouts(join(dir, 'home'), real)
    for (const [name, target] of [['abs', real], ['rel', '../dotfiles/kube/config'], ['chain', 'rel']] as const) {
      const link = links[name]
      await writeFileAtomic(link, `via ${name}`, {force: true})
      assert.ok((await lstat(link)).isSymbolicLink(), `${name} is no longer a link`)
      assert.equal(await readlink(link), target)
      assert.equal(await readFile(real, 'utf8'), `via ${name}`)
      assert.equal(await mode(real), 0o640)
    }
    assert.deepEqual((await readdir(join(dir, 'home'))).sort(), ['abs', 'chain', 'rel'])
    assert.deepEqual(await readdir(join(dir, 'dotfiles/kube')), ['config'])
  })

  it('creates the missing file a dangling link points to, and refuses a link loop', async () => {
    await mkdir(join(dir, 'store'))
    await symlink('store/config', join(dir, 'link'))
    await writeFileAtomic(join(dir, 'link'), 'created', {force: true})
    assert.equal(await readFile(join(dir, 'store/config'), 'utf8'), 'created')
    assert.equal(await mode(join(dir, 'store/config')), 0o600)
    await symlink('b', join(dir, 'a'))
    await symlink('a', join(dir, 'b'))
    await assert.rejects(writeFileAtomic(join(dir, 'a'), 'x', {force: true}), /too many levels of symbolic links/)
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

  it('records its owner (pid, host, start time) in the lock while held', async () => {
    const target = join(dir, 'config')
    const record = await withFileLock(target, async () => JSON.parse(await readFile(lockPath(target), 'utf8')))
    assert.equal(record.pid, process.pid)
    assert.equal(record.host, hostname())
    assert.ok(Math.abs(Date.parse(record.started) - (Date.now() - process.uptime() * 1000)) < 5000, record.started)
    // /proc/<pid>/stat field 22, the guard against a recycled pid.
    const stat = await readFile(`/proc/${process.pid}/stat`, 'utf8')
    assert.equal(record.startTicks, stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19])
    assert.deepEqual(await readdir(dir), [])
  })

  it('takes over at once, with a warning, a lock whose owner was killed', async function () {
    this.timeout(60_000)
    const target = join(dir, 'config')
    const holder = await holdLock(target)
    holder.child.kill('SIGKILL')
    await holder.exited
    const warnings: string[] = []
    const started = Date.now()
    await withFileLock(target, async () => {}, {onWarning: (w) => warnings.push(w), timeoutMs: 5000})
    assert.ok(Date.now() - started < 1000, `took ${Date.now() - started} ms`)
    assert.equal(warnings.length, 1)
    assert.match(warnings[0], new RegExp(`removed lock ".*config\\.lock" left by process ${holder.child.pid} on ${hostname()} \\(started .*\\), which is no longer running`))
    assert.deepEqual(await readdir(dir), [])
  })

  it('waits for a running owner and for a lock whose pid was reused by another process', async () => {
    const target = join(dir, 'config')
    const stat = await readFile(`/proc/${process.pid}/stat`, 'utf8')
    const ticks = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]
    const owner = {host: hostname(), pid: process.pid, started: new Date().toISOString()}
    for (const startTicks of [ticks, String(Number(ticks) + 1)]) {
      await writeFile(lockPath(target), JSON.stringify({...owner, startTicks}))
      const warnings: string[] = []
      const attempt = withFileLock(target, async () => {}, {onWarning: (w) => warnings.push(w), timeoutMs: 300})
      if (startTicks === ticks) {
        await assert.rejects(attempt, (e: AuthctlError) => e.code === 'LOCK_TIMEOUT' && e.message.includes(`held by process ${process.pid}`))
        assert.deepEqual(warnings, [])
      } else {
        // Same pid, another start time: the recorded owner is gone and the pid now names someone else.
        await attempt
        assert.equal(warnings.length, 1)
      }
    }
  })

  it("waits for kubectl's empty lock: times out while it stays, succeeds once it is removed", async () => {
    const target = join(dir, 'config')
    // kubectl: os.OpenFile(<file>.lock, O_CREATE|O_EXCL, 0) -- empty, mode 0.
    await (await open(lockPath(target), 'wx', 0)).close()
    const warnings: string[] = []
    await assert.rejects(withFileLock(target, async () => {}, {onWarning: (w) => warnings.push(w), timeoutMs: 300}), (e: AuthctlError) => e.code === 'LOCK_TIMEOUT')
    let ran = false
    const waiting = withFileLock(target, async () => {
      ran = true
    }, {timeoutMs: 20_000})
    // The waiter's owner record (a temp file of the lock) shows it is waiting.
    await waitUntil(async () => (await tempFilesOf(lockPath(target))).length > 0, 'the writer to wait')
    assert.equal(ran, false)
    await unlink(lockPath(target))
    await waiting
    assert.ok(ran)
    assert.deepEqual(warnings, [])
    assert.deepEqual(await readdir(dir), [])
  })

  it('reports a lock without an owner older than a minute as stale, naming its path', async () => {
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
})
