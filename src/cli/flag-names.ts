// Flags are declared under kubectl's kebab-case names and reach handlers camelCased, as library options spell them.
// serve --config files use kube-apiserver's (kebab-case) setting names, so serve maps its flags back to them.

/** `as-group` → `asGroup` */
export const camelName = (name: string) => name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase())

/** `asGroup` → `as-group` */
export const kebabName = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)

/** Handler flags under their declared (kebab-case) names. */
export function declaredNames<V>(flags: Record<string, V>): Record<string, V> {
  return Object.fromEntries(Object.entries(flags).map(([name, value]) => [kebabName(name), value]))
}
