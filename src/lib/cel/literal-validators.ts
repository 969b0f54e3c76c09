// Kubernetes' environment validates literal arguments at compile time (cel-go's ValidateDurationLiterals,
// ValidateTimestampLiterals, ValidateRegexLiterals): `duration("1x")`, `timestamp("bad")` and `s.matches("(")` are
// compile errors `invalid <function> argument` at the literal, not run-time errors.
import type {ASTNode, Environment} from '@marcbachmann/cel-js'

import {nodesOf} from './ast.js'
import {replacementOf} from './library.js'

/** The function whose first argument is checked, by its name in the parsed (renamed) expression. */
const CHECKED: Record<string, string> = {duration: 'duration', [replacementOf('matches')]: 'matches', timestamp: 'timestamp'}

/** The first literal argument that fails its function, with cel-go's message, or undefined. */
export function invalidLiteral(root: ASTNode, env: Environment): {node: ASTNode; message: string} | undefined {
  for (const node of nodesOf(root)) {
    if (node.op !== 'call' && node.op !== 'rcall') continue
    const name = node.args[0] as string
    const fn = CHECKED[name]
    const literal = (node.op === 'rcall' ? node.args[2] : node.args[1]) as ASTNode[] | undefined
    const arg = literal?.[0]
    if (!fn || !arg || arg.op !== 'value' || typeof arg.args !== 'string') continue
    const receiver = node.op === 'rcall' ? (node.args[1] as ASTNode) : undefined
    // Evaluate just the call on the literal (a method's receiver is irrelevant to the pattern check: use "").
    const call = receiver ? `"".${name}(${JSON.stringify(arg.args)})` : `${name}(${JSON.stringify(arg.args)})`
    try {
      env.evaluate(call)
    } catch {
      return {message: `invalid ${fn} argument`, node: arg}
    }
  }
  return undefined
}
