// `authctl serve` as a real process: started with --json and --secure-port 0, ready once it prints its URL, stopped
// with SIGTERM (always, in after hooks).
import {type ChildProcess, spawn} from 'node:child_process'

import {cliPath} from './cli.js'

export interface ServeProcess {
  url: string
  stderr: () => string
  child: ChildProcess
  /** SIGTERM, then the exit code. */
  stop: () => Promise<number | null>
}

export function startServe(args: string[], options: {cwd?: string; env?: NodeJS.ProcessEnv} = {}): Promise<ServeProcess> {
  const child = spawn(process.execPath, [cliPath, 'serve', '--secure-port', '0', '--json', ...args], {
    cwd: options.cwd,
    env: {...process.env, NO_COLOR: '1', ...options.env},
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stderr = ''
  child.stderr!.on('data', (d) => (stderr += d))
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
    return exited
  }
  return new Promise((resolve, reject) => {
    let out = ''
    child.stdout!.on('data', (d) => {
      out += d
      if (out.includes('\n')) resolve({child, stderr: () => stderr, stop, url: JSON.parse(out.split('\n')[0]).url})
    })
    exited.then((code) => reject(new Error(`serve exited (${code}) before serving: ${stderr}`)))
  })
}
