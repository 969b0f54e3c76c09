// kube-apiserver's validation table (k8s.io/apiserver/pkg/apis/apiserver/validation tests) through `authn validate`:
// the same configurations, the same error strings, every error one per line.
import assert from 'node:assert/strict'
import {writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {type CliResult, makeTempDir, runCli} from '../../helpers/cli.js'

const EMAIL_RULE = 'claims.email_verified must be used in claimMappings.username.expression or claimMappings.extra[*].valueExpression or claimValidationRules[*].expression when claims.email is used in claimMappings.username.expression'
const COMPILE_FOO = (path: string) => `${path}: Invalid value: "foo.bar": compilation failed: ERROR: <input>:1:1: undeclared reference to 'foo' (in container '')\n | foo.bar\n | ^`
const DNS = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"

type Obj = Record<string, any>
const jwt = (over: (j: Obj) => void = () => {}): Obj => {
  const j: Obj = {claimMappings: {username: {claim: 'sub', prefix: ''}}, issuer: {audiences: ['audience'], url: 'https://issuer-url'}}
  over(j)
  return j
}
const authn = (...jwts: Obj[]): Obj => ({apiVersion: 'apiserver.config.k8s.io/v1', jwt: jwts, kind: 'AuthenticationConfiguration'})
const webhook = (over: (w: Obj) => void = () => {}): Obj => {
  const w: Obj = {connectionInfo: {type: 'InClusterConfig'}, failurePolicy: 'Deny', subjectAccessReviewVersion: 'v1', timeout: '5s'}
  over(w)
  return w
}
const authz = (...authorizers: Obj[]): Obj => ({apiVersion: 'apiserver.config.k8s.io/v1', authorizers, kind: 'AuthorizationConfiguration'})
const CERT_PEM = '-----BEGIN CERTIFICATE-----\nMIIBkTCCATegAwIBAgIUW/not/a/real/certificate\n-----END CERTIFICATE-----\n'

// [name, configuration, expected errors (empty: valid)]
const TABLE: Array<[string, Obj, string[]]> = [
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

describe('authn validate: kube-apiserver validation table', function () {
  this.timeout(300_000)
  let dir: string
  let cleanup: () => Promise<void>
  const results = new Map<string, CliResult>()

  // The CLI runs are independent: run them two at a time up front, then assert per case.
  before(async () => {
    ;({cleanup, dir} = await makeTempDir('authctl-authn-validate-'))
    const queue = TABLE.map(([name, config], i) => async () => {
      const file = join(dir, `case-${i}.yaml`)
      await writeFile(file, JSON.stringify(config))
      results.set(name, await runCli(['authn', 'validate', file]))
    })
    const worker = async () => {
      for (let job = queue.shift(); job; job = queue.shift()) await job()
    }
    await Promise.all([worker(), worker()])
  })
  after(() => cleanup())

  it('has at least 30 configurations with errors', () => {
    assert.ok(TABLE.filter(([, , want]) => want.length > 0).length >= 30)
  })

  for (const [name, , want] of TABLE) {
    it(`${name} → ${want.length === 0 ? 'valid' : want[0].split('\n')[0]}`, () => {
      const r = results.get(name)!
      if (want.length === 0) {
        assert.equal(r.exitCode, 0, r.stdout + r.stderr)
        assert.match(r.stdout, /: valid (AuthenticationConfiguration|AuthorizationConfiguration) \(apiserver\.config\.k8s\.io\/v/)
        return
      }
      assert.equal(r.exitCode, 1, r.stdout + r.stderr)
      assert.equal(r.stdout, want.map((w) => `${w}\n`).join(''))
      assert.match(r.stderr, /^error: .*: \d+ errors? in Authori[sz]ationConfiguration\n$|^error: .*: \d+ errors? in AuthenticationConfiguration\n$/)
    })
  }
})
