// cel-go's ext.TwoVarComprehensions (Kubernetes 1.32+): all/exists/existsOne(i, v, p), transformList(i, v, [f,] e),
// transformMap(k, v, [f,] e) and transformMapEntry(k, v, [f,] e), over a list (index, element) or a map (key, value).
// cel-js's macro hooks let these run with its own evaluator; they are synchronous, as all Kubernetes functions are.
import {CelEvaluationError} from './errors.js'
import type {CelLibrary} from './library.js'
import type {CelType, Checker, Evaluator, MacroInput, MacroNode, OverlayContext} from './macro.js'
import {concrete, iterationVariable} from './macro.js'
import {celEquals} from './values.js'

type Kind = 'all' | 'exists' | 'existsOne' | 'transformList' | 'transformMap' | 'transformMapEntry'

interface TwoVarMacro {
  kind: Kind
  receiver: MacroNode
  names: [string, string]
  filter?: MacroNode
  body: MacroNode
  /** The static key type; cel-js keeps a literal map with int or bool keys as an object with string keys. */
  keyType?: string
  first?: OverlayContext
  second?: OverlayContext
  typeCheck(checker: Checker, macro: TwoVarMacro, ctx: OverlayContext): CelType
  evaluate(ev: Evaluator, macro: TwoVarMacro, ctx: unknown): unknown
}

const QUANTIFIERS: Kind[] = ['all', 'exists', 'existsOne']
const TRANSFORMS: Kind[] = ['transformList', 'transformMap', 'transformMapEntry']

export const twoVarComprehensions: CelLibrary = (env) => {
  for (const kind of QUANTIFIERS) env.registerFunction(`list.${kind}(ast, ast, ast): bool`, expander(kind))
  for (const kind of TRANSFORMS) {
    env.registerFunction(`list.${kind}(ast, ast, ast): dyn`, expander(kind)).registerFunction(`list.${kind}(ast, ast, ast, ast): dyn`, expander(kind))
  }
  return env
}

function expander(kind: Kind) {
  return ({args, receiver}: MacroInput): TwoVarMacro => {
    const names: [string, string] = [iterationVariable(args[0], kind, 'first'), iterationVariable(args[1], kind, 'second')]
    if (names[0] === names[1]) throw Object.assign(new Error(`${kind}() second variable must be different from the first variable`), {node: args[0]})
    return {body: args.at(-1)!, evaluate, filter: args.length === 4 ? args[2] : undefined, kind, names, receiver, typeCheck}
  }
}

function typeCheck(checker: Checker, macro: TwoVarMacro, ctx: OverlayContext): CelType {
  const range = checker.check(macro.receiver, ctx)
  const dyn = checker.getType('dyn')
  let keyType = dyn
  let valueType = dyn
  if (range.kind === 'list') [keyType, valueType] = [checker.getType('int'), concrete(range.valueType, checker)]
  else if (range.kind === 'map') [keyType, valueType] = [concrete(range.keyType, checker), concrete(range.valueType, checker)]
  else if (range.kind !== 'dyn') {
    throw checker.createError('invalid_comprehension_range', `expression of type '${range.name}' cannot be range of a comprehension (must be list, map, or dynamic)`, macro.receiver)
  }
  macro.keyType = keyType.name
  macro.first = ctx.forkWithVariable(macro.names[0], keyType)
  macro.second = macro.first.forkWithVariable(macro.names[1], valueType)
  const bool = checker.getType('bool')
  for (const predicate of QUANTIFIERS.includes(macro.kind) ? [macro.body] : macro.filter ? [macro.filter] : []) {
    const type = checker.check(predicate, macro.second)
    if (type.name !== 'bool' && type.kind !== 'dyn') throw checker.createError('invalid_macro_argument', `${macro.kind}() predicate must return bool, got '${type.name}'`, predicate)
  }
  if (QUANTIFIERS.includes(macro.kind)) return bool
  const body = checker.check(macro.body, macro.second)
  if (macro.kind === 'transformList') return checker.registry.getListType(body)
  if (macro.kind === 'transformMap') return checker.registry.getMapType(keyType, body)
  if (body.kind === 'map' || body.kind === 'dyn') return body.kind === 'map' ? body : checker.registry.getMapType(dyn, dyn)
  throw checker.createError('invalid_macro_argument', `transformMapEntry() expression must return a map, got '${body.name}'`, macro.body)
}

const KEYS: Record<string, (key: string) => unknown> = {bool: (k) => k === 'true', int: BigInt}

function pairsOf(range: unknown, keyType?: string): Array<[unknown, unknown]> {
  if (Array.isArray(range)) return range.map((v, i) => [BigInt(i), v])
  if (range instanceof Map) return [...range]
  if (range !== null && typeof range === 'object') return Object.entries(range).map(([k, v]) => [KEYS[keyType ?? '']?.(k) ?? k, v])
  throw new CelEvaluationError('no such overload')
}

function evaluate(ev: Evaluator, macro: TwoVarMacro, ctx: unknown): unknown {
  const pairs = pairsOf(ev.run(macro.receiver, ctx), macro.keyType)
  const first = macro.first!.reuse(ctx)
  const second = macro.second!.reuse(first)
  const bind = ([k, v]: [unknown, unknown]) => (first.setIterValue(k, ev), second.setIterValue(v, ev), second)
  switch (macro.kind) {
    case 'all':
    case 'exists': {
      // An error is swallowed when another element decides the result, as cel-go's short-circuiting loop does.
      const decisive = macro.kind === 'exists'
      let error: unknown
      for (const pair of pairs) {
        const result = ev.tryEval(macro.body, bind(pair))
        if (result === decisive) return decisive
        if (result instanceof Error) error ??= result
      }
      if (error) throw error
      return !decisive
    }
    case 'existsOne':
      return pairs.filter((pair) => ev.run(macro.body, bind(pair)) === true).length === 1
    case 'transformList':
      return pairs.flatMap((pair) => (!macro.filter || ev.run(macro.filter, bind(pair)) === true ? [ev.run(macro.body, bind(pair))] : []))
    case 'transformMap': {
      const out = new Map<unknown, unknown>()
      for (const pair of pairs) if (!macro.filter || ev.run(macro.filter, bind(pair)) === true) out.set(pair[0], ev.run(macro.body, bind(pair)))
      return out
    }
    default: {
      const out = new Map<unknown, unknown>()
      for (const pair of pairs) {
        if (macro.filter && ev.run(macro.filter, bind(pair)) !== true) continue
        for (const [key, value] of pairsOf(ev.run(macro.body, bind(pair)))) {
          if ([...out.keys()].some((k) => celEquals(k, key))) throw new CelEvaluationError(`insert failed: key ${String(key)} already exists`)
          out.set(key, value)
        }
      }
      return out
    }
  }
}
