// The yaml library, loaded on first use (it costs ~40 ms to import). yaml's node build is CommonJS; inside the
// esbuild bundles (the ESM ones oclif loads and the CommonJS lean ones, where the import is inlined and evaluated on
// first call) a dynamic import of it yields the exports under `default`, while tsx/node give them as named exports.
// This is the one place that knows.
type YamlModule = typeof import('yaml')

let loaded: Promise<YamlModule> | undefined

export function loadYaml(): Promise<YamlModule> {
  loaded ??= import('yaml').then((ns) => ((ns as unknown as {default?: YamlModule}).default ?? ns) as YamlModule)
  return loaded
}
