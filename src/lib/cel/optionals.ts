// The parts of cel-go's OptionalTypes that cel-js lacks: optional.ofNonZeroValue, optMap, optFlatMap, equality of
// optionals, and the runtime of optional list elements `[?x]` and map entries `{?k: v}` (see optional-literals.ts).
import type {Optional} from '@marcbachmann/cel-js'

import type {CelJs, CelLibrary} from './library.js'
import type {CelType, Checker, Evaluator, MacroInput, MacroNode, OverlayContext} from './macro.js'
import {concrete, iterationVariable} from './macro.js'
import {isOptional, kindOf} from './types.js'
import {celEquals} from './values.js'

/** The functions the optional-literal rewrite calls; not meant for users, hence the reserved-looking names. */
export const OPTIONAL_LIST = '__optional_list__'
export const OPTIONAL_MAP = '__optional_map__'
export const OPTIONAL_VALUE = '__optional_value__'

interface OptMapMacro {
  flat: boolean
  receiver: MacroNode
  name: string
  body: MacroNode
  scope?: OverlayContext
  typeCheck(checker: Checker, macro: OptMapMacro, ctx: OverlayContext): CelType
  evaluate(ev: Evaluator, macro: OptMapMacro, ctx: unknown): unknown
}

export const optionals: CelLibrary = (env, celJs) => {
  const some = (values: Optional[]) => values.filter((o) => o.hasValue()).map((o) => o.value())
  return env
    .registerFunction('OptionalNamespace.ofNonZeroValue(A): optional<A>', (_: unknown, value: unknown) => (isZero(value) ? celJs.Optional.none() : celJs.Optional.of(value)))
    .registerFunction('optional.optMap(ast, ast): dyn', optMapExpander(false, celJs))
    .registerFunction('optional.optFlatMap(ast, ast): dyn', optMapExpander(true, celJs))
    .registerOperator('optional<A> == optional<A>', (a: Optional, b: Optional) => optionalEquals(a, b))
    .registerFunction(`${OPTIONAL_VALUE}(optional<A>): optional<dyn>`, (value: Optional) => value)
    .registerFunction(`${OPTIONAL_LIST}(list<optional<dyn>>): list<dyn>`, (items: Optional[]) => some(items))
    .registerFunction(`${OPTIONAL_MAP}(map<K, optional<dyn>>): map<K, dyn>`, (entries: Map<unknown, Optional> | Record<string, Optional>) => {
      const pairs = entries instanceof Map ? [...entries] : Object.entries(entries)
      return new Map(pairs.filter(([, o]) => o.hasValue()).map(([k, o]) => [k, o.value()]))
    })
}

function optionalEquals(a: Optional, b: Optional): boolean {
  return a.hasValue() === b.hasValue() && (!a.hasValue() || celEquals(a.value(), b.value()))
}

/** cel-go's zero values: null, false, 0, 0u, 0.0, "", b"", [], {}, a zero duration or timestamp. */
function isZero(value: unknown): boolean {
  switch (kindOf(value)) {
    case 'null':
      return true
    case 'bool':
    case 'int':
    case 'double':
    case 'string':
      return !value
    case 'uint':
      return (value as {value: bigint}).value === 0n
    case 'bytes':
      return (value as Uint8Array).length === 0
    case 'list':
      return (value as unknown[]).length === 0
    case 'map':
      return (value instanceof Map ? value.size : Object.keys(value as object).length) === 0
    case 'timestamp':
      return (value as Date).getTime() === 0
    case 'duration':
      return (value as {seconds: bigint}).seconds === 0n && (value as {nanos: number}).nanos === 0
    default:
      return false
  }
}

function optMapExpander(flat: boolean, celJs: CelJs) {
  const fn = flat ? 'optFlatMap' : 'optMap'
  return ({args, receiver}: MacroInput): OptMapMacro => ({
    body: args[1],
    evaluate(ev, macro, ctx) {
      const value = ev.run(macro.receiver, ctx)
      if (!isOptional(value)) throw new Error(`${fn}() receiver must be optional`)
      if (!value.hasValue()) return value
      const result = ev.run(macro.body, macro.scope!.reuse(ctx).setIterValue(value.value(), ev))
      return flat ? result : celJs.Optional.of(result)
    },
    flat,
    name: iterationVariable(args[0], fn, 'first'),
    receiver,
    typeCheck(checker, macro, ctx) {
      const receiverType = checker.check(macro.receiver, ctx)
      if (receiverType.kind !== 'optional' && receiverType.kind !== 'dyn') throw checker.createError('optional_expected', `${fn}() receiver must be optional, got '${receiverType.name}'`, macro.receiver)
      macro.scope = ctx.forkWithVariable(macro.name, receiverType.kind === 'optional' ? concrete(receiverType.valueType, checker) : receiverType)
      const body = checker.check(macro.body, macro.scope)
      if (!flat) return checker.registry.getOptionalType(body)
      if (body.kind === 'optional') return body
      if (body.kind === 'dyn') return checker.getType('optional')
      throw checker.createError('optional_expected', `optFlatMap() expression must return an optional, got '${body.name}'`, macro.body)
    },
  })
}
