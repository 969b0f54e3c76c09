// The token cache: one 0600 file per key, the key a hash of every input that changes which token comes back
// (kubelogin#1132 and #493 came from a key that missed some). Next to each entry live the per-key lock (shared
// src/lib/files lock) and the pending-login marker that lets background callers fail fast instead of opening tabs.
import {createHash} from 'node:crypto'
import {hostname} from 'node:os'
import {readdir, readFile, unlink} from 'node:fs/promises'
import {join} from 'node:path'

import {expandHome, writeFileAtomic} from '../files/index.js'

export interface CacheKeyInput {
  issuerUrl: string
  clientId: string
  clientSecret?: string
  scopes: string[]
  grantType: string
  /** Contents of the CA bundle (not its path: the same file with new contents is another trust decision). */
  ca?: string
  extraParams: Record<string, string>
}

export function cacheKey(input: CacheKeyInput): string {
  const canonical = JSON.stringify([
    'authctl-oidc/v1',
    input.issuerUrl,
    input.clientId,
    input.clientSecret ?? '',
    [...new Set(input.scopes)].sort(),
    input.grantType,
    input.ca ?? '',
    Object.entries(input.extraParams).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  ])
  return createHash('sha256').update(canonical).digest('hex')
}

export interface CacheEntry {
  issuer: string
  clientId: string
  scopes: string[]
  grantType: string
  /** The credential handed to kubectl (the id_token, or a JWT access token for client credentials). */
  token: string
  refreshToken?: string
  /** ISO time the token was obtained. */
  obtainedAt: string
}

export interface PendingMarker {
  state: 'pending' | 'failed'
  /** Which login this is, so logout can find a marker that has no cache entry yet. */
  issuer: string
  clientId: string
  pid: number
  host: string
  startedAt: string
  reason?: string
}

export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return expandHome('~/.kube/cache/authctl-oidc', env)
}

export class TokenCache {
  constructor(readonly dir: string) {}

  entryPath(key: string): string {
    return join(this.dir, `${key}.json`)
  }

  markerPath(key: string): string {
    return join(this.dir, `${key}.pending`)
  }

  private async readJson(path: string): Promise<any> {
    try {
      return JSON.parse(await readFile(path, 'utf8'))
    } catch {
      return undefined // missing or damaged: both mean "no usable entry"
    }
  }

  async read(key: string): Promise<CacheEntry | undefined> {
    const entry = await this.readJson(this.entryPath(key))
    return entry && typeof entry.token === 'string' && typeof entry.issuer === 'string' ? entry : undefined
  }

  async write(key: string, entry: CacheEntry): Promise<void> {
    await writeFileAtomic(this.entryPath(key), JSON.stringify(entry, null, 2) + '\n', {createParents: true, force: true, mode: 0o600})
  }

  async remove(key: string): Promise<void> {
    await unlink(this.entryPath(key)).catch(() => {})
    await this.clearMarker(key)
  }

  /** Every cached entry with its key (for logout). */
  async list(): Promise<Array<{key: string; entry: CacheEntry}>> {
    const names = await readdir(this.dir).catch(() => [] as string[])
    const out: Array<{key: string; entry: CacheEntry}> = []
    for (const name of names.filter((n) => /^[0-9a-f]{64}\.json$/.test(n)).sort()) {
      const key = name.slice(0, 64)
      const entry = await this.read(key)
      if (entry) out.push({entry, key})
    }
    return out
  }

  /** Keys that have only a marker (a login that never completed). */
  async markerKeys(): Promise<string[]> {
    const names = await readdir(this.dir).catch(() => [] as string[])
    return names.filter((n) => /^[0-9a-f]{64}\.pending$/.test(n)).map((n) => n.slice(0, 64))
  }

  async readMarker(key: string): Promise<PendingMarker | undefined> {
    const marker = await this.readJson(this.markerPath(key))
    return marker && (marker.state === 'pending' || marker.state === 'failed') ? marker : undefined
  }

  async writeMarker(key: string, marker: Omit<PendingMarker, 'host' | 'pid'>): Promise<void> {
    const full: PendingMarker = {...marker, host: hostname(), pid: process.pid}
    await writeFileAtomic(this.markerPath(key), JSON.stringify(full) + '\n', {createParents: true, force: true, mode: 0o600})
  }

  async clearMarker(key: string): Promise<void> {
    await unlink(this.markerPath(key)).catch(() => {})
  }
}

/** A pending marker whose process is gone (crash, kill -9) no longer means a login is in progress. */
export function markerIsLive(marker: PendingMarker): boolean {
  if (marker.state !== 'pending') return true
  if (marker.host !== hostname()) return true
  try {
    process.kill(marker.pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
