// Kubernetes' regex library — string.find(re) (first match or "") and string.findAll(re[, limit]) — and CEL's
// matches, replacing cel-js's (see REPLACED_METHODS), all with RE2 syntax (re2.ts).
import type {CelLibrary} from './library.js'
import {replacementOf} from './library.js'
import {compileRe2} from './re2.js'

function findAll(s: string, pattern: string, limit: bigint): string[] {
  if (limit === 0n) return []
  const re = compileRe2(pattern)
  const all = [...s.matchAll(new RegExp(re.source, `${re.flags}g`))].map((m) => m[0])
  return limit < 0n ? all : all.slice(0, Number(limit))
}

const matches = (s: string, pattern: string) => compileRe2(pattern).test(s)

export const regex: CelLibrary = (env) =>
  env
    .registerFunction('string.find(string): string', (s: string, pattern: string) => compileRe2(pattern).exec(s)?.[0] ?? '')
    .registerFunction('string.findAll(string): list<string>', (s: string, pattern: string) => findAll(s, pattern, -1n))
    .registerFunction('string.findAll(string, int): list<string>', findAll)
    .registerFunction(`string.${replacementOf('matches')}(string): bool`, matches)
    .registerFunction(`${replacementOf('matches')}(string, string): bool`, matches)
