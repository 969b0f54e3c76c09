// Runs the built CLI (bin/run.cjs) as a real process, the way users and scripts do.
import {spawn} from 'node:child_process'
import {mkdtemp, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url))
export const cliPath = join(repoRoot, 'bin/run.cjs')

export interface CliResult {
  exitCode: number
  stderr: string
  stdout: string
}

export interface RunOptions {
  cwd?: string
  env?: NodeJS.ProcessEnv
  input?: Buffer | string
}

/** Spawns any program and collects its output (stdin closed unless input is given). */
export function runProgram(file: string, args: string[], options: RunOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      cwd: options.cwd,
      env: {...process.env, NO_COLOR: '1', ...options.env},
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    const out: Buffer[] = []
    const err: Buffer[] = []
    child.stdout.on('data', (d: Buffer) => out.push(d))
    child.stderr.on('data', (d: Buffer) => err.push(d))
    child.on('error', reject)
    // A program that exits before reading stdin closes the pipe; that EPIPE is not a test failure.
    child.stdin.on('error', () => {})
    child.on('close', (code) =>
      resolve({exitCode: code ?? -1, stderr: Buffer.concat(err).toString(), stdout: Buffer.concat(out).toString()}),
    )
    child.stdin.end(options.input ?? '')
  })
}

export function runCli(args: string[], options: RunOptions = {}): Promise<CliResult> {
  return runProgram(process.execPath, [cliPath, ...args], options)
}

/** A fresh temp directory; call the returned cleanup in after/afterEach. */
export async function makeTempDir(prefix = 'authctl-test-'): Promise<{dir: string; cleanup: () => Promise<void>}> {
  const dir = await mkdtemp(join(tmpdir(), prefix))
  return {cleanup: () => rm(dir, {force: true, recursive: true}), dir}
}
