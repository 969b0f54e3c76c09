// apiserver.config.k8s.io AuthenticationConfiguration and AuthorizationConfiguration (v1alpha1, v1beta1 and v1 share
// field names). After loading, every field holds Go's zero value when absent ('' / [] / false), except the fields Go
// keeps as pointers (`prefix`, `anonymous`, `webhook`, `kubeConfigFile`), which stay undefined: kube's validation
// tells "unset" from "empty" only there.

export const API_GROUP = 'apiserver.config.k8s.io'
export const API_VERSIONS = ['v1alpha1', 'v1beta1', 'v1'] as const

export interface AuthenticationConfiguration {
  kind: 'AuthenticationConfiguration'
  apiVersion: string
  jwt: JwtAuthenticator[]
  anonymous?: AnonymousAuthConfig
}

export interface JwtAuthenticator {
  issuer: Issuer
  claimValidationRules: ClaimValidationRule[]
  claimMappings: ClaimMappings
  userValidationRules: UserValidationRule[]
}

export interface Issuer {
  url: string
  discoveryURL: string
  certificateAuthority: string
  audiences: string[]
  audienceMatchPolicy: string
  egressSelectorType: string
}

export interface ClaimValidationRule {
  claim: string
  requiredValue: string
  expression: string
  message: string
}

export interface PrefixedClaimOrExpression {
  claim: string
  /** A pointer in Go: unset and "" differ. */
  prefix?: string
  expression: string
}

export interface ClaimOrExpression {
  claim: string
  expression: string
}

export interface ExtraMapping {
  key: string
  valueExpression: string
}

export interface ClaimMappings {
  username: PrefixedClaimOrExpression
  groups: PrefixedClaimOrExpression
  uid: ClaimOrExpression
  extra: ExtraMapping[]
}

export interface UserValidationRule {
  expression: string
  message: string
}

export interface AnonymousAuthConfig {
  enabled: boolean
  conditions: Array<{path: string}>
}

export interface AuthorizationConfiguration {
  kind: 'AuthorizationConfiguration'
  apiVersion: string
  authorizers: AuthorizerConfiguration[]
}

export interface AuthorizerConfiguration {
  type: string
  name: string
  webhook?: WebhookConfiguration
}

export interface WebhookConfiguration {
  /** Durations in milliseconds (metav1.Duration); 0 when absent, before defaulting. */
  authorizedTTL: number
  cacheAuthorizedRequests: boolean
  unauthorizedTTL: number
  cacheUnauthorizedRequests: boolean
  timeout: number
  subjectAccessReviewVersion: string
  matchConditionSubjectAccessReviewVersion: string
  failurePolicy: string
  connectionInfo: {type: string; kubeConfigFile?: string}
  matchConditions: Array<{expression: string}>
}

export type AnyConfiguration = AuthenticationConfiguration | AuthorizationConfiguration
