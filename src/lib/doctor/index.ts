// `authctl doctor`: load the kubeconfig or talosconfig, pick the contexts, run the checklist for each with real I/O.
import {accessSync, constants, statSync} from 'node:fs'

import type {AgeOptions} from '../files/age.js'
import {readInput} from '../files/read.js'

import type {Io} from '../io.js'
import type {KubeClient} from '../kube/client.js'
import {clientForContext} from '../kube/context.js'
import {whoami} from '../kube/whoami.js'
import {loadKubeconfig, resolveContext} from '../kubeconfig/index.js'
import type {ResolvedContext} from '../kubeconfig/resolve.js'
import {escapeControls, quote} from '../go/quote.js'
import {plainStyle, type Style} from '../output/color.js'
import {AuthctlError, toAuthctlError} from '../output/errors.js'
import {probeEndpoint} from '../talos/whoami.js'
import {loadTalosconfig, type TalosconfigLocation} from '../talosconfig/index.js'
import {type Check, type ExpiryPolicy, fail} from './check.js'
import {checkKubeContext, type KubeDoctorDeps, type WhoamiOutcome} from './kube.js'
import {checkTalosContext, type TalosDoctorDeps} from './talos.js'
import {probeTls} from './tls.js'

export type {Check, CheckStatus} from './check.js'
export {checkKubeContext, type KubeDoctorDeps, type WhoamiOutcome} from './kube.js'
export {checkTalosContext, type TalosDoctorDeps} from './talos.js'

export interface ContextReport {
  context: string
  checks: Check[]
}

export interface DoctorOptions extends ExpiryPolicy {
  offline: boolean
  timeoutMs: number
  /** Identities for age-encrypted kubeconfigs, talosconfigs and the files they name. */
  age?: AgeOptions
  /** Why the API server may have refused a bearer token (its authentication configuration, run locally). */
  explainToken?: (token: string) => Promise<string | undefined>
}

type DoctorIo = Pick<Io, 'env' | 'err' | 'now' | 'stdin'>

const fileMode = (path: string) => {
  try {
    return statSync(path).mode
  } catch {
    return undefined
  }
}

/** SelfSubjectReview with the context's own credentials, as `authctl auth whoami` sends it. */
async function liveWhoami(context: ResolvedContext, io: DoctorIo, options: DoctorOptions): Promise<WhoamiOutcome> {
  const {age, timeoutMs} = options
  let client: KubeClient | undefined
  try {
    ;({client} = await clientForContext(context, {age, timeoutMs}, io, () => {}))
    const result = await whoami(client, io.now(), {explainToken: options.explainToken})
    if (!result.confirmed) return {detail: result.error.message.split('\n')[0], outcome: 'unavailable'}
    const info = result.review.status.userInfo
    if (info.username === 'system:anonymous') return {outcome: 'anonymous'}
    return {groups: info.groups ?? [], outcome: 'user', username: info.username ?? ''}
  } catch (error) {
    const e = toAuthctlError(error)
    if (e.code === 'UNAUTHORIZED') return {detail: e.message, hint: e.hint, outcome: 'unauthorized'}
    // Anonymous requests may not ask who they are; with no credential sent, that is what a 403 means.
    if (e.code === 'FORBIDDEN') return client?.lastCredential.kind === 'none' ? {outcome: 'anonymous'} : {detail: e.message, outcome: 'forbidden'}
    return {detail: e.message, hint: e.hint, outcome: 'error'}
  } finally {
    client?.close()
  }
}

export function kubeDeps(options: DoctorOptions, io: DoctorIo): KubeDoctorDeps {
  return {
    env: io.env,
    expiresWithinMs: options.expiresWithinMs,
    fileMode,
    isExecutable: (path) => {
      try {
        accessSync(path, constants.X_OK)
        return statSync(path).isFile()
      } catch {
        return false
      }
    },
    network: options.offline ? undefined : {
      probe: (server, probeOptions) => probeTls(server, {...probeOptions, timeoutMs: options.timeoutMs}),
      whoami: (context) => liveWhoami(context, io, options),
    },
    now: options.now,
    readFile: (path) => readInput(path, {age: options.age}).catch(() => undefined),
  }
}

export function talosDeps(options: DoctorOptions): TalosDoctorDeps {
  return {
    expiresWithinMs: options.expiresWithinMs,
    fileMode,
    network: options.offline ? undefined : {probeEndpoint: (endpoint, context) => probeEndpoint(endpoint, context, options.timeoutMs)},
    now: options.now,
  }
}

const contextFailure = (error: unknown): Check[] => [fail('context', (error as Error).message, 'fix the context entries (authctl kubeconfig view / authctl talosconfig info)')]

export async function doctorKubeconfig(options: {kubeconfig?: string; context?: string; allContexts?: boolean; env: NodeJS.ProcessEnv; age?: AgeOptions}, deps: KubeDoctorDeps): Promise<ContextReport[]> {
  const config = await loadKubeconfig({age: options.age, env: options.env, kubeconfig: options.kubeconfig})
  const names = options.allContexts ? [...config.contexts.keys()] : [options.context || config.currentContext]
  const reports: ContextReport[] = []
  for (const name of names) {
    let checks: Check[]
    try {
      checks = await checkKubeContext(resolveContext(config, name), deps)
    } catch (error) {
      checks = contextFailure(error)
    }
    reports.push({checks, context: name || '(current-context not set)'})
  }
  return reports
}

export async function doctorTalosconfig(location: TalosconfigLocation, options: {context?: string; allContexts?: boolean; age?: AgeOptions}, deps: TalosDoctorDeps): Promise<ContextReport[]> {
  const {config, exists} = await loadTalosconfig(location, options.age)
  if (!exists) throw new AuthctlError(`talosconfig ${location.path} does not exist`, {code: 'NOT_FOUND', hint: 'pass --talosconfig FILE or set TALOSCONFIG'})
  const names = options.allContexts ? [...config.contexts.keys()] : [options.context || config.context]
  const reports: ContextReport[] = []
  for (const name of names) {
    const context = config.contexts.get(name)
    const checks = context
      ? await checkTalosContext(location.path, context, deps)
      : contextFailure(new Error(name ? `context ${JSON.stringify(name)} is not defined` : 'no context is set'))
    reports.push({checks, context: name || '(context not set)'})
  }
  return reports
}

const LABEL = {fail: 'FAIL', pass: 'PASS', warn: 'WARN'} as const
/** On a coloured terminal each label carries its checklist mark. */
const MARKED = {fail: '✘ FAIL', pass: '✔ PASS', warn: '! WARN'} as const

export function reportText(reports: ContextReport[], style: Style = plainStyle): string {
  const label = (status: keyof typeof LABEL) =>
    style === plainStyle ? LABEL[status] : {fail: style.bad, pass: style.good, warn: style.caution}[status](MARKED[status])
  const lines: string[] = []
  for (const r of reports) {
    lines.push(`context ${quote(r.context)}:`)
    // Messages quote certificate subjects, server answers and file names: control characters escaped.
    for (const c of r.checks) lines.push(`  ${label(c.status)}  ` + escapeControls(`${c.name}: ${c.message}`) + (c.fix ? `\n        fix: ${escapeControls(c.fix)}` : ''))
  }
  return lines.join('\n') + '\n'
}
