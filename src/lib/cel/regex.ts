// Kubernetes' regex library: string.find(re) (first match or "") and string.findAll(re[, limit]).
import {CelEvaluationError} from './errors.js'
import type {CelLibrary} from './library.js'

function compile(pattern: string, global: boolean): RegExp {
  try {
    return new RegExp(pattern, global ? 'gu' : 'u')
  } catch (error) {
    throw new CelEvaluationError(`error parsing regexp: ${(error as Error).message}`)
  }
}

function findAll(s: string, pattern: string, limit: bigint): string[] {
  if (limit === 0n) return []
  const all = [...s.matchAll(compile(pattern, true))].map((m) => m[0])
  return limit < 0n ? all : all.slice(0, Number(limit))
}

export const regex: CelLibrary = (env) =>
  env
    .registerFunction('string.find(string): string', (s: string, pattern: string) => compile(pattern, false).exec(s)?.[0] ?? '')
    .registerFunction('string.findAll(string): list<string>', (s: string, pattern: string) => findAll(s, pattern, -1n))
    .registerFunction('string.findAll(string, int): list<string>', findAll)
