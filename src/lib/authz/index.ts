// The authorizer chain: system:masters, then RBAC, Node, AlwaysAllow, AlwaysDeny and Webhook authorizers as an
// AuthorizationConfiguration (or kube-apiserver's legacy flags) orders them. Shared by `authctl serve` and the offline
// `rbac` analysis.
export * from './chain.js'
export * from './config.js'
export {webhookAuthorizer, type WebhookAuthorizerOptions} from './webhook.js'
export * from './offline.js'
