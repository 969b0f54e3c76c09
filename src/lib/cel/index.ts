// The Kubernetes CEL environment on top of @marcbachmann/cel-js (chosen in bench/cel.bench.mjs): the variables of the
// authentication (`claims`, `user`) and authorization (`request`) expressions, kube's compile-time output-type rule,
// literal checks and error texts, the escaped field names (`claims.kubernetes__dot__io`), the libraries of
// Kubernetes' base environment (one module each, see LIBRARIES) and a per-evaluation cost budget. cel-js is imported
// on first use only, so no command but the authn ones pays for it.
import type {ASTNode, Environment, ParseResult} from '@marcbachmann/cel-js'

import {nodesOf} from './ast.js'
import {twoVarComprehensions} from './comprehensions.js'
import {CelCompileError, CelEvaluationError} from './errors.js'
import {formats} from './formats.js'
import type {CelJs, CelLibrary} from './library.js'
import {REPLACED_METHODS, replacementOf} from './library.js'
import {invalidLiteral} from './literal-validators.js'
import {lists} from './lists.js'
import {net} from './net.js'
import {rewriteOptionalLiterals} from './optional-literals.js'
import {optionals} from './optionals.js'
import {quantity} from './quantity.js'
import {regex} from './regex.js'
import {semver} from './semver.js'
import {sets} from './sets.js'
import {strings} from './strings.js'
import {urls} from './url.js'

export {CelCompileError, CelEvaluationError} from './errors.js'

/** Variables an expression may use; each environment declares exactly one, as kube-apiserver's compilers do. */
export type CelVariable = 'claims' | 'request' | 'user'

/** kube-apiserver's runtime cost limit per evaluation (apiserver/pkg/apis/cel PerCallLimit). */
export const PER_CALL_COST_LIMIT = 1_000_000

export interface CompiledExpression {
  expression: string
  /** The static output type: bool, string, list<string>, dyn, … */
  outputType: string
  /** Does the expression select `variable.field` (plain or optional select, anywhere in it)? */
  selects(variable: CelVariable, field: string): boolean
  /** Runs the expression; throws CelEvaluationError (also when the cost budget is spent). */
  evaluate(activation: Record<string, unknown>, costLimit?: number): unknown
}

export interface CelCompiler {
  /** Compiles in the environment of `variable`; `returnType` is kube's required static type (e.g. bool). */
  compile(expression: string, variable: CelVariable, returnType?: string): CompiledExpression
}

let loaded: Promise<CelCompiler> | undefined

/** The compiler, built once per process on first use. */
export function loadCelCompiler(): Promise<CelCompiler> {
  loaded ??= loadCelJs().then((celJs) => new KubeCelCompiler(celJs))
  return loaded
}

async function loadCelJs(): Promise<CelJs> {
  const [lib, {Duration, UnsignedInt}] = await Promise.all([import('@marcbachmann/cel-js'), import('@marcbachmann/cel-js/evaluator')])
  return {...lib, Duration, UnsignedInt}
}

/** The libraries of Kubernetes' base CEL environment (apiserver pkg/cel/environment/base.go), one module each. */
const LIBRARIES: CelLibrary[] = [optionals, twoVarComprehensions, strings, lists, sets, regex, urls, net, quantity, semver, formats]

/**
 * A bare environment with every library and no variables; kube's settings unless `homogeneousAggregateLiterals` is
 * turned off (the CEL conformance data assumes cel-go's default, which allows mixed literals).
 */
export async function loadCelEnvironment(options: {homogeneousAggregateLiterals?: boolean} = {}): Promise<{environment: Environment; parse(expression: string, env?: Environment): ParseResult}> {
  const celJs = await loadCelJs()
  const environment = baseEnvironment(celJs, options.homogeneousAggregateLiterals ?? true)
  return {environment, parse: (expression, env = environment) => parseExpression(env, expression).parsed}
}

/** Parses as cel-go would: optional literals rewritten, replaced built-in methods renamed (see library.ts). */
function parseExpression(env: Environment, expression: string): {parsed: ParseResult; toSource(position: number): number} {
  const source = rewriteOptionalLiterals(expression)
  const parsed = env.parse(source.text)
  for (const node of nodesOf(parsed.ast)) {
    if ((node.op === 'rcall' || node.op === 'call') && REPLACED_METHODS.has(node.args[0] as string)) (node.args as unknown[])[0] = replacementOf(node.args[0] as string)
  }
  return {parsed, toSource: source.toSource}
}

