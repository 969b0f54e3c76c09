// Who holds a lock or writes a temp file, and whether that process still runs. On Linux a pid is checked together
// with its start time (/proc/<pid>/stat field 22) and the boot id, so a recycled pid is not mistaken for the owner.
import {readFileSync} from 'node:fs'
import {hostname} from 'node:os'

export interface ProcessOwner {
  pid: number
  host: string
  /** When the process started (ISO 8601), for people reading the lock. */
  started: string
  /** Start time in clock ticks since boot (/proc/<pid>/stat field 22), when /proc exists. */
  startTicks?: string
  /** /proc/sys/kernel/random/boot_id, when it exists. */
  bootId?: string
}

/** `running` and `dead` are known for processes of this host; `unknown` is another host's. */
export type OwnerState = 'dead' | 'running' | 'unknown'

function readProc(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').trim()
  } catch {
    return undefined
  }
}

interface ProcStat {
  state: string
  startTicks: string
}

// The command name (field 2) is in parentheses and may itself hold spaces or parentheses: split after the last ')'.
function procStat(pid: number): ProcStat | undefined {
  const text = readProc(`/proc/${pid}/stat`)
  if (!text) return undefined
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ')
  return {startTicks: fields[19], state: fields[0]}
}

let procExists: boolean | undefined
const hasProc = () => (procExists ??= procStat(process.pid) !== undefined)

export function currentOwner(): ProcessOwner {
  const owner: ProcessOwner = {host: hostname(), pid: process.pid, started: new Date(Date.now() - process.uptime() * 1000).toISOString()}
  if (hasProc()) {
    owner.startTicks = procStat(process.pid)!.startTicks
    owner.bootId = readProc('/proc/sys/kernel/random/boot_id')
  }
  return owner
}

function pidRuns(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Whether a process of this host with `pid` (and, where known, that start time and boot) still runs. */
export function ownerState(owner: Pick<ProcessOwner, 'bootId' | 'host' | 'pid' | 'startTicks'>): OwnerState {
  if (owner.host !== hostname()) return 'unknown'
  if (!hasProc()) return pidRuns(owner.pid) ? 'running' : 'dead'
  if (owner.bootId && owner.bootId !== readProc('/proc/sys/kernel/random/boot_id')) return 'dead'
  const stat = procStat(owner.pid)
  // A zombie has exited; only its parent has not collected it yet.
  if (!stat || stat.state === 'Z' || stat.state === 'X') return 'dead'
  if (owner.startTicks && owner.startTicks !== stat.startTicks) return 'dead'
  return 'running'
}

/** Parses an owner record; undefined for anything else (kubectl's empty lock, an older authctl's bare pid). */
export function parseOwner(text: string): ProcessOwner | undefined {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return undefined
  }
  const o = value as Partial<ProcessOwner> | null
  if (!o || typeof o !== 'object' || !Number.isSafeInteger(o.pid) || o.pid! <= 0 || typeof o.host !== 'string') return undefined
  return {
    bootId: typeof o.bootId === 'string' ? o.bootId : undefined,
    host: o.host,
    pid: o.pid!,
    started: typeof o.started === 'string' ? o.started : '',
    startTicks: typeof o.startTicks === 'string' ? o.startTicks : undefined,
  }
}
