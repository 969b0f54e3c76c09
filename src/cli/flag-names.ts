// Flags are declared under kubectl's kebab-case names and reach handlers camelCased, as library options spell them.
// Two places still want the declared names: kube-apiserver-style settings files (serve --config) and lib/oidc's
// option builders (tokenOptions, execArgs), which read flag values by name until they take typed options.

/** `as-group` → `asGroup` */
export const camelName = (name: string) => name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase())

/** `asGroup` → `as-group` */
export const kebabName = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)

/** Handler flags under their declared (kebab-case) names. */
export function declaredNames(flags: object): Record<string, any> {
  return Object.fromEntries(Object.entries(flags).map(([name, value]) => [kebabName(name), value]))
}
