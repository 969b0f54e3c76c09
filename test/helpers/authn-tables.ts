// kube-apiserver's behaviour tables shared by every command that must answer as it does: the validation table of
// k8s.io/apiserver/pkg/apis/apiserver/validation (configurations and their exact errors) and the structured-config
// cases of the OIDC authenticator's token table (tokens signed here, keys in a JWKS, a fixed clock). `authn validate`,
// `authn test` and `serve` run the same rows.
import {generateKeyPairSync, type KeyObject} from 'node:crypto'

import {exportJWK, type JWTPayload, SignJWT} from 'jose'

const EMAIL_RULE = 'claims.email_verified must be used in claimMappings.username.expression or claimMappings.extra[*].valueExpression or claimValidationRules[*].expression when claims.email is used in claimMappings.username.expression'
const COMPILE_FOO = (path: string) => `${path}: Invalid value: "foo.bar": compilation failed: ERROR: <input>:1:1: undeclared reference to 'foo' (in container '')\n | foo.bar\n | ^`
const DNS = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"

export type Obj = Record<string, any>
const jwt = (over: (j: Obj) => void = () => {}): Obj => {
  const j: Obj = {claimMappings: {username: {claim: 'sub', prefix: ''}}, issuer: {audiences: ['audience'], url: 'https://issuer-url'}}
  over(j)
  return j
}
export const authn = (...jwts: Obj[]): Obj => ({apiVersion: 'apiserver.config.k8s.io/v1', jwt: jwts, kind: 'AuthenticationConfiguration'})
const webhook = (over: (w: Obj) => void = () => {}): Obj => {
  const w: Obj = {connectionInfo: {type: 'InClusterConfig'}, failurePolicy: 'Deny', subjectAccessReviewVersion: 'v1', timeout: '5s'}
  over(w)
  return w
}
const authz = (...authorizers: Obj[]): Obj => ({apiVersion: 'apiserver.config.k8s.io/v1', authorizers, kind: 'AuthorizationConfiguration'})
const CERT_PEM = '-----BEGIN CERTIFICATE-----\nMIIBkTCCATegAwIBAgIUW/not/a/real/certificate\n-----END CERTIFICATE-----\n'

