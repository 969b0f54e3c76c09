// get-token as a long-running child process: the test reads the login URL from its stderr, plays the browser,
// then collects the ExecCredential.
import {spawn} from 'node:child_process'

import {cliPath} from '../../helpers/cli.js'

export interface Running {
  /** Resolves with the first stderr match of `pattern` (or rejects when the process ends first). */
  waitFor(pattern: RegExp): Promise<RegExpMatchArray>
  done: Promise<{exitCode: number; stdout: string; stderr: string}>
  stderr(): string
  kill(): void
}

/** A clean environment: no display (so no browser is ever opened), HOME in the test's temp dir. */
export function testEnv(home: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {...process.env, HOME: home, NO_COLOR: '1', ...extra}
  delete env.DISPLAY
  delete env.WAYLAND_DISPLAY
  delete env.KUBERNETES_EXEC_INFO
  if (extra.KUBERNETES_EXEC_INFO) env.KUBERNETES_EXEC_INFO = extra.KUBERNETES_EXEC_INFO
  return env
}

export function startCli(args: string[], env: NodeJS.ProcessEnv): Running {
  return startProgram(process.execPath, [cliPath, ...args], env)
}

/** Any program (e.g. kubectl running get-token as its exec plugin) with its stdin closed. */
export function startProgram(file: string, args: string[], env: NodeJS.ProcessEnv): Running {
  const child = spawn(file, args, {env, stdio: ['pipe', 'pipe', 'pipe']})
  child.stdin.end()
  let out = ''
  let err = ''
  const waiters: Array<{pattern: RegExp; resolve: (m: RegExpMatchArray) => void; reject: (e: Error) => void}> = []
  const check = () => {
    for (const w of [...waiters]) {
      const m = err.match(w.pattern)
      if (m) {
        waiters.splice(waiters.indexOf(w), 1)
        w.resolve(m)
      }
    }
  }
  child.stdout.on('data', (d: Buffer) => (out += d))
  child.stderr.on('data', (d: Buffer) => {
    err += d
    check()
  })
  const done = new Promise<{exitCode: number; stdout: string; stderr: string}>((resolve) => {
    child.on('close', (code) => {
      for (const w of waiters.splice(0)) w.reject(new Error(`process ended (exit ${code}) before ${w.pattern}; stderr:\n${err}`))
      resolve({exitCode: code ?? -1, stderr: err, stdout: out})
    })
  })
  return {
    done,
    kill: () => child.kill(),
    stderr: () => err,
    waitFor: (pattern) =>
      new Promise((resolve, reject) => {
        waiters.push({pattern, reject, resolve})
        check()
      }),
  }
}

export const AUTH_URL = /Open this URL in a browser to log in:\n {2}(\S+)/
export const DEVICE_URL = /\(or open (\S+)\)/
