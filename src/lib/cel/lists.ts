// Kubernetes' lists library (isSorted, sum, min, max, indexOf, lastIndexOf; all Kubernetes versions) and cel-go's
// ext.Lists at ListsVersion(3), which Kubernetes 1.34 adds (slice, flatten, lists.range, distinct, reverse, first,
// last, sort, sortBy).
import type {Environment} from '@marcbachmann/cel-js'

import {CelEvaluationError} from './errors.js'
import type {CelJs, CelLibrary} from './library.js'
import {registerNamespace, replacementOf} from './library.js'
import type {CelType, Checker, Evaluator, MacroInput, MacroNode, OverlayContext} from './macro.js'
import {concrete, iterationVariable} from './macro.js'
import {celCompare, celEquals} from './values.js'

const DURATION = 'google.protobuf.Duration'
const COMPARABLE = ['int', 'uint', 'double', 'bool', DURATION, 'google.protobuf.Timestamp', 'string', 'bytes']
const MAX_INT = 2n ** 63n - 1n
const MIN_INT = -(2n ** 63n)

export const lists: CelLibrary = (env, celJs) => {
  for (const type of COMPARABLE) {
    env
      .registerFunction(`list<${type}>.isSorted(): bool`, (list: unknown[]) => list.every((v, i) => i === 0 || celCompare(list[i - 1], v) <= 0))
      .registerFunction(`list<${type}>.min(): ${type}`, (list: unknown[]) => extreme(list, 'min', 1))
      .registerFunction(`list<${type}>.max(): ${type}`, (list: unknown[]) => extreme(list, 'max', -1))
      .registerFunction(`list<${type}>.sort(): list<${type}>`, (list: unknown[]) => [...list].sort(celCompare))
  }
  registerSums(env, celJs)
  env.registerFunction('list.sortBy(ast, ast): dyn', sortByExpander)
  return registerNamespace(env, 'lists', 'ListsNamespace')
    // Named as the compiler renames every indexOf/lastIndexOf call (the string ones replace cel-js built-ins).
    .registerFunction(`list<A>.${replacementOf('indexOf')}(A): int`, (list: unknown[], item: unknown) => BigInt(list.findIndex((v) => celEquals(v, item))))
    .registerFunction(`list<A>.${replacementOf('lastIndexOf')}(A): int`, (list: unknown[], item: unknown) => BigInt(list.findLastIndex((v) => celEquals(v, item))))
    .registerFunction('list<A>.slice(int, int): list<A>', slice)
    .registerFunction('list.flatten(): list', (list: unknown[]) => flatten(list, 1n))
    .registerFunction('list.flatten(int): list', flatten)
    .registerFunction('ListsNamespace.range(int): list<int>', (_: unknown, n: bigint) => Array.from({length: Math.max(0, Number(n))}, (_v, i) => BigInt(i)))
    .registerFunction('list<A>.distinct(): list<A>', (list: unknown[]) => list.filter((v, i) => list.findIndex((w) => celEquals(v, w)) === i))
    .registerFunction('list<A>.reverse(): list<A>', (list: unknown[]) => [...list].reverse())
    .registerFunction('list<A>.first(): optional<A>', (list: unknown[]) => (list.length ? celJs.Optional.of(list[0]) : celJs.Optional.none()))
    .registerFunction('list<A>.last(): optional<A>', (list: unknown[]) => (list.length ? celJs.Optional.of(list.at(-1)) : celJs.Optional.none()))
}

function extreme(list: unknown[], name: string, replaceWhen: number): unknown {
  if (list.length === 0) throw new CelEvaluationError(`${name} called on empty list`)
  return list.reduce((best, v) => (celCompare(best, v) === replaceWhen ? v : best))
}

function registerSums(env: Environment, celJs: CelJs): void {
  const {Duration, UnsignedInt} = celJs
  env
    .registerFunction('list<int>.sum(): int', (list: bigint[]) => {
      const total = list.reduce((a, b) => a + b, 0n)
      if (total > MAX_INT || total < MIN_INT) throw new CelEvaluationError('integer overflow')
      return total
    })
    .registerFunction('list<uint>.sum(): uint', (list: Array<{value: bigint}>) => {
      const total = list.reduce((a, b) => a + b.value, 0n)
      if (total >= 2n ** 64n) throw new CelEvaluationError('unsigned integer overflow')
      return new UnsignedInt(total)
    })
    .registerFunction('list<double>.sum(): double', (list: number[]) => list.reduce((a, b) => a + b, 0))
    .registerFunction(`list<${DURATION}>.sum(): ${DURATION}`, (list: Array<{seconds: bigint; nanos: number}>) => {
      const nanos = list.reduce((a, d) => a + d.seconds * 1_000_000_000n + BigInt(d.nanos), 0n)
      return new Duration(nanos / 1_000_000_000n, Number(nanos % 1_000_000_000n))
    })
}

function slice(list: unknown[], start: bigint, end: bigint): unknown[] {
  const prefix = `cannot slice(${start}, ${end}), `
  if (start < 0n || end < 0n) throw new CelEvaluationError(`${prefix}negative indexes not supported`)
  if (start > end) throw new CelEvaluationError(`${prefix}start index must be less than or equal to end index`)
  if (end > BigInt(list.length)) throw new CelEvaluationError(`${prefix}list is length ${list.length}`)
  return list.slice(Number(start), Number(end))
}

function flatten(list: unknown[], depth: bigint): unknown[] {
  if (depth < 0n) throw new CelEvaluationError('level must be non-negative')
  return list.flatMap((v) => (Array.isArray(v) && depth > 0n ? flatten(v, depth - 1n) : [v]))
}

// ---- sortBy(e, key): a stable sort of the list by a comparable key computed per element ----
interface SortByMacro {
  receiver: MacroNode
  name: string
  key: MacroNode
  scope?: OverlayContext
  typeCheck(checker: Checker, macro: SortByMacro, ctx: OverlayContext): CelType
  evaluate(ev: Evaluator, macro: SortByMacro, ctx: unknown): unknown
}

function sortByExpander({args, receiver}: MacroInput): SortByMacro {
  return {evaluate: sortByEvaluate, key: args[1], name: iterationVariable(args[0], 'sortBy', 'first'), receiver, typeCheck: sortByTypeCheck}
}

function sortByTypeCheck(checker: Checker, macro: SortByMacro, ctx: OverlayContext): CelType {
  const list = checker.check(macro.receiver, ctx)
  if (list.kind !== 'list' && list.kind !== 'dyn') throw checker.createError('no_matching_overload', `found no matching overload for 'sortBy' applied to '${list.name}'`, macro.receiver)
  const element = list.kind === 'list' ? concrete(list.valueType, checker) : list
  macro.scope = ctx.forkWithVariable(macro.name, element)
  const key = checker.check(macro.key, macro.scope)
  if (key.kind !== 'dyn' && !COMPARABLE.includes(key.name)) throw checker.createError('no_matching_overload', `sortBy() key must be a comparable type, got '${key.name}'`, macro.key)
  return list.kind === 'list' ? list : checker.registry.getListType(checker.getType('dyn'))
}

function sortByEvaluate(ev: Evaluator, macro: SortByMacro, ctx: unknown): unknown {
  const list = ev.run(macro.receiver, ctx)
  if (!Array.isArray(list)) throw new CelEvaluationError('no such overload')
  const scope = macro.scope!.reuse(ctx)
  const keyed = list.map((item, index) => ({index, item, key: ev.run(macro.key, scope.setIterValue(item, ev))}))
  return keyed.sort((a, b) => celCompare(a.key, b.key) || a.index - b.index).map((k) => k.item)
}
