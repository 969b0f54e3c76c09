// What every CEL library module receives: the environment to extend and the evaluator module (loaded lazily by
// index.ts, so a library never imports it at run time itself).
import type {Environment} from '@marcbachmann/cel-js'

export type CelJs = typeof import('@marcbachmann/cel-js') & Pick<typeof import('@marcbachmann/cel-js/evaluator'), 'Duration' | 'UnsignedInt'>

export type CelLibrary = (env: Environment, celJs: CelJs) => Environment

/** A namespace such as `sets` or `strings` is a constant of its own type with methods, as cel-js spells `optional`. */
export function registerNamespace(env: Environment, name: string, typeName: string): Environment {
  const Namespace = class {}
  return env.registerType(typeName, Namespace).registerConstant(name, typeName, new Namespace())
}

/**
 * cel-js built-in functions whose semantics differ from cel-go's (Unicode case mapping in lowerAscii, UTF-16 instead of
 * code point indexes, other range errors, JavaScript's whitespace set in trim, JavaScript regex syntax in matches).
 * Built-in overloads cannot be replaced, so the compiler renames these calls (method or global form) in the parsed
 * expression to the libraries' cel-go versions.
 */
export const REPLACED_METHODS = new Set(['indexOf', 'lastIndexOf', 'lowerAscii', 'matches', 'substring', 'trim', 'upperAscii'])

export function replacementOf(method: string): string {
  return `__go_${method}`
}
