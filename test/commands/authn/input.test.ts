// authn validate / test / convert on bad input and as users read them: one clear line per error, kube's decoder
// texts, exit 1 for an invalid file, 2 for usage or unreadable input, --explain and --json documents.
import assert from 'node:assert/strict'
import {generateKeyPairSync, type KeyObject} from 'node:crypto'
import {writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {exportJWK, SignJWT} from 'jose'
import {parse as parseYaml} from 'yaml'

import {makeTempDir, runCli} from '../../helpers/cli.js'

const VALID = `apiVersion: apiserver.config.k8s.io/v1beta1
kind: AuthenticationConfiguration
jwt:
- issuer:
    url: https://issuer.example.com
    audiences: [kubernetes]
  claimValidationRules:
  - expression: claims.?email_verified.orValue(true) == true
    message: email must be verified
  claimMappings:
    username:
      expression: '"oidc:" + claims.email'
    groups:
      expression: 'claims.?groups.orValue("").split(",")'
`

describe('authn commands: bad input, output forms', function () {
  this.timeout(120_000)
  let dir: string
  let cleanup: () => Promise<void>
  let key: KeyObject
  let jwksFile: string
  const file = async (name: string, text: string) => {
    const path = join(dir, name)
    await writeFile(path, text)
    return path
  }

  before(async () => {
    ;({cleanup, dir} = await makeTempDir('authctl-authn-input-'))
    const pair = generateKeyPairSync('ec', {namedCurve: 'P-256'})
    key = pair.privateKey
    jwksFile = await file('jwks.json', JSON.stringify({keys: [{...(await exportJWK(pair.publicKey)), kid: 'k1'}]}))
  })
  after(() => cleanup())

  const token = (claims: Record<string, unknown>) =>
    new SignJWT({aud: 'kubernetes', exp: 2_000_000_000, iss: 'https://issuer.example.com', sub: 'jane', ...claims}).setProtectedHeader({alg: 'ES256', kid: 'k1'}).sign(key)

  describe('authn validate', () => {
    const decodeCases: Array<[string, string, string]> = [
      ['malformed YAML', 'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\njwt:\n- issuer: {url: "https://x", audiences: [a]\n', 'error converting YAML to JSON: yaml: line 5: '],
      ['unknown fields', 'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\njwt:\n- issuer: {url: "https://x", audiences: [a], foo: 1}\n  claimMappings: {username: {claim: sub, prefix: ""}}\nbar: 2\n', 'strict decoding error: unknown field "jwt[0].issuer.foo", unknown field "bar"'],
      ['a duplicate key', 'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\njwt:\n- issuer: {url: "https://x"}\n  issuer: {url: "https://y"}\n', 'error converting YAML to JSON: yaml: line 5: Map keys must be unique'],
      ['a wrong type', '{"apiVersion":"apiserver.config.k8s.io/v1","kind":"AuthenticationConfiguration","jwt":[{"issuer":{"url":5}}]}', 'json: cannot unmarshal number into Go struct field Issuer.jwt.issuer.url of type string'],
      ['an empty file', '', 'empty config data'],
      ['an unknown apiVersion', 'apiVersion: apiserver.config.k8s.io/v2\nkind: AuthenticationConfiguration\n', 'no kind "AuthenticationConfiguration" is registered for version "apiserver.config.k8s.io/v2"'],
    ]
    for (const [name, text, message] of decodeCases) {
      it(`${name}: exit 1, one line in kube's words`, async () => {
        const path = await file(`decode-${name.replaceAll(' ', '-')}.yaml`, text)
        const r = await runCli(['authn', 'validate', path])
        assert.equal(r.exitCode, 1, r.stdout + r.stderr)
        assert.equal(r.stdout.split('\n').length, 2, 'one line')
        assert.ok(r.stdout.startsWith(`failed to load authentication configuration from file ${JSON.stringify(path)}: ${message}`), r.stdout)
        assert.equal(r.stderr, `error: ${path} is not a valid configuration\n`)
      })
    }

    it('an AuthorizationConfiguration that does not decode is worded as kube-apiserver words it', async () => {
      const path = await file('authz-unknown.yaml', 'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthorizationConfiguration\nauthorizers:\n- {type: RBAC, name: rbac, mode: x}\n')
      const r = await runCli(['authn', 'validate', path])
      assert.equal(r.exitCode, 1)
      assert.equal(r.stdout, 'failed to load AuthorizationConfiguration from file: strict decoding error: unknown field "authorizers[0].mode"\n')
    })

    it('CEL that does not compile: the field error with cel-go\'s source and caret lines', async () => {
      const path = await file('cel-bad.yaml', VALID.replace('"oidc:" + claims.email', '"oidc:" + claims.email +'))
      const r = await runCli(['authn', 'validate', path])
      assert.equal(r.exitCode, 1)
      assert.match(r.stdout, /^jwt\[0\]\.claimMappings\.username\.expression: Invalid value: "\\"oidc:\\" \+ claims\.email \+": compilation failed: ERROR: <input>:1:\d+: .+\n \| "oidc:" \+ claims\.email \+\n \| \.+\^\n$/)
    })

    it('an unreadable file is a usage error (exit 2) and nothing is printed on stdout', async () => {
      const r = await runCli(['authn', 'validate', join(dir, 'missing.yaml')])
      assert.equal(r.exitCode, 2)
      assert.equal(r.stdout, '')
      assert.match(r.stderr, /^error: cannot read configuration file ".*missing\.yaml": no such file or directory\n$/)
    })

    it('no file argument: exit 2', async () => {
      const r = await runCli(['authn', 'validate'])
      assert.equal(r.exitCode, 2)
      assert.match(r.stderr, /^error: Missing 1 required arg/)
    })

    it('--json: one document with every error', async () => {
      const path = await file('json.yaml', 'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\njwt:\n- issuer: {url: "http://x", audiences: []}\n  claimMappings: {username: {claim: sub}}\n')
      const r = await runCli(['authn', 'validate', path, '--json'])
      assert.equal(r.exitCode, 1)
      const doc = JSON.parse(r.stdout)
      assert.equal(doc.valid, false)
      assert.equal(doc.kind, 'AuthenticationConfiguration')
      assert.deepEqual(doc.errors.map((e: {message: string}) => e.message), [
        'jwt[0].issuer.url: Invalid value: "http://x": URL scheme must be https',
        'jwt[0].issuer.audiences: Required value: at least one jwt[0].issuer.audiences is required',
        'jwt[0].claimMappings.username.prefix: Required value: prefix is required when claim is set. It can be set to an empty string to disable prefixing',
      ])
      assert.deepEqual(doc.errors[0], {field: 'jwt[0].issuer.url', message: doc.errors[0].message, type: 'Invalid value'})
    })

    it('reads the file from stdin with "-"', async () => {
      const r = await runCli(['authn', 'validate', '-'], {input: VALID})
      assert.equal(r.exitCode, 0, r.stderr)
      assert.equal(r.stdout, '-: valid AuthenticationConfiguration (apiserver.config.k8s.io/v1beta1): 1 JWT authenticator, 3 CEL expressions compiled\n')
    })
  })

  describe('authn test', () => {
    it('--explain lists every step, then the user; the token can come on stdin', async () => {
      const config = await file('explain.yaml', VALID)
      const r = await runCli(['authn', 'test', config, '-', '--jwks', jwksFile, '--explain'], {input: await token({email: 'jane@example.com', groups: 'dev,ops'})})
      assert.equal(r.exitCode, 0, r.stdout + r.stderr)
      const lines = r.stdout.split('\n')
      const steps = lines.filter((l) => /^[✓✗] jwt\[0\] /.test(l)).map((l) => l.split(/\s+/)[2])
      assert.deepEqual(steps, ['issuer', 'keys', 'token', 'times', 'signing-algorithm', 'signature', 'audience', 'username', 'groups', 'uid', 'extra', 'claim-validation'])
      assert.ok(lines.includes('authenticated by jwt[0] (issuer https://issuer.example.com)'))
      assert.ok(lines.includes('username: oidc:jane@example.com'))
      assert.ok(lines.includes('groups:   dev, ops, system:authenticated'))
      assert.equal(r.stderr, '')
    })

    it('a rejection names the step and kube-apiserver\'s error on stdout and stderr', async () => {
      const config = await file('reject.yaml', VALID)
      const r = await runCli(['authn', 'test', config, await token({email: 'jane@example.com', email_verified: false}), '--jwks', jwksFile])
      assert.equal(r.exitCode, 1)
      const message = "oidc: error evaluating claim validation expression: validation expression 'claims.?email_verified.orValue(true) == true' failed: email must be verified"
      assert.equal(r.stdout, `rejected by jwt[0] at claim-validation: ${message}\n`)
      assert.equal(r.stderr, `error: jwt[0] rejected the token at claim-validation: ${message}\n`)
    })

    it('a token that is not a JWT is claimed by no authenticator: exit 1', async () => {
      const config = await file('opaque.yaml', VALID)
      const r = await runCli(['authn', 'test', config, 'abcdef.0123456789abcdef', '--jwks', jwksFile])
      assert.equal(r.exitCode, 1)
      assert.equal(r.stdout, "rejected: no issuer.url matches the token's iss\n")
    })

    it('an invalid configuration cannot answer: exit 2, every error on one line, nothing on stdout', async () => {
      const config = await file('invalid.yaml', VALID.replace('claims.?email_verified.orValue(true) == true', 'claims.?email_verified.orValue(true)'))
      const r = await runCli(['authn', 'test', config, await token({}), '--jwks', jwksFile])
      assert.equal(r.exitCode, 2)
      assert.equal(r.stdout, '')
      assert.equal(r.stderr.split('\n').length, 2, r.stderr)
      assert.match(r.stderr, /^error: invalid authentication configuration ".*invalid\.yaml": jwt\[0\]\.claimValidationRules\[0\]\.expression: Invalid value: "claims\.\?email_verified\.orValue\(true\)": must evaluate to bool; jwt\[0\]\.claimMappings\.username\.expression: .*claims\.email_verified must be used .* \(authctl authn validate FILE lists every error\)\n$/)
    })

    it('malformed YAML: exit 2 with the decoder error', async () => {
      const config = await file('malformed.yaml', 'kind: AuthenticationConfiguration\n  bad: [\n')
      const r = await runCli(['authn', 'test', config, await token({}), '--jwks', jwksFile])
      assert.equal(r.exitCode, 2)
      assert.match(r.stderr, /^error: failed to load authentication configuration from file ".*malformed\.yaml": error converting YAML to JSON: yaml: line \d+: /)
    })

    it('an AuthorizationConfiguration is refused: exit 2', async () => {
      const config = await file('authz.yaml', 'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthorizationConfiguration\nauthorizers: [{type: RBAC, name: rbac}]\n')
      const r = await runCli(['authn', 'test', config, await token({}), '--jwks', jwksFile])
      assert.equal(r.exitCode, 2)
      assert.match(r.stderr, /: expected AuthenticationConfiguration, got AuthorizationConfiguration/)
    })

    it('usage errors: --jwks with --jwks-uri, a bad --now, a JWKS that is not one', async () => {
      const config = await file('usage.yaml', VALID)
      const t = await token({})
      const both = await runCli(['authn', 'test', config, t, '--jwks', jwksFile, '--jwks-uri', 'https://127.0.0.1/jwks'])
      assert.equal(both.exitCode, 2)
      assert.match(both.stderr, /^error: .*--jwks-uri=https:\/\/127\.0\.0\.1\/jwks cannot also be provided when using --jwks/)
      const badNow = await runCli(['authn', 'test', config, t, '--jwks', jwksFile, '--now', 'yesterday'])
      assert.equal(badNow.exitCode, 2)
      assert.match(badNow.stderr, /^error: invalid --now "yesterday" \(use RFC 3339/)
      const notJwks = await runCli(['authn', 'test', config, t, '--jwks', config])
      assert.equal(notJwks.exitCode, 2)
      assert.match(notJwks.stderr, /^error: ".*usage\.yaml" is not/)
    })

    it('--now moves the clock: the same token is expired later', async () => {
      const config = await file('now.yaml', VALID)
      const t = await token({email: 'jane@example.com'})
      const r = await runCli(['authn', 'test', config, t, '--jwks', jwksFile, '--now', String(2_000_000_001), '--json'])
      assert.equal(r.exitCode, 1)
      const doc = JSON.parse(r.stdout)
      assert.equal(doc.error, 'oidc: verify token: oidc: token is expired (Token Expiry: 2033-05-18 03:33:20 +0000 UTC)')
      assert.equal(doc.at, '2033-05-18T03:33:21.000Z')
    })
  })

  describe('authn convert', () => {
    it('the legacy flags become the configuration kube-apiserver builds, and it validates', async () => {
      const r = await runCli(['authn', 'convert', '--oidc-issuer-url', 'https://issuer.example.com', '--oidc-client-id', 'kubernetes', '--oidc-groups-claim', 'groups', '--oidc-groups-prefix', 'oidc:', '--oidc-required-claim', 'hd=example.com', '--oidc-required-claim', 'tenant=acme', '--anonymous-auth=false'])
      assert.equal(r.exitCode, 0, r.stderr)
      assert.deepEqual(parseYaml(r.stdout), {
        anonymous: {enabled: false},
        apiVersion: 'apiserver.config.k8s.io/v1',
        jwt: [{
          claimMappings: {groups: {claim: 'groups', prefix: 'oidc:'}, username: {claim: 'sub', prefix: 'https://issuer.example.com#'}},
          claimValidationRules: [{claim: 'hd', requiredValue: 'example.com'}, {claim: 'tenant', requiredValue: 'acme'}],
          issuer: {audiences: ['kubernetes'], url: 'https://issuer.example.com'},
        }],
        kind: 'AuthenticationConfiguration',
      })
      const saved = await file('converted.yaml', r.stdout)
      const v = await runCli(['authn', 'validate', saved])
      assert.equal(v.exitCode, 0, v.stdout)
    })

    it('username prefix rules: email claim has none, "-" disables it, a given one is kept', async () => {
      const prefix = async (...flags: string[]) => {
        const r = await runCli(['authn', 'convert', '--oidc-issuer-url', 'https://i.example.com', '--oidc-client-id', 'c', '-o', 'json', ...flags])
        assert.equal(r.exitCode, 0, r.stderr)
        return JSON.parse(r.stdout).jwt[0].claimMappings.username
      }
      assert.deepEqual(await prefix('--oidc-username-claim', 'email'), {claim: 'email', prefix: ''})
      assert.deepEqual(await prefix('--oidc-username-prefix', '-'), {claim: 'sub', prefix: ''})
      assert.deepEqual(await prefix('--oidc-username-prefix', 'corp:'), {claim: 'sub', prefix: 'corp:'})
    })

    it('flags kube-apiserver would refuse give exit 1 and no output', async () => {
      const r = await runCli(['authn', 'convert', '--oidc-issuer-url', 'http://issuer.example.com', '--oidc-client-id', 'kubernetes'])
      assert.equal(r.exitCode, 1)
      assert.equal(r.stdout, '')
      assert.match(r.stderr, /^jwt\[0\]\.issuer\.url: Invalid value: "http:\/\/issuer\.example\.com": URL scheme must be https\nerror: /)
    })

    it('--serve-config: the oidc-* and anonymous-auth keys of an `authctl serve --config` file, under the flags given', async () => {
      const config = await file('serve.yaml', 'oidc-issuer-url: https://sso.example.com\noidc-client-id: kubernetes\noidc-username-claim: email\noidc-groups-claim: groups\n' +
        'oidc-groups-prefix: "oidc:"\noidc-required-claim: [hd=example.com]\nanonymous-auth: false\npolicy: [rbac/]\n')
      const fromFile = await runCli(['authn', 'convert', '--serve-config', config, '-o', 'json'])
      assert.equal(fromFile.exitCode, 0, fromFile.stderr)
      const same = await runCli(['authn', 'convert', '--oidc-issuer-url', 'https://sso.example.com', '--oidc-client-id', 'kubernetes', '--oidc-username-claim', 'email',
        '--oidc-groups-claim', 'groups', '--oidc-groups-prefix', 'oidc:', '--oidc-required-claim', 'hd=example.com', '--no-anonymous-auth', '-o', 'json'])
      assert.deepEqual(JSON.parse(fromFile.stdout), JSON.parse(same.stdout))
      const overridden = await runCli(['authn', 'convert', '--serve-config', config, '--oidc-client-id', 'other', '--anonymous-auth', '-o', 'json'])
      const doc = JSON.parse(overridden.stdout)
      assert.deepEqual([doc.jwt[0].issuer.audiences, doc.anonymous], [['other'], {enabled: true}])
      const partial = await file('partial.yaml', 'oidc-client-id: kubernetes\n')
      const missing = await runCli(['authn', 'convert', '--serve-config', partial])
      assert.equal(missing.exitCode, 2)
      assert.equal(missing.stderr, `error: --oidc-issuer-url is required: ${JSON.stringify(partial)} has no oidc-issuer-url key either\n`)
      const none = await runCli(['authn', 'convert'])
      assert.equal(none.exitCode, 2)
      assert.equal(none.stderr, 'error: --oidc-issuer-url is required (or --serve-config FILE with an oidc-issuer-url key)\n')
      const unreadable = await runCli(['authn', 'convert', '--serve-config', join(dir, 'nope.yaml')])
      assert.equal(unreadable.exitCode, 2)
      assert.match(unreadable.stderr, /^error: cannot read config ".*nope\.yaml": /)
    })

    it('an --oidc-ca-file without certificates is refused (exit 1); a bad --oidc-required-claim is a usage error', async () => {
      const bad = await runCli(['authn', 'convert', '--oidc-issuer-url', 'https://i.example.com', '--oidc-client-id', 'c', '--oidc-required-claim', 'novalue'])
      assert.equal(bad.exitCode, 2)
      assert.match(bad.stderr, /^error: invalid --oidc-required-claim "novalue" \(use claim=value\)/)
      const notPem = await file('ca.pem', 'not a certificate\n')
      const r = await runCli(['authn', 'convert', '--oidc-issuer-url', 'https://i.example.com', '--oidc-client-id', 'c', '--oidc-ca-file', notPem])
      assert.equal(r.exitCode, 1)
      assert.match(r.stderr, /^jwt\[0\]\.issuer\.certificateAuthority: Invalid value: "<omitted>": data does not contain any valid RSA or ECDSA certificates$/m)
    })
  })
})