// [name, configuration, expected errors (empty: valid)]
export const VALIDATION_TABLE: Array<[string, Obj, string[]]> = [
  ['valid', authn(jwt()), []],
  ['valid v1beta1', {...authn(jwt()), apiVersion: 'apiserver.config.k8s.io/v1beta1'}, []],
  ['valid v1alpha1', {...authn(jwt()), apiVersion: 'apiserver.config.k8s.io/v1alpha1'}, []],
  ['duplicate issuer', authn(jwt(), jwt()), ['jwt[1].issuer.url: Duplicate value: "https://issuer-url"']],
  ['duplicate discoveryURL', authn(jwt((j) => (j.issuer.discoveryURL = 'https://discovery-url/.well-known/openid-configuration')), jwt((j) => {
    j.issuer.url = 'https://another-issuer-url'
    j.issuer.discoveryURL = 'https://discovery-url/.well-known/openid-configuration'
  })), ['jwt[1].issuer.discoveryURL: Duplicate value: "https://discovery-url/.well-known/openid-configuration"']],
  ['issuer url not https', authn(jwt((j) => (j.issuer.url = 'invalid-url'))), ['jwt[0].issuer.url: Invalid value: "invalid-url": URL scheme must be https']],
  ['issuer url required', authn(jwt((j) => (j.issuer.url = ''))), ['jwt[0].issuer.url: Required value']],
  ['issuer url bad port', authn(jwt((j) => (j.issuer.url = 'https://issuer-url:invalid-port'))), ['jwt[0].issuer.url: Invalid value: "https://issuer-url:invalid-port": parse "https://issuer-url:invalid-port": invalid port ":invalid-port" after host']],
  ['issuer url with user', authn(jwt((j) => (j.issuer.url = 'https://user:pass@issuer-url'))), ['jwt[0].issuer.url: Invalid value: "https://user:pass@issuer-url": URL must not contain a username or password']],
  ['issuer url with query', authn(jwt((j) => (j.issuer.url = 'https://issuer-url?query'))), ['jwt[0].issuer.url: Invalid value: "https://issuer-url?query": URL must not contain a query']],
  ['issuer url with fragment', authn(jwt((j) => (j.issuer.url = 'https://issuer-url#fragment'))), ['jwt[0].issuer.url: Invalid value: "https://issuer-url#fragment": URL must not contain a fragment']],
  ['discoveryURL not https', authn(jwt((j) => (j.issuer.discoveryURL = 'http://oidc.oidc-namespace.svc'))), ['jwt[0].issuer.discoveryURL: Invalid value: "http://oidc.oidc-namespace.svc": URL scheme must be https']],
  ['discoveryURL same as url (trailing slashes)', authn(jwt((j) => (j.issuer.discoveryURL = 'https://issuer-url///'))), ['jwt[0].issuer.discoveryURL: Invalid value: "https://issuer-url///": discoveryURL must be different from URL']],
  ['discoveryURL bad port', authn(jwt((j) => (j.issuer.discoveryURL = 'https://oidc.oidc-namespace.svc:invalid-port'))), ['jwt[0].issuer.discoveryURL: Invalid value: "https://oidc.oidc-namespace.svc:invalid-port": parse "https://oidc.oidc-namespace.svc:invalid-port": invalid port ":invalid-port" after host']],
  ['no audiences', authn(jwt((j) => (j.issuer.audiences = []))), ['jwt[0].issuer.audiences: Required value: at least one jwt[0].issuer.audiences is required']],
  ['empty audience', authn(jwt((j) => (j.issuer.audiences = ['']))), ['jwt[0].issuer.audiences[0]: Required value']],
  ['MatchExact for one audience', authn(jwt((j) => (j.issuer.audienceMatchPolicy = 'MatchExact'))), ['jwt[0].issuer.audienceMatchPolicy: Invalid value: "MatchExact": audienceMatchPolicy must be empty or MatchAny for single audience']],
  ['duplicate audience', authn(jwt((j) => Object.assign(j.issuer, {audienceMatchPolicy: 'MatchAny', audiences: ['audience', 'audience']}))), ['jwt[0].issuer.audiences[1]: Duplicate value: "audience"']],
  ['two audiences without MatchAny', authn(jwt((j) => (j.issuer.audiences = ['audience', 'other']))), ['jwt[0].issuer.audienceMatchPolicy: Invalid value: "": audienceMatchPolicy must be MatchAny for multiple audiences']],
  ['two audiences with MatchAny', authn(jwt((j) => Object.assign(j.issuer, {audienceMatchPolicy: 'MatchAny', audiences: ['audience', 'other']}))), []],
  ['bad certificateAuthority', authn(jwt((j) => (j.issuer.certificateAuthority = CERT_PEM))), ['jwt[0].issuer.certificateAuthority: Invalid value: "<omitted>": data does not contain any valid RSA or ECDSA certificates']],
  ['egress selector panda', authn(jwt((j) => (j.issuer.egressSelectorType = 'panda'))), ['jwt[0].issuer.egressSelectorType: Invalid value: "panda": egress selector must be either controlplane or cluster']],
  ['claim rule: neither claim nor expression', authn(jwt((j) => (j.claimValidationRules = [{}]))), ['jwt[0].claimValidationRules[0]: Required value: claim or expression is required']],
  ['claim rule: claim and expression', authn(jwt((j) => (j.claimValidationRules = [{claim: 'claim', expression: 'claims.foo == "bar"'}]))), ['jwt[0].claimValidationRules[0]: Invalid value: "claim": claim and expression can\'t both be set']],
  ['claim rule: message with claim', authn(jwt((j) => (j.claimValidationRules = [{claim: 'claim', message: 'message', requiredValue: 'value'}]))), ['jwt[0].claimValidationRules[0].message: Invalid value: "message": may not be specified when claim is set']],
  ['claim rule: requiredValue with expression', authn(jwt((j) => (j.claimValidationRules = [{expression: 'claims.foo == "bar"', requiredValue: 'value'}]))), ['jwt[0].claimValidationRules[0].requiredValue: Invalid value: "value": may not be specified when expression is set']],
  ['claim rule: duplicate claim', authn(jwt((j) => (j.claimValidationRules = [{claim: 'foo', requiredValue: 'bar'}, {claim: 'foo', requiredValue: 'baz'}]))), ['jwt[0].claimValidationRules[1].claim: Duplicate value: "foo"']],
  ['claim rule: duplicate expression', authn(jwt((j) => (j.claimValidationRules = [{expression: "claims.foo == 'bar'"}, {expression: "claims.foo == 'bar'"}]))), ['jwt[0].claimValidationRules[1].expression: Duplicate value: "claims.foo == \'bar\'"']],
  ['claim rule: does not compile', authn(jwt((j) => (j.claimValidationRules = [{expression: 'foo.bar'}]))), [COMPILE_FOO('jwt[0].claimValidationRules[0].expression')]],
  ['claim rule: not bool', authn(jwt((j) => (j.claimValidationRules = [{expression: 'claims.foo'}]))), ['jwt[0].claimValidationRules[0].expression: Invalid value: "claims.foo": must evaluate to bool']],
  ['username: required', authn(jwt((j) => (j.claimMappings.username = {}))), ['jwt[0].claimMappings.username: Required value: claim or expression is required']],
  ['username: claim and expression', authn(jwt((j) => (j.claimMappings.username = {claim: 'claim', expression: 'claims.username', prefix: ''}))), ['jwt[0].claimMappings.username: Invalid value: "": claim and expression can\'t both be set']],
  ['username: prefix with expression', authn(jwt((j) => (j.claimMappings.username = {expression: 'claims.username', prefix: 'prefix'}))), ['jwt[0].claimMappings.username.prefix: Invalid value: "prefix": may not be specified when expression is set']],
  ['username: claim without prefix', authn(jwt((j) => (j.claimMappings.username = {claim: 'claim'}))), ['jwt[0].claimMappings.username.prefix: Required value: prefix is required when claim is set. It can be set to an empty string to disable prefixing']],
  ['username: does not compile', authn(jwt((j) => (j.claimMappings.username = {expression: 'foo.bar'}))), [COMPILE_FOO('jwt[0].claimMappings.username.expression')]],
  ['groups: claim and expression', authn(jwt((j) => (j.claimMappings.groups = {claim: 'claim', expression: 'claims.groups', prefix: ''}))), ['jwt[0].claimMappings.groups: Invalid value: "": claim and expression can\'t both be set']],
  ['groups: prefix with expression', authn(jwt((j) => (j.claimMappings.groups = {expression: 'claims.groups', prefix: 'prefix'}))), ['jwt[0].claimMappings.groups.prefix: Invalid value: "prefix": may not be specified when expression is set']],
  ['groups: claim without prefix', authn(jwt((j) => (j.claimMappings.groups = {claim: 'claim'}))), ['jwt[0].claimMappings.groups.prefix: Required value: prefix is required when claim is set. It can be set to an empty string to disable prefixing']],
  ['groups: does not compile', authn(jwt((j) => (j.claimMappings.groups = {expression: 'foo.bar'}))), [COMPILE_FOO('jwt[0].claimMappings.groups.expression')]],
  ['uid: claim and expression', authn(jwt((j) => (j.claimMappings.uid = {claim: 'claim', expression: 'claims.uid'}))), ['jwt[0].claimMappings.uid: Invalid value: "": claim and expression can\'t both be set']],
  ['uid: does not compile', authn(jwt((j) => (j.claimMappings.uid = {expression: 'foo.bar'}))), [COMPILE_FOO('jwt[0].claimMappings.uid.expression')]],
  ['extra: key required', authn(jwt((j) => (j.claimMappings.extra = [{key: '', valueExpression: 'claims.extra'}]))), ['jwt[0].claimMappings.extra[0].key: Required value']],
  ['extra: valueExpression required', authn(jwt((j) => (j.claimMappings.extra = [{key: 'example.org/foo', valueExpression: ''}]))), ['jwt[0].claimMappings.extra[0].valueExpression: Required value']],
  ['extra: does not compile', authn(jwt((j) => (j.claimMappings.extra = [{key: 'example.org/foo', valueExpression: 'foo.bar'}]))), [COMPILE_FOO('jwt[0].claimMappings.extra[0].valueExpression')]],
  ['extra: duplicate key', authn(jwt((j) => (j.claimMappings.extra = [{key: 'example.org/foo', valueExpression: 'claims.extra'}, {key: 'example.org/foo', valueExpression: 'claims.extras'}]))), ['jwt[0].claimMappings.extra[1].key: Duplicate value: "example.org/foo"']],
  ['extra: not domain-prefixed', authn(jwt((j) => (j.claimMappings.extra = [{key: 'foo', valueExpression: 'claims.extra'}]))), ['jwt[0].claimMappings.extra[0].key: Invalid value: "foo": must be a domain-prefixed path (such as "acme.io/foo")']],
  ['extra: not lowercase', authn(jwt((j) => (j.claimMappings.extra = [{key: 'example.org/Foo', valueExpression: 'claims.extra'}]))), ['jwt[0].claimMappings.extra[0].key: Invalid value: "example.org/Foo": must be lowercase']],
  ['extra: host not DNS-1123', authn(jwt((j) => (j.claimMappings.extra = [{key: 'Example.org/foo', valueExpression: 'claims.extra'}]))), [`jwt[0].claimMappings.extra[0].key: Invalid value: "Example.org": ${DNS}`, 'jwt[0].claimMappings.extra[0].key: Invalid value: "Example.org/foo": must be lowercase']],
  ...['k8s.io', 'example.k8s.io', 'kubernetes.io', 'example.kubernetes.io'].map((host): [string, Obj, string[]] => [`extra: reserved ${host}`, authn(jwt((j) => (j.claimMappings.extra = [{key: `${host}/foo`, valueExpression: 'claims.extra'}]))), [`jwt[0].claimMappings.extra[0].key: Invalid value: "${host}/foo": k8s.io, kubernetes.io and their subdomains are reserved for Kubernetes use`]]),
  ['email without email_verified', authn(jwt((j) => (j.claimMappings.username = {expression: 'claims.email'}))), [`jwt[0].claimMappings.username.expression: Invalid value: "claims.email": ${EMAIL_RULE}`]],
  ['email in a join', authn(jwt((j) => (j.claimMappings.username = {expression: "['yay', string(claims.email), 'panda'].join(' ')"}))), [`jwt[0].claimMappings.username.expression: Invalid value: "['yay', string(claims.email), 'panda'].join(' ')": ${EMAIL_RULE}`]],
  ['email as optional', authn(jwt((j) => (j.claimMappings.username = {expression: 'claims.?email'}))), [`jwt[0].claimMappings.username.expression: Invalid value: "claims.?email": ${EMAIL_RULE}`]],
  ['email as map key', authn(jwt((j) => (j.claimMappings.username = {expression: '{claims.?email: "panda"}'}))), [`jwt[0].claimMappings.username.expression: Invalid value: "{claims.?email: \\"panda\\"}": ${EMAIL_RULE}`]],
  ['email in a macro', authn(jwt((j) => (j.claimMappings.username = {expression: '["a"].map(i, i + claims.email)'}))), [`jwt[0].claimMappings.username.expression: Invalid value: "[\\"a\\"].map(i, i + claims.email)": ${EMAIL_RULE}`]],
  ['email in has()', authn(jwt((j) => (j.claimMappings.username = {expression: 'has(claims.email) ? claims.email : claims.sub'}))), [`jwt[0].claimMappings.username.expression: Invalid value: "has(claims.email) ? claims.email : claims.sub": ${EMAIL_RULE}`]],
  ['email with email_verified in username', authn(jwt((j) => (j.claimMappings.username = {expression: 'claims.email_verified ? claims.email : claims.sub'}))), []],
  ['email with email_verified in a claim rule', authn(jwt((j) => {
    j.claimMappings.username = {expression: 'claims.email'}
    j.claimValidationRules = [{expression: 'claims.?email_verified.orValue(true) == true'}]
  })), []],
  ['email with email_verified in extra', authn(jwt((j) => {
    j.claimMappings.username = {expression: 'claims.email'}
    j.claimMappings.extra = [{key: 'example.org/verified', valueExpression: 'string(claims.email_verified)'}]
  })), []],
  ['claims.other.claims.email does not count', authn(jwt((j) => (j.claimMappings.username = {expression: 'claims.other.claims.email'}))), []],
  ['optional email_verified not bool, plus email rule', authn(jwt((j) => {
    j.claimMappings.username = {expression: '{claims.?email: "panda"}'}
    j.claimValidationRules = [{expression: 'claims.?email_verified.orValue(true)'}]
  })), ['jwt[0].claimValidationRules[0].expression: Invalid value: "claims.?email_verified.orValue(true)": must evaluate to bool', `jwt[0].claimMappings.username.expression: Invalid value: "{claims.?email: \\"panda\\"}": ${EMAIL_RULE}`]],
  ['user rule: expression required', authn(jwt((j) => (j.userValidationRules = [{expression: ''}]))), ['jwt[0].userValidationRules[0].expression: Required value']],
  ['user rule: duplicate', authn(jwt((j) => (j.userValidationRules = [{expression: "user.username == 'foo'"}, {expression: "user.username == 'foo'"}]))), ['jwt[0].userValidationRules[1].expression: Duplicate value: "user.username == \'foo\'"']],
  ['user rule: does not compile', authn(jwt((j) => (j.userValidationRules = [{expression: 'foo.bar'}]))), [COMPILE_FOO('jwt[0].userValidationRules[0].expression')]],
  ['user rule: not bool', authn(jwt((j) => (j.userValidationRules = [{expression: 'user.username'}]))), ['jwt[0].userValidationRules[0].expression: Invalid value: "user.username": must evaluate to bool']],
  ['user rule: claims is not in the user environment', authn(jwt((j) => (j.userValidationRules = [{expression: 'claims.sub == "x"'}]))), ["jwt[0].userValidationRules[0].expression: Invalid value: \"claims.sub == \\\"x\\\"\": compilation failed: ERROR: <input>:1:1: undeclared reference to 'claims' (in container '')\n | claims.sub == \"x\"\n | ^"]],
  ['anonymous conditions without enabled', {...authn(), anonymous: {conditions: [{path: '/livez'}], enabled: false}}, ['anonymous.conditions: Invalid value: [{"Path":"/livez"}]: enabled should be set to true when conditions are defined']],
  ['anonymous for /livez only', {...authn(), anonymous: {conditions: [{path: '/livez'}, {path: '/readyz'}], enabled: true}}, []],
  ['65 authenticators', authn(...Array.from({length: 65}, (_, i) => jwt((j) => (j.issuer.url = `https://issuer-${i}`)))), ['jwt: Too many: 65: must have at most 64 items']],
  // AuthorizationConfiguration
  ['authz: valid chain', authz({name: 'webhook', type: 'Webhook', webhook: webhook((w) => Object.assign(w, {matchConditionSubjectAccessReviewVersion: 'v1', matchConditions: [{expression: "has(request.resourceAttributes) && request.resourceAttributes.namespace == 'kube-system'"}]}))}, {name: 'rbac', type: 'RBAC'}), []],
  ['authz: no authorizers', authz(), ['authorizers: Required value: at least one authorization mode must be defined']],
  ['authz: unknown type', authz({name: 'foo', type: 'Foo'}), ['authorizers[0].type: Unsupported value: "Foo": supported values: "ABAC", "AlwaysAllow", "AlwaysDeny", "Node", "RBAC", "Webhook"']],
  ['authz: duplicate type', authz({name: 'rbac', type: 'RBAC'}, {name: 'rbac2', type: 'RBAC'}), ['authorizers[1].type: Duplicate value: "RBAC"']],
  ['authz: duplicate name', authz({name: 'foo', type: 'Webhook', webhook: webhook()}, {name: 'foo', type: 'Webhook', webhook: webhook()}), ['authorizers[1].name: Duplicate value: "foo"']],
  ['authz: invalid name', authz({name: 'Foo_Bar', type: 'Webhook', webhook: webhook()}), [`authorizers[0].name: Invalid value: "Foo_Bar": authorizer name is invalid: ${DNS}`]],
  ['authz: webhook missing', authz({name: 'foo', type: 'Webhook'}), ['authorizers[0].webhook: Required value: required when type=Webhook']],
  ['authz: webhook on RBAC', authz({name: 'rbac', type: 'RBAC', webhook: webhook()}), ['authorizers[0].webhook: Invalid value: "non-null": may only be specified when type=Webhook']],
  ['authz: timeout too long', authz({name: 'foo', type: 'Webhook', webhook: webhook((w) => (w.timeout = '1m'))}), ['authorizers[0].timeout: Invalid value: "1m0s": must be > 0s and <= 30s']],
  ['authz: timeout required', authz({name: 'foo', type: 'Webhook', webhook: webhook((w) => delete w.timeout)}), ['authorizers[0].timeout: Required value']],
  ['authz: failurePolicy', authz({name: 'foo', type: 'Webhook', webhook: webhook((w) => (w.failurePolicy = 'AlwaysAllow'))}), ['authorizers[0].failurePolicy: Unsupported value: "AlwaysAllow": supported values: "NoOpinion", "Deny"']],
  ['authz: SAR version', authz({name: 'foo', type: 'Webhook', webhook: webhook((w) => (w.subjectAccessReviewVersion = 'v2'))}), ['authorizers[0].subjectAccessReviewVersion: Unsupported value: "v2": supported values: "v1", "v1beta1"']],
  ['authz: match conditions need a version', authz({name: 'foo', type: 'Webhook', webhook: webhook((w) => (w.matchConditions = [{expression: 'true'}]))}), ['authorizers[0].matchConditionSubjectAccessReviewVersion: Required value: required if match conditions are specified']],
  ['authz: match condition not bool', authz({name: 'foo', type: 'Webhook', webhook: webhook((w) => Object.assign(w, {matchConditionSubjectAccessReviewVersion: 'v1', matchConditions: [{expression: 'request.user'}]}))}), ['authorizers[0].matchConditions[0].expression: Invalid value: "request.user": must evaluate to bool but got string']],
  ['authz: kubeConfigFile relative', authz({name: 'foo', type: 'Webhook', webhook: webhook((w) => (w.connectionInfo = {kubeConfigFile: 'kube.conf', type: 'KubeConfigFile'}))}), ['authorizers[0].connectionInfo.kubeConfigFile: Invalid value: "kube.conf": must be an absolute path']],
  ['authz: connectionInfo type unknown', authz({name: 'foo', type: 'Webhook', webhook: webhook((w) => (w.connectionInfo = {type: 'X'}))}), ['authorizers[0].connectionInfo.type: Unsupported value: {"Type":"X","KubeConfigFile":null}: supported values: "InClusterConfig", "KubeConfigFile"']],
  ['authz: name must match type for RBAC', authz({name: 'foo', type: 'RBAC'}), ['expected name rbac for authorizer RBAC instead of foo']],
]


