// RBAC: policy store, rule matching, the authorizer and rule resolver, bootstrap policy. Shared by `authctl serve`
// and the offline `authctl rbac` commands.
export * from './authorize.js'
export * from './bootstrap.js'
export * from './load.js'
export * from './match.js'
export * from './store.js'
export * from './types.js'
