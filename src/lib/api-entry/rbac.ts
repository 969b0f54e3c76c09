// authctl/rbac: Kubernetes RBAC offline: parse policy manifests, index them, and authorize requests as kube-apiserver does.
export {AuthctlError} from '../output/errors.js'
export {type LoadedPolicy, parsePolicy, policyFromValues} from '../rbac/load.js'
export {buildPolicyStore, type PolicyStore} from '../rbac/store.js'
export {authorize, rulesFor} from '../rbac/authorize.js'
export type {Attributes, AuthorizationResult} from '../rbac/types.js'
export type {UserInfo} from '../api/user.js'
