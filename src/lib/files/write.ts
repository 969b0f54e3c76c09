// The only place that writes user files: temp file + fsync + rename, so a reader or a crash sees the old or the
// new content, never a truncated file. New files get 0600 and new directories 0700; existing files keep their mode.
// A symlink is written through, as kubectl does: the link stays and the file it points to is replaced.
// Missing directories are created only for files kept where tools expect them (kubeconfig and talosconfig, as
// kubectl and talosctl do, caches, the quickstart tree); an output named on the command line needs an existing
// directory, as with openssl's -out, so a typo does not leave a directory tree behind.
// An age-encrypted target stays encrypted (recipients: see age.ts), and the data is encrypted before the temp file
// is opened, so plaintext never reaches the disk.
import {lstat, mkdir, open, readFile, readlink, rename, stat, unlink} from 'node:fs/promises'
import {dirname, resolve} from 'node:path'

import {AuthctlError} from '../output/errors.js'
import {type AgeOptions, ageFormat, encryptAge, namedRecipients, ownRecipients, type Sealing, sealingOf} from './age.js'
import {expandHome} from './paths.js'
import {removeDeadTemps, tempPath} from './temp.js'

export interface WriteOptions {
  /** Replace an existing file (otherwise an existing file is an error). */
  force?: boolean
  /** Mode for a newly created file (default 0600). Existing files keep theirs. */
  mode?: number
  /** Create missing parent directories (0700); otherwise a missing directory is an error naming it. */
  createParents?: boolean
  /** Encryption of the written file; by default an age-encrypted target stays encrypted and others stay plain. */
  age?: WriteAgeOptions
}

export interface WriteAgeOptions extends AgeOptions {
  /** Encrypt a new or plain target too (to the named recipients, else to the identities' own). Named recipients imply it. */
  encrypt?: boolean
  /** Write plaintext even over an encrypted target (decrypting a file in place). */
  plaintext?: boolean
  /** ASCII armor (otherwise an encrypted target keeps its encoding, and a new one is binary). */
  armor?: boolean
}

export interface PlannedFile {
  path: string
  data: Buffer | string
  /** Mode for a newly created file (default 0600). */
  mode?: number
  /** This file's encryption, when it differs from the operation's (public companions of a key stay plain). */
  age?: WriteAgeOptions
}

async function exists(path: string): Promise<boolean> {
  return lstat(path).then(() => true, () => false)
}

export function fileExistsError(path: string): AuthctlError {
  return new AuthctlError(`${JSON.stringify(path)} already exists`, {code: 'FILE_EXISTS', hint: 'use --force to overwrite'})
}

async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r').catch(() => undefined)
  if (!handle) return
  await handle.sync().catch(() => {})
  await handle.close()
}

// Linux's limit on links followed in one path lookup (MAXSYMLINKS).
const MAX_LINKS = 40

/** The file a path finally names: symlinks followed one by one (relative ones from their own directory). */
async function resolveLinks(path: string): Promise<string> {
  let current = path
  for (let hops = 0; hops <= MAX_LINKS; hops++) {
    const stats = await lstat(current).catch(() => undefined)
    // A missing file (also at the end of a dangling link) is created where the path points.
    if (!stats?.isSymbolicLink()) return current
    current = resolve(dirname(current), await readlink(current))
  }
  throw new AuthctlError(`cannot write ${JSON.stringify(path)}: too many levels of symbolic links`, {code: 'WRITE_FAILED'})
}

async function firstBytes(path: string): Promise<Buffer> {
  const handle = await open(path, 'r').catch(() => undefined)
  if (!handle) return Buffer.alloc(0)
  try {
    // A directory opens but does not read: not an age file (the write reports it).
    const {buffer, bytesRead} = await handle.read(Buffer.alloc(64), 0, 64, 0).catch(() => ({buffer: Buffer.alloc(0), bytesRead: 0}))
    return buffer.subarray(0, bytesRead)
  } finally {
    await handle.close()
  }
}

/** How the data for `target` must be encrypted, if at all; errors (wrong identity, unknown recipients) come first. */
async function sealingFor(path: string, target: string, age: WriteAgeOptions = {}): Promise<Sealing | undefined> {
  if (age.plaintext) return undefined
  // The first bytes tell; only an encrypted target is read whole (a kubeconfig may be tens of MB).
  if (ageFormat(await firstBytes(target))) {
    const sealing = await sealingOf(await readFile(target), JSON.stringify(path), age)
    return age.armor ? {...sealing, format: 'armor'} : sealing
  }
  // AUTHCTL_AGE_RECIPIENTS_FILE only re-keys encrypted files; it never encrypts a plain one.
  const named = await namedRecipients({...age, env: {}})
  if (!age.encrypt && named.length === 0) return undefined
  return {format: age.armor ? 'armor' : 'binary', recipients: named.length > 0 ? named : await ownRecipients(age)}
}