function baseEnvironment(celJs: CelJs, homogeneousAggregateLiterals: boolean): Environment {
  const env = new celJs.Environment({enableOptionalTypes: true, homogeneousAggregateLiterals})
  return LIBRARIES.reduce((e, library) => library(e, celJs), env)
}

const USER_FIELDS = {extra: 'map<string, list<string>>', groups: 'list<string>', uid: 'string', username: 'string'}

class KubeCelCompiler implements CelCompiler {
  private readonly environments: Record<CelVariable, Environment>

  constructor(celJs: CelJs) {
    // The libraries are registered once; each variable's environment is a clone that adds its declarations.
    const shared = baseEnvironment(celJs, true)
    const base = () => shared.clone()
    const selector = {rawSelector: 'string', requirements: 'list<kubernetes.SelectorRequirement>'}
    this.environments = {
      claims: base().registerVariable('claims', 'map<string, dyn>'),
      request: base()
        .registerType('kubernetes.SelectorRequirement', {fields: {key: 'string', operator: 'string', values: 'list<string>'}})
        .registerType('kubernetes.FieldSelectorAttributes', {fields: selector})
        .registerType('kubernetes.LabelSelectorAttributes', {fields: selector})
        .registerType('kubernetes.ResourceAttributes', {
          fields: {
            fieldSelector: 'kubernetes.FieldSelectorAttributes', group: 'string', labelSelector: 'kubernetes.LabelSelectorAttributes', name: 'string',
            namespace: 'string', resource: 'string', subresource: 'string', verb: 'string', version: 'string',
          },
        })
        .registerType('kubernetes.NonResourceAttributes', {fields: {path: 'string', verb: 'string'}})
        .registerType('kubernetes.SubjectAccessReviewSpec', {
          fields: {...USER_FIELDS, nonResourceAttributes: 'kubernetes.NonResourceAttributes', resourceAttributes: 'kubernetes.ResourceAttributes', user: 'string'},
        })
        .registerVariable('request', 'kubernetes.SubjectAccessReviewSpec'),
      user: base().registerType('kubernetes.UserInfo', {fields: USER_FIELDS}).registerVariable('user', 'kubernetes.UserInfo'),
    }
  }

  compile(expression: string, variable: CelVariable, returnType?: string): CompiledExpression {
    let parsed: ParseResult
    let toSource: (position: number) => number
    try {
      ;({parsed, toSource} = parseExpression(this.environments[variable], expression))
    } catch (error) {
      throw new CelCompileError(`compilation failed: ${celGoIssue(error, expression, rewriteOptionalLiterals(expression).toSource)}`)
    }
    unescapeFieldNames(parsed.ast)
    const checked = parsed.check()
    if (!checked.valid) throw new CelCompileError(`compilation failed: ${celGoIssue(checked.error, expression, toSource)}`)
    const literal = invalidLiteral(parsed.ast, this.environments[variable])
    if (literal) throw new CelCompileError(`compilation failed: ${celGoIssue({node: literal.node, summary: literal.message}, expression, toSource)}`)
    const outputType = checked.type ?? 'dyn'
    if (returnType !== undefined && outputType !== returnType) {
      // The authorization compiler names the type it got; the authentication one does not.
      throw new CelCompileError(`must evaluate to ${returnType}${variable === 'request' ? ` but got ${celGoTypeName(outputType)}` : ''}`)
    }
    meter(parsed.ast)
    return {
      evaluate: (activation, costLimit = PER_CALL_COST_LIMIT) => evaluateWithBudget(parsed, activation, costLimit),
      expression,
      outputType,
      selects: (name, field) => selects(parsed.ast, name, field),
    }
  }
}

// ---- cost budget ----
// cel-go charges roughly one unit per evaluated node (comprehension bodies once per element); counting node
// evaluations reproduces that closely enough that loops over token-sized data stay far below the limit while nested
// loops that would run for seconds are cut off with cel-go's own message.
let budget: {remaining: number} | undefined

