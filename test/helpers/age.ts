// Debian's age CLI as the judge of authctl's age files, and a watcher that looks for plaintext in directories while
// authctl writes.
import {execFile} from 'node:child_process'
import {watch} from 'node:fs'
import {readdir, readFile} from 'node:fs/promises'
import {join} from 'node:path'
import {promisify} from 'node:util'

const run = promisify(execFile)

export interface AgeKey {
  identity: string
  identityFile: string
  recipient: string
}

/** A new identity written by age-keygen to `<dir>/<name>.txt` (with its comments). */
export async function keygen(dir: string, name: string): Promise<AgeKey> {
  const identityFile = join(dir, `${name}.txt`)
  await run('age-keygen', ['-o', identityFile])
  const text = await readFile(identityFile, 'utf8')
  const identity = text.split('\n').find((l) => l.startsWith('AGE-SECRET-KEY-1'))!
  const recipient = (await run('age-keygen', ['-y', identityFile])).stdout.trim()
  return {identity, identityFile, recipient}
}

/** `age -e [-a] -r … -o file` with `content` on stdin. */
export async function ageEncrypt(content: string | Buffer, file: string, recipients: string[], armor = false): Promise<void> {
  const args = ['-e', ...(armor ? ['-a'] : []), ...recipients.flatMap((r) => ['-r', r]), '-o', file]
  await new Promise<void>((resolve, reject) => {
    const child = execFile('age', args, (error) => (error ? reject(error) : resolve()))
    child.stdin!.end(content)
  })
}

/** `age -d -i identityFile file`: the plaintext (throws when age cannot decrypt it). */
export async function ageDecrypt(file: string, identityFile: string): Promise<string> {
  return (await run('age', ['-d', '-i', identityFile, file])).stdout
}

/**
 * Runs `action` while watching `dirs`: every file named by an fs.watch event, and every file of a polling loop, is
 * read at once; returns the names of files seen holding `marker` (deduplicated).
 */
export async function watchForMarker(dirs: string | string[], marker: string, action: () => Promise<unknown>): Promise<string[]> {
  const seen = new Set<string>()
  const pending = new Set<Promise<void>>()
  const inspect = (path: string) => {
    const p = readFile(path).then((data) => {
      if (data.includes(marker)) seen.add(path)
    }, () => {})
    pending.add(p)
    p.finally(() => pending.delete(p))
  }
  const list = typeof dirs === 'string' ? [dirs] : dirs
  const watchers = list.map((dir) => watch(dir, (_event, name) => name && inspect(join(dir, name.toString()))))
  let running = true
  const poll = (async () => {
    while (running) {
      for (const dir of list) for (const name of await readdir(dir).catch(() => [] as string[])) inspect(join(dir, name))
      await new Promise((r) => setImmediate(r))
    }
  })()
  try {
    await action()
  } finally {
    running = false
    await poll
    for (const w of watchers) w.close()
    while (pending.size > 0) await Promise.all([...pending])
  }
  return [...seen].sort()
}
