// Batch checks impersonate many identities: one client (one connection pool) per identity, made from the context's
// client on first use and closed together.
import {KubeClient} from './client.js'
import type {Impersonation} from './connection.js'

export interface ClientPool {
  /** The context's own client for undefined; else the one that impersonates `impersonate`. */
  clientFor(impersonate: Impersonation | undefined): KubeClient
  /** Closes every client made here and the context's own. */
  close(): void
}

export function clientPool(base: KubeClient): ClientPool {
  const clients = new Map<string, KubeClient>()
  return {
    clientFor(impersonate) {
      if (!impersonate) return base
      const key = JSON.stringify(impersonate)
      let client = clients.get(key)
      if (!client) clients.set(key, (client = new KubeClient({...base.connection, impersonate}, base.deps)))
      return client
    },
    close() {
      base.close()
      for (const client of clients.values()) client.close()
    },
  }
}