export const NOW = 1_767_225_600 // 2026-01-01T00:00:00Z
export const NOW_TEXT = '2026-01-01T00:00:00Z'
export const AUD = 'my-client'
export const issuer = (name: string) => `https://${name}.example.com`

/** The table's configuration; `issuerFields` adds fields to each issuer (discoveryURL, certificateAuthority). */
export function tokenTableConfig(issuerFields: (name: string) => Record<string, unknown> = () => ({})) {
  const jwt = (name: string, rest: Record<string, unknown>, audiences = [AUD], policy?: string) => ({
    issuer: {url: issuer(name), ...issuerFields(name), audiences, ...(policy ? {audienceMatchPolicy: policy} : {})},
    ...rest,
  })
  return {
  apiVersion: 'apiserver.config.k8s.io/v1',
  kind: 'AuthenticationConfiguration',
  jwt: [
    jwt('claims', {claimMappings: {groups: {claim: 'groups', prefix: 'oidc:'}, uid: {claim: 'uid'}, username: {claim: 'sub', prefix: 'oidc:'}}}),
    jwt('cel', {
      claimValidationRules: [
        {expression: 'claims.hd == "example.com"', message: 'the hd claim must be set to example.com'},
        {expression: 'claims.?email_verified.orValue(true) == true', message: 'email must be verified'},
      ],
      claimMappings: {
        extra: [{key: 'example.com/team', valueExpression: 'claims.?org.team.orValue("")'}],
        groups: {expression: 'claims.roles.split(",")'},
        uid: {expression: 'claims.sub'},
        username: {expression: '"cel:" + claims.email'},
      },
      userValidationRules: [
        {expression: "!user.username.startsWith('system:')", message: 'username cannot use reserved system: prefix'},
        {expression: "user.groups.all(group, !group.startsWith('system:'))", message: 'groups cannot use reserved system: prefix'},
      ],
    }, [AUD, 'other-client'], 'MatchAny'),
    jwt('email', {claimMappings: {username: {claim: 'email', prefix: ''}}}),
    jwt('username-number', {claimMappings: {username: {expression: 'claims.n'}}}),
    jwt('username-empty', {claimMappings: {username: {expression: 'claims.?nick.orValue("")'}}}),
    jwt('uid-list', {claimMappings: {uid: {expression: '[claims.sub]'}, username: {claim: 'sub', prefix: ''}}}),
    jwt('extra-number', {claimMappings: {extra: [{key: 'example.com/n', valueExpression: 'claims.n'}], username: {claim: 'sub', prefix: ''}}}),
    jwt('groups-mixed', {claimMappings: {groups: {expression: 'claims.roles'}, username: {claim: 'sub', prefix: ''}}}),
    jwt('required', {claimValidationRules: [{claim: 'tenant', requiredValue: 'acme'}], claimMappings: {username: {claim: 'sub', prefix: '-'}}}),
    jwt('escaped', {claimMappings: {username: {expression: 'claims.kubernetes__dot__io.namespace + ":" + claims.sub'}}}),
    jwt('costly', {claimMappings: {username: {expression: 'claims.items.all(a, claims.items.all(b, claims.items.all(c, a + b + c != "")))  ? claims.sub : ""'}}}),
    jwt('nested-groups', {claimMappings: {groups: {expression: 'claims.org.teams.map(t, "team:" + t)'}, username: {claim: 'sub', prefix: ''}}}),
  ],
  }
}

