// Opening a kubeconfig context for the live commands: authctl's kubeconfig loader (client-go's KUBECONFIG rules
// and path resolution) → Connection → KubeClient, with kubectl's override flags applied.
import type {AgeOptions} from '../files/age.js'
import type {Io} from '../io.js'
import {loadKubeconfig, resolveContext} from '../kubeconfig/index.js'
import {parseDuration} from '../go/time.js'
import {KubeClient} from './client.js'
import {type ContextBodies, connectionFromContext, type Overrides} from './from-kubeconfig.js'

/** kubectl's connection options (--kubeconfig, --context, -n, --as, --as-group, --as-uid, --request-timeout). */
export interface ContextOptions {
  kubeconfig?: string
  context?: string
  namespace?: string
  as?: string
  asGroup?: string[]
  asUid?: string
  /** A Go duration or whole seconds; "0" or absent: the client's default. */
  requestTimeout?: string
  /** Identities for an age-encrypted kubeconfig. */
  age?: AgeOptions
}

export async function openContext(options: ContextOptions, io: Pick<Io, 'env' | 'err' | 'now' | 'stdin'>): Promise<{client: KubeClient; namespace: string}> {
  const config = await loadKubeconfig({age: options.age, env: io.env, kubeconfig: options.kubeconfig})
  const ctx = resolveContext(config, options.context)
  const timeout = options.requestTimeout
  let timeoutMs: number | undefined
  if (timeout && timeout !== '0') timeoutMs = /^\d+$/.test(timeout) ? Number(timeout) * 1000 : parseDuration(timeout, '--request-timeout')
  return clientForContext(ctx, {age: options.age, as: options.as, asGroups: options.asGroup, asUid: options.asUid, namespace: options.namespace, timeoutMs}, io)
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
