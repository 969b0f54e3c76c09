// Turning handler flags into library options (shared by the kubeconfig handlers; no oclif import).
import type {Io} from '../../cli/handler.js'
import type {CommandContext, EditResult} from './commands.js'

export function commandContext(flags: Record<string, any>, io: Io): CommandContext {
  return {cwd: io.cwd, env: io.env, kubeconfig: flags.kubeconfig, allowMissingExplicit: true, onWarning: (w) => io.err(`warning: ${w}\n`)}
}

/** Prints a kubectl confirmation (warnings to stderr) and returns the JSON document. */
export function report(result: EditResult, io: Io): {document: EditResult} {
  for (const warning of result.warnings) io.err(warning + '\n')
  io.out(result.message + '\n')
  return {document: result}
}