interface Keys {
  rsa: KeyObject
  ec: KeyObject
  ed: KeyObject
  stranger: KeyObject
}
let keys: Keys

/** Fresh keys for the table's tokens; the JWKS (public halves, kids rsa/ec/ed) the issuers publish. */
export async function generateKeys(): Promise<{keys: Array<Record<string, unknown>>}> {
  keys = {
    ec: generateKeyPairSync('ec', {namedCurve: 'P-256'}).privateKey,
    ed: generateKeyPairSync('ed25519').privateKey,
    rsa: generateKeyPairSync('rsa', {modulusLength: 2048}).privateKey,
    stranger: generateKeyPairSync('rsa', {modulusLength: 2048}).privateKey,
  }
  const jwk = async (key: KeyObject, kid: string) => ({...(await exportJWK(key)), d: undefined, dp: undefined, dq: undefined, kid, p: undefined, q: undefined, qi: undefined})
  return {keys: [await jwk(keys.rsa, 'rsa'), await jwk(keys.ec, 'ec'), await jwk(keys.ed, 'ed')]}
}

export async function sign(claims: JWTPayload, options: {alg?: string; kid?: string | null; key?: KeyObject} = {}): Promise<string> {
  const alg = options.alg ?? 'RS256'
  const key = options.key ?? (alg.startsWith('ES') ? keys.ec : alg === 'EdDSA' ? keys.ed : keys.rsa)
  const kid = options.kid === null ? undefined : (options.kid ?? (alg.startsWith('ES') ? 'ec' : 'rsa'))
  return new SignJWT(claims).setProtectedHeader({alg, ...(kid ? {kid} : {})}).sign(key)
}

