// Running authctl and real kubectl side by side on the same kubeconfig and comparing what users and scripts see:
// stdout and exit code must be equal; stderr equal up to authctl's "error: " prefix and " (hint)" suffix.
import assert from 'node:assert/strict'
import {existsSync} from 'node:fs'

import {type CliResult, runCli, runProgram} from '../../helpers/cli.js'

export const KUBECTL_DIR = '/usr/lib/google-cloud-sdk/bin'

/** The versioned kubectl binary (e.g. '1.30'), or undefined when it is not installed. */
export function kubectlBinary(version: string): string | undefined {
  const path = `${KUBECTL_DIR}/kubectl.${version}`
  return existsSync(path) ? path : undefined
}

export function assertSameStderr(mine: CliResult, kubectl: CliResult): void {
  const strip = (s: string) => s.replace(/^error: /gm, '')
  const m = strip(mine.stderr)
  const k = strip(kubectl.stderr)
  assert.ok(m === k || m.startsWith(k.replace(/\n$/, ' (')), `stderr differs:\nauthctl: ${JSON.stringify(mine.stderr)}\nkubectl: ${JSON.stringify(kubectl.stderr)}`)
}

/** Runs `args` with both programs (env must carry KUBECONFIG and a private KUBECACHEDIR) and asserts they agree. */
export async function assertSameAsKubectl(kubectl: string, args: string[], env: NodeJS.ProcessEnv): Promise<{mine: CliResult; theirs: CliResult}> {
  const mine = await runCli(args, {env})
  const theirs = await runProgram(kubectl, args, {env})
  assert.equal(mine.stdout, theirs.stdout, `stdout of ${args.join(' ')}`)
  assert.equal(mine.exitCode, theirs.exitCode, `exit code of ${args.join(' ')}`)
  assertSameStderr(mine, theirs)
  return {mine, theirs}
}
