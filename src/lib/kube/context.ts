// Opening a kubeconfig context for the live commands: authctl's kubeconfig loader (client-go's KUBECONFIG rules
// and path resolution) → Connection → KubeClient, with kubectl's override flags applied.
import type {Io} from '../../cli/handler.js'
import {loadKubeconfig, resolveContext} from '../kubeconfig/index.js'
import {parseDuration} from '../time/index.js'
import {KubeClient} from './client.js'
import {type ContextBodies, connectionFromContext, type Overrides} from './from-kubeconfig.js'

export interface ContextFlags {
  kubeconfig?: string
  context?: string
  namespace?: string
  as?: string
  'as-group'?: string[]
  'as-uid'?: string
  'request-timeout'?: string
}

export async function openContext(flags: ContextFlags, io: Pick<Io, 'env' | 'err' | 'now' | 'stdin'>): Promise<{client: KubeClient; namespace: string}> {
  const config = await loadKubeconfig({env: io.env, kubeconfig: flags.kubeconfig})
  const ctx = resolveContext(config, flags.context)
  let timeoutMs: number | undefined
  if (flags['request-timeout'] && flags['request-timeout'] !== '0') {
    timeoutMs = /^\d+$/.test(flags['request-timeout']) ? Number(flags['request-timeout']) * 1000 : parseDuration(flags['request-timeout'], '--request-timeout')
  }
  return clientForContext(ctx, {as: flags.as, asGroups: flags['as-group'], asUid: flags['as-uid'], namespace: flags.namespace, timeoutMs}, io)
}

/** A client for a resolved context; `warn` receives client-side warnings (default: stderr, as kubectl prints them). */
export async function clientForContext(ctx: ContextBodies, overrides: Overrides, io: Pick<Io, 'env' | 'err' | 'now' | 'stdin'>,
  warn = (message: string) => io.err(`Warning: ${message}\n`)): Promise<{client: KubeClient; namespace: string}> {
  const {connection, namespace} = await connectionFromContext(ctx, overrides)
  const client = new KubeClient(connection, {
    env: io.env,
    now: () => io.now(),
    stderr: (t) => io.err(t),
    stdinIsTty: Boolean((io.stdin as NodeJS.ReadStream).isTTY),
    onWarning: warn,
  })
  return {client, namespace}
}
