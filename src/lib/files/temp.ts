// Temp files beside the file they will replace, named `<file>.authctl-<host>-<pid>-<random>.tmp` so that the next
// writer can tell whose they are and remove those of writers that died (they may be complete copies with secrets).
import {randomBytes} from 'node:crypto'
import {hostname} from 'node:os'
import {readdir, unlink} from 'node:fs/promises'
import {basename, dirname, join} from 'node:path'

import {ownerState} from './owner.js'

const hostTag = (host: string) => host.replace(/[^A-Za-z0-9.-]/g, '_').slice(0, 64)

export function tempPath(file: string): string {
  return `${file}.authctl-${hostTag(hostname())}-${process.pid}-${randomBytes(4).toString('hex')}.tmp`
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** Removes the temp files of `file` left by writers of this host that no longer run. */
export async function removeDeadTemps(file: string): Promise<void> {
  const dir = dirname(file)
  const pattern = new RegExp(`^${escape(basename(file))}\\.authctl-(.+)-(\\d+)-[0-9a-f]{8}\\.tmp$`)
  const names = await readdir(dir).catch(() => [] as string[])
  const here = hostTag(hostname())
  for (const name of names) {
    const match = pattern.exec(name)
    if (!match || match[1] !== here) continue
    if (ownerState({host: hostname(), pid: Number(match[2])}) === 'dead') await unlink(join(dir, name)).catch(() => {})
  }
}
