// cel-go's ext.Sets (Kubernetes 1.29+): sets.contains / sets.equivalent / sets.intersects over lists.
import type {CelLibrary} from './library.js'
import {registerNamespace} from './library.js'
import {celEquals} from './values.js'

export const sets: CelLibrary = (env) => {
  const has = (list: unknown[], x: unknown) => list.some((y) => celEquals(x, y))
  return registerNamespace(env, 'sets', 'SetsNamespace')
    .registerFunction('SetsNamespace.contains(list, list): bool', (_: unknown, a: unknown[], b: unknown[]) => b.every((x) => has(a, x)))
    .registerFunction('SetsNamespace.equivalent(list, list): bool', (_: unknown, a: unknown[], b: unknown[]) => b.every((x) => has(a, x)) && a.every((x) => has(b, x)))
    .registerFunction('SetsNamespace.intersects(list, list): bool', (_: unknown, a: unknown[], b: unknown[]) => b.some((x) => has(a, x)))
}
