// `authctl doctor`: load the kubeconfig, pick the contexts, run the checklist for each with real I/O.
import {accessSync, constants, readFileSync, statSync} from 'node:fs'

import {loadKubeconfig, resolveContext} from '../kubeconfig/index.js'
import {type Check, checkContext, type DoctorDeps} from './checks.js'
import {probeTls} from './tls.js'

export type {Check, CheckStatus, DoctorDeps} from './checks.js'
export {checkContext} from './checks.js'

export interface ContextReport {
  context: string
  checks: Check[]
}

export function systemDeps(now: Date, env: NodeJS.ProcessEnv, expiresWithinMs?: number): DoctorDeps {
  return {
    env,
    expiresWithinMs,
    fileMode: (path) => {
      try {
        return statSync(path).mode
      } catch {
        return undefined
      }
    },
    isExecutable: (path) => {
      try {
        accessSync(path, constants.X_OK)
        return statSync(path).isFile()
      } catch {
        return false
      }
    },
    now,
    probe: (server, ca, serverName) => probeTls(server, ca, serverName),
    readFile: (path) => {
      try {
        return readFileSync(path)
      } catch {
        return undefined
      }
    },
  }
}

export async function doctorKubeconfig(options: {kubeconfig?: string; context?: string; allContexts?: boolean; env: NodeJS.ProcessEnv}, deps: DoctorDeps): Promise<ContextReport[]> {
  const config = await loadKubeconfig({env: options.env, kubeconfig: options.kubeconfig})
  const names = options.allContexts ? [...config.contexts.keys()] : [options.context || config.currentContext]
  const reports: ContextReport[] = []
  for (const name of names) {
    let checks: Check[]
    try {
      checks = await checkContext(resolveContext(config, name), deps)
    } catch (error) {
      checks = [{fix: 'fix the context, cluster and user entries (authctl kubeconfig view)', message: (error as Error).message, name: 'context', status: 'fail'}]
    }
    reports.push({checks, context: name || '(current-context not set)'})
  }
  return reports
}

const LABEL = {fail: 'FAIL', pass: 'PASS', warn: 'WARN'} as const

export function reportText(reports: ContextReport[]): string {
  const lines: string[] = []
  for (const r of reports) {
    lines.push(`context ${JSON.stringify(r.context)}:`)
    for (const c of r.checks) lines.push(`  ${LABEL[c.status]}  ${c.name}: ${c.message}${c.fix ? `\n        fix: ${c.fix}` : ''}`)
  }
  return lines.join('\n') + '\n'
}
