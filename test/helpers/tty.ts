// Runs the built CLI on a real pseudo-terminal: tmux for interactive sessions (keys sent, screen read) and
// script(1) for the raw bytes a program writes to a terminal (colour escapes). Each tmux session gets its own server
// socket, so tests never meet each other's or a user's sessions.
import {execFile} from 'node:child_process'
import {promisify} from 'node:util'

import {cliPath, runProgram} from './cli.js'

const exec = promisify(execFile)
let sessions = 0

const shellQuote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`

/** The shell command line that runs authctl with `env` set on top of this process's environment. */
function commandLine(args: string[], env: Record<string, string | undefined>): string {
  const unset = Object.entries(env).filter(([, v]) => v === undefined).map(([k]) => `-u ${k}`)
  const set = Object.entries(env).filter(([, v]) => v !== undefined).map(([k, v]) => shellQuote(`${k}=${v}`))
  return ['env', ...unset, ...set, shellQuote(process.execPath), shellQuote(cliPath), ...args.map(shellQuote)].join(' ')
}

type Tmux = (...args: string[]) => Promise<{stdout: string}>

/** Waits (bounded) until a tmux pane's screen matches `pattern`, and returns the screen. */
export function screenWaiter(tmux: Tmux, defaultTimeoutMs: number): (pattern: RegExp, timeoutMs?: number) => Promise<string> {
  return async (pattern, timeoutMs = defaultTimeoutMs) => {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const text = (await tmux('capture-pane', '-p', '-J')).stdout
      if (pattern.test(text)) return text
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern} on screen:\n${text}`)
      await new Promise((r) => setTimeout(r, 50))
    }
  }
}

export interface TmuxSession {
  /** Sends keys as tmux send-keys takes them ("Down", "Enter", "y"). */
  keys(...keys: string[]): Promise<void>
  /** Waits (bounded) until the screen matches, and returns the screen. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>
  /** Waits for the command to end; returns its exit code and the final screen. */
  exit(timeoutMs?: number): Promise<{exitCode: number; screen: string}>
  close(): Promise<void>
}

/** Starts authctl in a fresh tmux session (80x24) in `cwd`, stdout optionally redirected to a file. */
export async function tmuxRun(
  args: string[],
  options: {cwd: string; env?: Record<string, string | undefined>; redirectStdout?: string},
): Promise<TmuxSession> {
  const socket = `authctl-test-${process.pid}-${++sessions}`
  const tmux = (...a: string[]) => exec('tmux', ['-L', socket, '-f', '/dev/null', ...a], {cwd: options.cwd})
  // The exit code is printed after the program so the test can wait for it; the pane then stays open.
  const redirect = options.redirectStdout ? ` > ${shellQuote(options.redirectStdout)}` : ''
  const line = `${commandLine(args, {NO_COLOR: undefined, TERM: 'xterm-256color', ...options.env})}${redirect}; echo "[exit $?]"; exec sleep 600`
  await tmux('new-session', '-d', '-x', '80', '-y', '24', '-c', options.cwd, line)
  const waitFor = screenWaiter(tmux, 20_000)
  return {
    close: () => tmux('kill-server').then(() => undefined, () => undefined),
    async exit(timeoutMs) {
      const text = await waitFor(/\[exit \d+\]/, timeoutMs)
      return {exitCode: Number(/\[exit (\d+)\]/.exec(text)![1]), screen: text}
    },
    async keys(...keys) {
      await tmux('send-keys', ...keys)
    },
    waitFor,
  }
}

/** Runs authctl with stdout and stderr on a pseudo-terminal (script -qec) and returns the raw bytes it wrote. */
export async function runOnTty(args: string[], options: {cwd: string; env?: Record<string, string | undefined>}): Promise<{exitCode: number; output: string}> {
  const r = await runProgram('script', ['-qec', commandLine(args, {NO_COLOR: undefined, TERM: 'xterm-256color', ...options.env}), '/dev/null'], {cwd: options.cwd})
  return {exitCode: r.exitCode, output: r.stdout.replaceAll('\r\n', '\n')}
}
