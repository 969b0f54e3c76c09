// Walking a cel-js AST: every node, including the operands macros keep under names of their own.
import type {ASTNode} from '@marcbachmann/cel-js'

type WalkedNode = ASTNode & {meta: {alternate?: ASTNode; macro?: {evaluate?: Function}}}

/** Every AST node, macro expansions included. */
export function nodesOf(root: ASTNode): ASTNode[] {
  const seen = new Set<object>()
  const out: ASTNode[] = []
  const visit = (value: unknown): void => {
    if (value === null || typeof value !== 'object' || seen.has(value)) return
    seen.add(value)
    if (Array.isArray(value)) return value.forEach(visit)
    if (isNode(value)) {
      out.push(value)
      const meta = (value as WalkedNode).meta
      visit(meta.alternate)
      // A macro keeps its operands under names of its own (args, receiver, body, val, exp, …); contexts are skipped.
      if (meta.macro?.evaluate) Object.values(meta.macro).filter((v) => Array.isArray(v) || (v !== null && typeof v === 'object' && isNode(v))).forEach(visit)
      return visit((value as {args: unknown}).args)
    }
    // A structural operand such as a comprehension's {iterable, init, step}: its nodes only, not the contexts the
    // type checker hangs on it (they lead to the whole registry).
    Object.values(value).filter((v) => Array.isArray(v) || (v !== null && typeof v === 'object' && isNode(v))).forEach(visit)
  }
  visit(root)
  return out
}

export function isNode(value: object): value is ASTNode {
  return typeof (value as ASTNode).op === 'string' && 'args' in value && typeof (value as {clone?: unknown}).clone === 'function'
}
