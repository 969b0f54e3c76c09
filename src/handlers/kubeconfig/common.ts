// What the kubeconfig editing handlers share: the library context from --kubeconfig, and kubectl's confirmation.
import type {Io} from '../../lib/io.js'
import {type AgeFlags, ageOptions} from '../age-options.js'
import type {CommandContext, EditResult} from '../../lib/kubeconfig/commands.js'

export function commandContext(flags: {kubeconfig?: string} & AgeFlags, io: Io): CommandContext {
  return {age: ageOptions(flags, io), cwd: io.cwd, env: io.env, kubeconfig: flags.kubeconfig, allowMissingExplicit: true, onWarning: (w) => io.err(`warning: ${w}\n`)}
}

/** Prints a kubectl confirmation (warnings to stderr) and returns the JSON document. */
export function report(result: EditResult, io: Io): {document: EditResult} {
  for (const warning of result.warnings) io.err(warning + '\n')
  io.out(result.message + '\n')
  return {document: result}
}
