import assert from 'node:assert/strict'

import {serverOptionsFromFlags} from '../../../src/lib/server/config.js'

const KNOWN = ['secure-port', 'anonymous-auth', 'policy', 'service-account-key-file', 'service-account-issuer', 'api-audiences', 'oidc-issuer-url',
  'oidc-client-id', 'oidc-required-claim', 'oidc-username-prefix', 'authentication-token-webhook-config-file', 'authentication-token-webhook-version',
  'authentication-token-webhook-cache-ttl', 'authentication-config', 'oidc-username-claim', 'max-request-bytes', 'max-requests-inflight', 'max-mutating-requests-inflight', 'request-timeout', 'header-timeout']

describe('serve flags → server options', () => {
  it('defaults: 127.0.0.1:6443; --anonymous-auth unset (on unless an authentication config says otherwise)', () => {
    const o = serverOptionsFromFlags({}, KNOWN)
    assert.deepEqual([o.host, o.port, o.anonymousAuth, o.serviceAccount, o.oidc, o.webhook, o.authenticationConfigFile], ['127.0.0.1', 6443, undefined, undefined, undefined, undefined, undefined])
    assert.equal(serverOptionsFromFlags({'anonymous-auth': 'true'}, KNOWN).anonymousAuth, true)
    assert.equal(serverOptionsFromFlags({'authentication-config': 'authn.yaml'}, KNOWN).authenticationConfigFile, 'authn.yaml')
  })
  it('maps ServiceAccount, OIDC and webhook flags', () => {
    const o = serverOptionsFromFlags({
      'anonymous-auth': 'false', 'authentication-token-webhook-cache-ttl': '30s', 'authentication-token-webhook-config-file': 'hook.yaml',
      'oidc-client-id': 'kube', 'oidc-issuer-url': 'https://idp', 'oidc-required-claim': ['hd=example.com', 'x=a=b'], 'oidc-username-prefix': '-',
      policy: ['a.yaml', 'b'], 'secure-port': 0, 'service-account-issuer': ['https://sa'], 'service-account-key-file': ['sa.pub'],
    } as any, KNOWN)
    assert.equal(o.port, 0)
    assert.equal(o.anonymousAuth, false)
    assert.deepEqual(o.policyPaths, ['a.yaml', 'b'])
    assert.deepEqual(o.serviceAccount, {issuers: ['https://sa'], keyFiles: ['sa.pub']})
    assert.deepEqual(o.oidc?.requiredClaims, {hd: 'example.com', x: 'a=b'})
    assert.equal(o.oidc?.usernamePrefix, '-')
    assert.deepEqual(o.webhook, {cacheTtlMs: 30_000, configFile: 'hook.yaml', version: undefined})
  })
  it('maps the serving limits: in-flight counts, request and header timeouts', () => {
    const o = serverOptionsFromFlags({'header-timeout': '500ms', 'max-mutating-requests-inflight': '3', 'max-request-bytes': '1024', 'max-requests-inflight': '0', 'request-timeout': '1m0s'}, KNOWN)
    assert.deepEqual([o.maxRequestsInflight, o.maxMutatingRequestsInflight, o.maxRequestBodyBytes, o.requestTimeoutMs, o.headerTimeoutMs], [0, 3, 1024, 60_000, 500])
  })
  const bad: Array<[string, Record<string, unknown>, RegExp]> = [
    ['inflight', {'max-requests-inflight': '-1'}, /invalid --max-requests-inflight/],
    ['request timeout', {'request-timeout': 'soon'}, /invalid --request-timeout/],
    ['zero request timeout', {'request-timeout': '0s'}, /--request-timeout must be greater than 0/],
    ['port', {'secure-port': 'x'}, /invalid --secure-port/],
    ['anonymous', {'anonymous-auth': 'maybe'}, /invalid --anonymous-auth/],
    ['issuer without keys', {'service-account-issuer': ['https://sa']}, /needs --service-account-key-file/],
    ['oidc without client id', {'oidc-issuer-url': 'https://idp'}, /--oidc-client-id is required/],
    ['oidc over http', {'oidc-client-id': 'c', 'oidc-issuer-url': 'http://idp'}, /must be an https URL/],
    ['required claim without =', {'oidc-client-id': 'c', 'oidc-issuer-url': 'https://idp', 'oidc-required-claim': ['hd']}, /invalid --oidc-required-claim/],
    ['authentication config with an --oidc-* flag', {'authentication-config': 'a.yaml', 'oidc-username-claim': 'email'}, /^authentication-config file and oidc-\* flags are mutually exclusive$/],
    ['webhook ttl', {'authentication-token-webhook-cache-ttl': 'soon'}, /invalid --authentication-token-webhook-cache-ttl/],
    ['unknown config key', {frob: 1}, /unknown setting "frob"/],
  ]
  for (const [name, flags, error] of bad) {
    it(`usage error: ${name}`, () => {
      assert.throws(() => serverOptionsFromFlags(flags as any, KNOWN), (e: any) => e.exitCode === 2 && error.test(e.message))
    })
  }
})
