// The slice of cel-js's macro interface the macro libraries use: a macro expands at parse time into an object whose
// typeCheck/evaluate hooks run later; iteration variables live in overlay contexts forked from the caller's.
export interface MacroNode {
  op: string
  args: unknown
  pos: number
}

export interface CelType {
  kind: string
  name: string
  hasPlaceholderType: boolean
  keyType: CelType
  valueType: CelType
  unify(registry: unknown, other: CelType): CelType | undefined
}

export interface OverlayContext {
  forkWithVariable(name: string, type: CelType): OverlayContext
  reuse(parent: unknown): OverlayContext
  setIterValue(value: unknown, ev: Evaluator): OverlayContext
}

export interface Checker {
  check(node: MacroNode, ctx: OverlayContext): CelType
  getType(name: string): CelType
  createError(code: string, message: string, node: MacroNode): Error
  registry: {getListType(t: CelType): CelType; getMapType(k: CelType, v: CelType): CelType; getOptionalType(t: CelType): CelType}
}

export interface Evaluator {
  run(node: MacroNode, ctx: unknown): unknown
  tryEval(node: MacroNode, ctx: unknown): unknown
}

export interface MacroInput {
  ast: MacroNode
  args: MacroNode[]
  receiver: MacroNode
}

/** The name of an iteration variable, or cel-go's parse error when the argument is not a simple identifier. */
export function iterationVariable(node: MacroNode, macro: string, which: string): string {
  if (node.op === 'id') return node.args as string
  throw Object.assign(new Error(`${macro}() ${which} variable name must be a simple identifier`), {node})
}

/** An empty literal's element type is a placeholder (`list<T>`); a variable bound to it is dyn, as in cel-go. */
export function concrete(type: CelType, checker: Checker): CelType {
  return type.hasPlaceholderType ? checker.getType('dyn') : type
}