function evaluateWithBudget(parsed: ParseResult, activation: Record<string, unknown>, costLimit: number): unknown {
  const previous = budget
  budget = {remaining: costLimit}
  try {
    return parsed(activation)
  } catch (error) {
    if (error instanceof CelEvaluationError) throw error
    throw new CelEvaluationError(summaryOf(error))
  } finally {
    budget = previous
  }
}

type MeteredNode = ASTNode & {meta: {alternate?: MeteredNode; evaluate: Function; macro?: {evaluate: Function}}; evaluate: Function}

function meter(root: ASTNode): void {
  for (const node of nodesOf(root) as MeteredNode[]) node.evaluate = metered
}

/** One shared replacement for every node's evaluate (a closure per node made compiling several times slower). */
function metered(this: MeteredNode, ev: unknown, ast: unknown, ctx: unknown): unknown {
  if (budget && --budget.remaining < 0) throw new CelEvaluationError('operation cancelled: actual cost limit exceeded')
  const meta = this.meta
  if (meta.alternate) return meta.alternate.evaluate(ev, meta.alternate, ctx)
  if (meta.macro) return meta.macro.evaluate(ev, meta.macro, ctx)
  return meta.evaluate(ev, ast, ctx)
}

// ---- escaped field names (apiserver/pkg/cel escaping) ----
const RESERVED = new Set(['true', 'false', 'null', 'in', 'as', 'break', 'const', 'continue', 'else', 'for', 'function', 'if', 'import', 'let', 'loop', 'package', 'namespace', 'return', 'var', 'void', 'while'])
const ESCAPES: Record<string, string> = {dash: '-', dot: '.', slash: '/', underscores: '_'}

export function unescapeFieldName(name: string): string {
  const reserved = /^__([a-z]+)__$/.exec(name)
  if (reserved && RESERVED.has(reserved[1])) return reserved[1]
  return name.replace(/__(underscores|dot|dash|slash)__/g, (_, word: string) => (word === 'underscores' ? '__' : ESCAPES[word]))
}

function unescapeFieldNames(root: ASTNode): void {
  for (const node of nodesOf(root)) {
    if ((node.op === '.' || node.op === '.?') && node.args[1].includes('__')) (node.args as [ASTNode, string])[1] = unescapeFieldName(node.args[1])
  }
}

function selects(root: ASTNode, variable: string, field: string): boolean {
  return nodesOf(root).some((n) => (n.op === '.' || n.op === '.?') && n.args[1] === field && n.args[0].op === 'id' && n.args[0].args === variable)
}

// ---- cel-go wording ----
const GO_RUNTIME: Array<[RegExp, (m: RegExpExecArray) => string]> = [
  [/^No such key: (.*)$/, (m) => `no such key: ${m[1]}`],
  [/^Unknown variable: (.*)$/, (m) => `undeclared reference to '${m[1]}' (in container '')`],
]

function summaryOf(error: unknown): string {
  const e = error as {summary?: string; message?: string}
  const text = e?.summary ?? e?.message?.split('\n')[0] ?? String(error)
  for (const [pattern, render] of GO_RUNTIME) {
    const m = pattern.exec(text)
    if (m) return render(m)
  }
  return text
}

/** cel-go's spelling of a type: list(string), map(string, dyn). */
function celGoTypeName(type: string): string {
  return type.replaceAll('<', '(').replaceAll('>', ')')
}

/** cel-go's issue text: `ERROR: <input>:L:C: msg` then the source line and a caret under the column. */
function celGoIssue(error: unknown, expression: string, toSource: (position: number) => number): string {
  const pos = toSource((error as {node?: {pos?: number}; range?: {start: number}})?.range?.start ?? (error as {node?: {pos?: number}})?.node?.pos ?? 0)
  const before = expression.slice(0, pos)
  const line = before.split('\n').length
  const column = pos - (before.lastIndexOf('\n') + 1)
  const source = expression.split('\n')[line - 1]
  return `ERROR: <input>:${line}:${column + 1}: ${summaryOf(error)}\n | ${source}\n | ${'.'.repeat(column)}^`
}