export const base = (iss: string, extra: Record<string, unknown> = {}): JWTPayload => ({aud: AUD, exp: NOW + 3600, iat: NOW, iss: issuer(iss), sub: 'jane', ...extra})
const hmacToken = (claims: JWTPayload) => {
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url')
  return `${b64({alg: 'HS256', typ: 'JWT'})}.${b64(claims)}.c2lnbmF0dXJl`
}

export type Expect = {user: {username: string; groups: string[]; uid?: string; extra?: Record<string, string[]>}} | {error: string | RegExp; step: string} | {unclaimed: true}
// [name, token factory, expectation]
export const TOKEN_TABLE: Array<[string, () => Promise<string>, Expect]> = [
  // claim mappings
  ['claims: username, groups and uid from claims with prefixes', () => sign(base('claims', {groups: ['dev', 'ops'], uid: 'u-1'})), {user: {groups: ['oidc:dev', 'oidc:ops', 'system:authenticated'], uid: 'u-1', username: 'oidc:jane'}}],
  ['claims: a string groups claim is one group', () => sign(base('claims', {groups: 'dev', uid: 'u-1'})), {user: {groups: ['oidc:dev', 'system:authenticated'], uid: 'u-1', username: 'oidc:jane'}}],
  ['claims: no groups claim, no groups', () => sign(base('claims', {uid: 'u-1'})), {user: {groups: ['system:authenticated'], uid: 'u-1', username: 'oidc:jane'}}],
  ['claims: null groups claim, no groups', () => sign(base('claims', {groups: null, uid: 'u-1'})), {user: {groups: ['system:authenticated'], uid: 'u-1', username: 'oidc:jane'}}],
  ['claims: groups claim of the wrong type', () => sign(base('claims', {groups: 42, uid: 'u-1'})), {error: 'oidc: parse groups claim "groups": json: cannot unmarshal number into Go value of type string', step: 'groups'}],
  ['claims: username claim missing', () => sign(base('claims', {sub: undefined, uid: 'u-1'})), {error: 'oidc: parse username claims "sub": claim not present', step: 'username'}],
  ['claims: username claim not a string', () => sign(base('claims', {sub: 7 as unknown as string, uid: 'u-1'})), {error: 'oidc: parse username claims "sub": json: cannot unmarshal number into Go value of type string', step: 'username'}],
  ['claims: uid claim missing', () => sign(base('claims')), {error: 'oidc: parse uid claim "uid": claim not present', step: 'uid'}],
  ['claims: jti becomes the credential id', () => sign(base('claims', {jti: 'abc', uid: 'u-1'})), {user: {extra: {'authentication.kubernetes.io/credential-id': ['JTI=abc']}, groups: ['system:authenticated'], uid: 'u-1', username: 'oidc:jane'}}],
  ['claims: a non-string jti is ignored', () => sign(base('claims', {jti: 5, uid: 'u-1'})), {user: {groups: ['system:authenticated'], uid: 'u-1', username: 'oidc:jane'}}],
  // time checks
  ['times: expired', () => sign(base('claims', {exp: NOW - 1, uid: 'u-1'})), {error: 'oidc: verify token: oidc: token is expired (Token Expiry: 2025-12-31 23:59:59 +0000 UTC)', step: 'times'}],
  ['times: exp equal to now is still valid', () => sign(base('claims', {exp: NOW, uid: 'u-1'})), {user: {groups: ['system:authenticated'], uid: 'u-1', username: 'oidc:jane'}}],
  ['times: no exp is expired (zero time)', () => sign(base('claims', {exp: undefined, uid: 'u-1'})), {error: 'oidc: verify token: oidc: token is expired (Token Expiry: 0001-01-01 00:00:00 +0000 UTC)', step: 'times'}],
  ['times: nbf more than a minute ahead', () => sign(base('claims', {nbf: NOW + 120, uid: 'u-1'})), {error: 'oidc: verify token: oidc: current time 2026-01-01 00:00:00 +0000 UTC before the nbf (not before) time: 2026-01-01 00:02:00 +0000 UTC', step: 'times'}],
  ['times: nbf within the minute of leeway', () => sign(base('claims', {nbf: NOW + 30, uid: 'u-1'})), {user: {groups: ['system:authenticated'], uid: 'u-1', username: 'oidc:jane'}}],
  ['times: iat in the future is not checked', () => sign(base('claims', {iat: NOW + 86400, uid: 'u-1'})), {user: {groups: ['system:authenticated'], uid: 'u-1', username: 'oidc:jane'}}],
  // audiences
  ['audience: the one audience missing', () => sign(base('claims', {aud: 'other', uid: 'u-1'})), {error: 'oidc: verify token: oidc: expected audience "my-client" got ["other"]', step: 'audience'}],
  ['audience: listed among several in aud', () => sign(base('claims', {aud: ['x', AUD], uid: 'u-1'})), {user: {groups: ['system:authenticated'], uid: 'u-1', username: 'oidc:jane'}}],
  ['audience: MatchAny accepts the second configured audience', () => sign(base('cel', {aud: 'other-client', email: 'jane@example.com', hd: 'example.com', roles: 'dev'})), {user: {groups: ['dev', 'system:authenticated'], uid: 'jane', username: 'cel:jane@example.com'}}],
  ['audience: MatchAny with none of them', () => sign(base('cel', {aud: ['x', 'y'], email: 'jane@example.com', hd: 'example.com', roles: 'dev'})), {error: 'oidc: verify token: oidc: expected audience in ["my-client" "other-client"] got ["x" "y"]', step: 'audience'}],
  // signature and algorithm
  ['signature: ES256 with the EC key', () => sign(base('claims', {uid: 'u-1'}), {alg: 'ES256'}), {user: {groups: ['system:authenticated'], uid: 'u-1', username: 'oidc:jane'}}],
  ['signature: no kid, every key is tried', () => sign(base('claims', {uid: 'u-1'}), {kid: null}), {user: {groups: ['system:authenticated'], uid: 'u-1', username: 'oidc:jane'}}],
  ['signature: a key not in the JWKS', () => sign(base('claims', {uid: 'u-1'}), {key: keys.stranger}), {error: 'oidc: verify token: failed to verify signature: failed to verify id token signature', step: 'signature'}],
  ['signature: RS384 is accepted with the configuration file', () => sign(base('claims', {uid: 'u-1'}), {alg: 'RS384'}), {user: {groups: ['system:authenticated'], uid: 'u-1', username: 'oidc:jane'}}],
  ['algorithm: EdDSA is not accepted', () => sign(base('claims', {uid: 'u-1'}), {alg: 'EdDSA', kid: 'ed'}), {error: 'oidc: verify token: oidc: id token signed with unsupported algorithm, expected ["ES256" "ES384" "ES512" "PS256" "PS384" "PS512" "RS256" "RS384" "RS512"] got "EdDSA"', step: 'signing-algorithm'}],
  ['algorithm: HS256 is not accepted', async () => hmacToken(base('claims', {uid: 'u-1'})), {error: 'oidc: verify token: oidc: id token signed with unsupported algorithm, expected ["ES256" "ES384" "ES512" "PS256" "PS384" "PS512" "RS256" "RS384" "RS512"] got "HS256"', step: 'signing-algorithm'}],
  ['issuer: no issuer.url matches the token', () => sign({...base('claims'), iss: 'https://elsewhere.example.com'}), {unclaimed: true}],
  // CEL mappings and validation rules
  ['cel: username, groups, uid and extra from expressions', () => sign(base('cel', {email: 'jane@example.com', hd: 'example.com', org: {team: 'platform'}, roles: 'dev,ops'})), {user: {extra: {'example.com/team': ['platform']}, groups: ['dev', 'ops', 'system:authenticated'], uid: 'jane', username: 'cel:jane@example.com'}}],
  ['cel: empty items of a split are dropped', () => sign(base('cel', {email: 'jane@example.com', hd: 'example.com', roles: 'dev,,ops'})), {user: {groups: ['dev', 'ops', 'system:authenticated'], uid: 'jane', username: 'cel:jane@example.com'}}],
  ['cel: an empty groups string gives no groups', () => sign(base('cel', {email: 'jane@example.com', hd: 'example.com', roles: ''})), {user: {groups: ['system:authenticated'], uid: 'jane', username: 'cel:jane@example.com'}}],
  ['cel: claim validation expression false', () => sign(base('cel', {email: 'jane@example.com', hd: 'evil.com', roles: 'dev'})), {error: 'oidc: error evaluating claim validation expression: validation expression \'claims.hd == "example.com"\' failed: the hd claim must be set to example.com', step: 'claim-validation'}],
  ['cel: claim validation on a missing claim', () => sign(base('cel', {email: 'jane@example.com', roles: 'dev'})), {error: 'oidc: error evaluating claim validation expression: expression \'claims.hd == "example.com"\' resulted in error: no such key: hd', step: 'claim-validation'}],
  ['cel: email_verified false fails the documented rule', () => sign(base('cel', {email: 'jane@example.com', email_verified: false, hd: 'example.com', roles: 'dev'})), {error: 'oidc: error evaluating claim validation expression: validation expression \'claims.?email_verified.orValue(true) == true\' failed: email must be verified', step: 'claim-validation'}],
  ['cel: email_verified absent passes the documented rule', () => sign(base('cel', {email: 'jane@example.com', hd: 'example.com', roles: 'dev'})), {user: {groups: ['dev', 'system:authenticated'], uid: 'jane', username: 'cel:jane@example.com'}}],
  ['cel: username expression on a missing claim (mapping errors win over validation)', () => sign(base('cel', {hd: 'evil.com', roles: 'dev'})), {error: 'oidc: error evaluating username claim expression: expression \'"cel:" + claims.email\' resulted in error: no such key: email', step: 'username'}],
  ['cel: groups expression on the wrong type', () => sign(base('cel', {email: 'jane@example.com', hd: 'example.com', roles: ['dev']})), {error: /^oidc: error evaluating group claim expression: expression 'claims\.roles\.split\(","\)' resulted in error: /, step: 'groups'}],
  ['cel: user validation rule on groups', () => sign(base('cel', {email: 'jane@example.com', hd: 'example.com', roles: 'dev,system:masters'})), {error: "oidc: error evaluating user info validation rule: validation expression 'user.groups.all(group, !group.startsWith('system:'))' failed: groups cannot use reserved system: prefix", step: 'user-validation'}],
  ['cel: username expression returning a number', () => sign(base('username-number', {n: 1})), {error: 'oidc: error evaluating username claim expression: username claim expression must return a string', step: 'username'}],
  ['cel: username expression returning ""', () => sign(base('username-empty')), {error: 'oidc: empty username via CEL expression is not allowed', step: 'username'}],
  ['cel: uid expression returning a list', () => sign(base('uid-list')), {error: 'oidc: error evaluating uid claim expression: uid claim expression must return a string', step: 'uid'}],
  ['cel: extra expression returning a number', () => sign(base('extra-number', {n: 3})), {error: 'oidc: error evaluating extra claim expression: claims.n: expression must return a string or a list of strings', step: 'extra'}],
  ['cel: groups expression with a non-string item', () => sign(base('groups-mixed', {roles: ['dev', 1]})), {error: 'oidc: error evaluating group claim expression: expression must return a string or a list of strings', step: 'groups'}],
  ['cel: groups from a nested claim with map()', () => sign(base('nested-groups', {org: {teams: ['a', 'b']}})), {user: {groups: ['team:a', 'team:b', 'system:authenticated'], username: 'jane'}}],
  ['cel: escaped field name reaches kubernetes.io', () => sign(base('escaped', {'kubernetes.io': {namespace: 'team-a'}})), {user: {groups: ['system:authenticated'], username: 'team-a:jane'}}],
  ['cel: an expression over the cost budget', () => sign(base('costly', {items: Array.from({length: 120}, (_, i) => `i${i}`)})), {error: /^oidc: error evaluating username claim expression: expression '.*' resulted in error: operation cancelled: actual cost limit exceeded$/, step: 'username'}],
  // email claim as username (legacy rule) and required claims
  ['email: email_verified true', () => sign(base('email', {email: 'jane@example.com', email_verified: true})), {user: {groups: ['system:authenticated'], username: 'jane@example.com'}}],
  ['email: email_verified false', () => sign(base('email', {email: 'jane@example.com', email_verified: false})), {error: 'oidc: email not verified', step: 'username'}],
  ['email: email_verified as a string', () => sign(base('email', {email: 'jane@example.com', email_verified: 'true'})), {error: "oidc: parse 'email_verified' claim: json: cannot unmarshal string into Go value of type bool", step: 'username'}],
  ['email: email_verified absent', () => sign(base('email', {email: 'jane@example.com'})), {user: {groups: ['system:authenticated'], username: 'jane@example.com'}}],
  ['required claim: present and equal (prefix "-" is a literal prefix in the file)', () => sign(base('required', {tenant: 'acme'})), {user: {groups: ['system:authenticated'], username: '-jane'}}],
  ['required claim: missing', () => sign(base('required')), {error: 'oidc: required claim tenant not present in ID token', step: 'required-claim'}],
  ['required claim: different value', () => sign(base('required', {tenant: 'other'})), {error: 'oidc: required claim tenant value does not match. Got = other, want = acme', step: 'required-claim'}],
  ['required claim: not a string', () => sign(base('required', {tenant: 5})), {error: 'oidc: parse claim tenant: json: cannot unmarshal number into Go value of type string', step: 'required-claim'}],
]

