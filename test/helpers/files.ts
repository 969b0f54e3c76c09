// File-writer test helpers: a child that holds a file's lock through src/lib/files (killed by tests), the temp files
// the writer names, and symlink layouts as dotfile managers make them.
import {type ChildProcess, spawn} from 'node:child_process'
import {mkdir, readdir, stat, symlink} from 'node:fs/promises'
import {basename, dirname, join, relative} from 'node:path'

const filesModule = new URL('../../src/lib/files/index.ts', import.meta.url).pathname
const tempModule = new URL('../../src/lib/files/temp.ts', import.meta.url).pathname

/** Polls `check` every 10 ms until it is true; fails after `timeoutMs`. */
export async function waitUntil(check: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 10))
  }
}

export const exists = (path: string) => stat(path).then(() => true, () => false)

/** The temp files authctl's writer names for `file` (`<file>.authctl-<host>-<pid>-<random>.tmp`). */
export async function tempFilesOf(file: string): Promise<string[]> {
  const names = await readdir(dirname(file))
  return names.filter((n) => n.startsWith(`${basename(file)}.authctl-`) && n.endsWith('.tmp'))
}

export interface Holder {
  child: ChildProcess
  exited: Promise<unknown>
}

/**
 * Starts a holder of `file`'s lock and resolves once the lock file exists. With `tempContent`, the holder first
 * writes that content to a temp file named as the writer names its own.
 */
export async function holdLock(file: string, tempContent?: string): Promise<Holder> {
  const script = `
    const files = await import(${JSON.stringify(filesModule)})
    const temp = await import(${JSON.stringify(tempModule)})
    const {writeFileSync} = await import('node:fs')
    await files.withFileLock(${JSON.stringify(file)}, async () => {
      const content = ${JSON.stringify(tempContent ?? null)}
      if (content !== null) writeFileSync(temp.tempPath(${JSON.stringify(file)}), content, {mode: 0o600})
      process.stdout.write('held\\n')
      await new Promise(() => setInterval(() => {}, 1000))
    })`
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {stdio: ['ignore', 'pipe', 'inherit']})
  const exited = new Promise((r) => child.once('exit', r))
  let said = ''
  child.stdout!.on('data', (d: Buffer) => (said += d.toString()))
  // The lock file exists and, when asked, the temp file is written (the holder says so after writing it).
  await waitUntil(async () => {
    if (child.exitCode !== null) throw new Error(`the lock holder exited with ${child.exitCode}`)
    return (await exists(`${file}.lock`)) && said.includes('held')
  }, 'the child to hold the lock')
  return {child, exited}
}

/**
 * Links to `real` in `dir` as dotfile managers make them: `abs` (absolute), `rel` (relative, through `..`) and
 * `chain` (a relative link to `rel`). Returns the link paths by kind.
 */
export async function linkLayouts(dir: string, real: string): Promise<Record<'abs' | 'chain' | 'rel', string>> {
  const links = {abs: join(dir, 'abs'), chain: join(dir, 'chain'), rel: join(dir, 'rel')}
  await mkdir(dir, {recursive: true})
  await symlink(real, links.abs)
  await symlink(relative(dir, real), links.rel)
  await symlink('rel', links.chain)
  return links
}