interface Prepared {
  target: string
  sealing?: Sealing
}

/** Checks a target before anything is written: the file to replace (links resolved) and how to encrypt it. */
async function prepare(path: string, options: WriteOptions): Promise<Prepared> {
  const given = expandHome(path)
  if (!options.force && (await exists(given))) throw fileExistsError(path)
  const target = await resolveLinks(given)
  const dir = dirname(target)
  if (!options.createParents && !(await stat(dir).then((s) => s.isDirectory(), () => false))) {
    throw new AuthctlError(`cannot write ${JSON.stringify(path)}: directory ${JSON.stringify(dir)} does not exist`, {
      code: 'NO_DIRECTORY',
      hint: 'create it first, or choose another path',
    })
  }
  return {sealing: await sealingFor(path, target, options.age), target}
}

const sealed = (data: Buffer | string, sealing?: Sealing) => (sealing ? encryptAge(data, sealing) : data)

/** A complete temp file beside the target (fsynced, final mode), ready to be renamed over it. */
interface Staged {
  path: string
  target: string
  temp: string
}

const writeFailed = (path: string, error: unknown) => new AuthctlError(`cannot write ${JSON.stringify(path)}: ${(error as Error).message}`, {code: 'WRITE_FAILED'})

async function stageFile(path: string, target: string, data: Buffer | string, mode: number | undefined): Promise<Staged> {
  const dir = dirname(target)
  const finalMode = await stat(target).then((s) => s.mode & 0o777, () => mode ?? 0o600)
  await removeDeadTemps(target)
  const temp = tempPath(target)
  try {
    await mkdir(dir, {recursive: true, mode: 0o700})
    // 0600 until complete: a temp file may hold secrets, whatever the final mode.
    const handle = await open(temp, 'wx', 0o600)
    try {
      await handle.writeFile(data)
      await handle.chmod(finalMode)
      await handle.sync()
    } finally {
      await handle.close()
    }
  } catch (error) {
    await unlink(temp).catch(() => {})
    throw writeFailed(path, error)
  }
  return {path, target, temp}
}

/** Renames a staged file over its target; returns the directory for the caller to sync (once per directory). */
async function commitFile(staged: Staged): Promise<string> {
  try {
    await rename(staged.temp, staged.target)
  } catch (error) {
    await unlink(staged.temp).catch(() => {})
    throw writeFailed(staged.path, error)
  }
  return dirname(staged.target)
}

/** Writes one file atomically. */
export async function writeFileAtomic(path: string, data: Buffer | string, options: WriteOptions = {}): Promise<void> {
  const {sealing, target} = await prepare(path, options)
  await fsyncDir(await commitFile(await stageFile(path, target, await sealed(data, sealing), options.mode)))
}

/**
 * Writes several files as one operation: every target is checked before the first byte is written, so an
 * existing output without --force, a missing directory, or an encrypted target that cannot be opened leaves nothing
 * behind.
 */
export async function writeFilesAtomic(files: PlannedFile[], options: Pick<WriteOptions, 'age' | 'createParents' | 'force'> = {}): Promise<void> {
  const prepared: Prepared[] = []
  for (const file of files) prepared.push(await prepare(file.path, file.age ? {...options, age: file.age} : options))
  const data = await Promise.all(files.map((file, i) => sealed(file.data, prepared[i].sealing)))
  // Every file is written in full beside its target before the first rename, so a failed write (a full disk, an
  // unwritable directory) leaves all targets as they were; only the renames remain.
  const staged: Staged[] = []
  try {
    for (const [i, file] of files.entries()) staged.push(await stageFile(file.path, prepared[i].target, data[i], file.mode))
  } catch (error) {
    await Promise.all(staged.map((s) => unlink(s.temp).catch(() => {})))
    throw error
  }
  const dirs = new Set<string>()
  for (const [i, s] of staged.entries()) {
    try {
      dirs.add(await commitFile(s))
    } catch (error) {
      await Promise.all(staged.slice(i + 1).map((rest) => unlink(rest.temp).catch(() => {})))
      throw error
    }
  }
  for (const dir of dirs) await fsyncDir(dir)
}
