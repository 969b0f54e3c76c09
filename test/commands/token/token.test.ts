import assert from 'node:assert/strict'
import {createHmac, generateKeyPairSync, type KeyObject} from 'node:crypto'
import {writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {cliPath, type CliResult, makeTempDir, runCli, runProgram} from '../../helpers/cli.js'
import {boundServiceAccountClaims, oidcClaims, signToken} from '../../../src/lib/token/sign.js'

const ISSUER = 'https://kubernetes.default.svc.cluster.local'
const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url')

function assertCleanFailure(r: CliResult, exitCode: number, message: RegExp, token?: string): void {
  assert.equal(r.exitCode, exitCode, r.stderr + r.stdout)
  assert.match(r.stderr, /^error: /m)
  assert.match(r.stderr, message)
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace')
  if (token) assert.ok(!r.stderr.includes(token) && !r.stderr.includes(token.split('.')[2] || token), 'token not echoed')
}

describe('token commands', function () {
  this.timeout(60_000)
  let dir: string
  let cleanup: () => Promise<void>
  const keys: Record<string, {privateKey: KeyObject; priv: string; pub: string}> = {}

  before(async () => {
    ;({cleanup, dir} = await makeTempDir('authctl-token-'))
    const pairs = {
      EdDSA: generateKeyPairSync('ed25519'),
      ES256: generateKeyPairSync('ec', {namedCurve: 'P-256'}),
      RS256: generateKeyPairSync('rsa', {modulusLength: 2048}),
    }
    for (const [alg, {privateKey, publicKey}] of Object.entries(pairs)) {
      const priv = join(dir, `${alg}.key`)
      const pub = join(dir, `${alg}.pub`)
      await writeFile(priv, privateKey.export({format: 'pem', type: 'pkcs8'}))
      await writeFile(pub, publicKey.export({format: 'pem', type: 'spki'}))
      keys[alg] = {priv, privateKey, pub}
    }
  })
  after(() => cleanup())

  describe('round trips: sign → decode → verify', () => {
    for (const alg of ['RS256', 'ES256', 'EdDSA']) {
      it(`${alg}: a pod-bound ServiceAccount token`, async () => {
        const signed = await runCli(['token', 'sign', '--key', keys[alg].priv, '--issuer', ISSUER, '--service-account', 'ci:builder:sa-uid', '--pod', 'builder-0:pod-uid', '--node', 'node-1:node-uid', '--kid', 'k1'])
        assert.equal(signed.exitCode, 0, signed.stderr)
        const token = signed.stdout.trim()

        const decoded = await runCli(['token', 'decode', '--json'], {input: token})
        assert.equal(decoded.exitCode, 0, decoded.stderr)
        const d = JSON.parse(decoded.stdout)
        assert.equal(d.verified, false)
        assert.equal(d.kind, 'bound-serviceaccount')
        assert.deepEqual(d.header, {alg, kid: 'k1', typ: 'JWT'})
        assert.equal(d.kubernetes.user.username, 'system:serviceaccount:ci:builder')
        assert.deepEqual(d.kubernetes.boundTo, {node: {name: 'node-1', uid: 'node-uid'}, pod: {name: 'builder-0', uid: 'pod-uid'}})

        const verified = await runCli(['token', 'verify', token, '--key', keys[alg].pub, '--issuer', ISSUER, '--json'])
        assert.equal(verified.exitCode, 0, verified.stderr + verified.stdout)
        const v = JSON.parse(verified.stdout)
        assert.equal(v.valid, true)
        assert.deepEqual(v.user, {
          extra: {
            'authentication.kubernetes.io/credential-id': [`JTI=${d.claims.jti}`],
            'authentication.kubernetes.io/node-name': ['node-1'],
            'authentication.kubernetes.io/node-uid': ['node-uid'],
            'authentication.kubernetes.io/pod-name': ['builder-0'],
            'authentication.kubernetes.io/pod-uid': ['pod-uid'],
          },
          groups: ['system:serviceaccounts', 'system:serviceaccounts:ci'],
          uid: 'sa-uid',
          username: 'system:serviceaccount:ci:builder',
        })
      })
    }

    it('an OIDC-shaped token, with the kube-apiserver username and groups mapping', async () => {
      const signed = await runCli(['token', 'sign', '--key', keys.ES256.priv, '--issuer', 'https://idp.example.com', '--sub', 'u-1', '--audience', 'kubernetes', '--claim', 'email=alice@example.com', '--claim', 'groups=["dev","ops"]'])
      assert.equal(signed.exitCode, 0, signed.stderr)
      const token = signed.stdout.trim()
      const text = await runCli(['token', 'verify', token, '--key', keys.ES256.pub, '--issuer', 'https://idp.example.com', '--audience', 'kubernetes', '--oidc-groups-claim', 'groups', '--oidc-groups-prefix', 'oidc:'])
      assert.equal(text.exitCode, 0, text.stderr)
      assert.match(text.stdout, /^VALID: OIDC ID token/)
      assert.match(text.stdout, /Username: +https:\/\/idp\.example\.com#u-1/)
      assert.match(text.stdout, /Groups: +oidc:dev, oidc:ops, system:authenticated/)
      const email = await runCli(['token', 'verify', token, '--key', keys.ES256.pub, '--issuer', 'https://idp.example.com', '--audience', 'kubernetes', '--oidc-username-claim', 'email', '--json'])
      assert.equal(JSON.parse(email.stdout).user.username, 'alice@example.com')
    })

    it('a legacy Secret-based token', async () => {
      const signed = await runCli(['token', 'sign', '--key', keys.RS256.priv, '--service-account', 'kube-system:old:sa-uid', '--legacy', '--secret', 'old-token-x7k2p'])
      assert.equal(signed.exitCode, 0, signed.stderr)
      const decoded = await runCli(['token', 'decode', signed.stdout.trim()])
      assert.match(decoded.stdout, /^UNVERIFIED/)
      assert.match(decoded.stdout, /Kind: legacy ServiceAccount token/)
      const verified = await runCli(['token', 'verify', signed.stdout.trim(), '--key', keys.RS256.priv, '--audience', 'https://kubernetes.default.svc'])
      assert.equal(verified.exitCode, 0, verified.stderr + verified.stdout)
      assert.match(verified.stdout, /Username: +system:serviceaccount:kube-system:old/)
    })
  })

  describe('verify rejects', () => {
    const sa = (now: Date, ttlMs = 3_600_000) =>
      boundServiceAccountClaims({audiences: [ISSUER], issuer: ISSUER, namespace: 'ci', now, serviceAccount: {name: 'b', uid: 'u'}, ttlMs})
    const verify = (token: string, ...flags: string[]) => runCli(['token', 'verify', '--key', keys.RS256.pub, '--issuer', ISSUER, ...flags], {input: token})

    it('an expired token', async () => {
      const token = await signToken(sa(new Date(Date.now() - 2 * 3_600_000)), keys.RS256.privateKey)
      const r = await verify(token)
      assertCleanFailure(r, 1, /^error: service account token has expired$/m, token)
      assert.match(r.stdout, /^INVALID: service account token has expired/)
    })

    it('a token that is not valid yet', async () => {
      const token = await signToken(sa(new Date(Date.now() + 10 * 60_000)), keys.RS256.privateKey)
      assertCleanFailure(await verify(token), 1, /^error: service account token is not valid yet$/m, token)
    })

    it('a wrong audience', async () => {
      const token = await signToken(sa(new Date()), keys.RS256.privateKey)
      assertCleanFailure(await verify(token, '--audience', 'vault'), 1, /token audiences \["https:\/\/kubernetes\.default\.svc\.cluster\.local"\] is invalid for the target audiences \["vault"\]/, token)
    })

    it('a wrong issuer (ServiceAccount and OIDC wording)', async () => {
      const token = await signToken(sa(new Date()), keys.RS256.privateKey)
      const r = await runCli(['token', 'verify', '--key', keys.RS256.pub, '--issuer', 'https://other.example'], {input: token})
      assertCleanFailure(r, 1, /token issuer "https:\/\/kubernetes\.default\.svc\.cluster\.local" is not the service account issuer "https:\/\/other\.example"/, token)
      const id = await signToken(oidcClaims({audiences: ['k'], issuer: 'https://evil.example', now: new Date(), subject: 'u', ttlMs: 60_000}), keys.RS256.privateKey)
      const o = await runCli(['token', 'verify', id, '--key', keys.RS256.pub, '--issuer', 'https://idp.example', '--audience', 'k'])
      assertCleanFailure(o, 1, /oidc: verify token: oidc: id token issued by a different provider, expected "https:\/\/idp\.example" got "https:\/\/evil\.example"/, id)
    })

    it('a tampered signature or payload, and a key that did not sign it', async () => {
      const token = await signToken(sa(new Date()), keys.RS256.privateKey)
      const [h, p, s] = token.split('.')
      const flipped = s.slice(0, 10) + (s[10] === 'A' ? 'B' : 'A') + s.slice(11)
      assertCleanFailure(await verify(`${h}.${p}.${flipped}`), 1, /go-jose\/go-jose: error in cryptographic primitive/)
      const claims = JSON.parse(Buffer.from(p, 'base64url').toString())
      claims['kubernetes.io'].namespace = 'kube-system'
      assertCleanFailure(await verify(`${h}.${b64(claims)}.${s}`), 1, /error in cryptographic primitive/)
      const other = await runCli(['token', 'verify', '--key', keys.ES256.pub, '--issuer', ISSUER], {input: token})
      assertCleanFailure(other, 1, /error in cryptographic primitive/, token)
    })

    it('alg none', async () => {
      const token = `${b64({alg: 'none', typ: 'JWT'})}.${b64(sa(new Date()))}.`
      assertCleanFailure(await verify(token), 1, /token signed with unsupported algorithm "none"/)
    })

    it('HS256 signed with the public key as the HMAC secret', async () => {
      const pem = (await import('node:fs')).readFileSync(keys.RS256.pub)
      const input = `${b64({alg: 'HS256', typ: 'JWT'})}.${b64(sa(new Date()))}`
      const token = `${input}.${createHmac('sha256', pem).update(input).digest('base64url')}`
      assertCleanFailure(await verify(token), 1, /token signed with unsupported algorithm "HS256"/, token)
      assertCleanFailure(await verify(token, '--alg', 'RS256,HS256'), 2, /algorithm "HS256" is not accepted/)
      assertCleanFailure(await verify(token, '--alg', 'none'), 2, /algorithm "none" is never accepted/)
    })
  })

  describe('bad input', () => {
    const cases: Array<[string, string, RegExp]> = [
      ['garbage', 'not-a-token', /not a JWT: expected 3 dot-separated segments, found 1/],
      ['a two-part token', `${b64({alg: 'RS256'})}.${b64({sub: 'x'})}`, /found 2/],
      ['a non-JSON header', `${b64('{{{')}.${b64({})}.c2ln`, /token header is not JSON/],
      ['non-JSON claims', `${b64({alg: 'RS256'})}.${b64('hello')}.c2ln`, /token claims is not JSON/],
      ['non-base64url claims', `${b64({alg: 'RS256'})}.$$$.c2ln`, /token claims is not base64url/],
    ]
    for (const [name, input, message] of cases) {
      it(`decode and verify refuse ${name}`, async () => {
        assertCleanFailure(await runCli(['token', 'decode', input]), 1, message, input)
        assertCleanFailure(await runCli(['token', 'verify', input, '--key', keys.RS256.pub]), 1, message, input)
      })
    }

    it('a 1 MB token on stdin, as a file and in JSON mode', async () => {
      const huge = `${b64({alg: 'RS256'})}.${'A'.repeat(1024 * 1024)}.c2ln`
      const file = join(dir, 'huge.jwt')
      await writeFile(file, huge)
      // The CLI stops reading at its limit, so stdin comes from a pipe or a redirect the shell owns, not our writer.
      const viaShell = (command: string) => runProgram('/bin/sh', ['-c', command], {env: {CLI: cliPath, HUGE: file, NODE: process.execPath}})
      assertCleanFailure(await viaShell('cat "$HUGE" | "$NODE" "$CLI" token decode'), 1, /token on stdin is larger than \d+ bytes/)
      assertCleanFailure(await viaShell('"$NODE" "$CLI" token verify - --key /dev/null < "$HUGE"'), 1, /token on stdin is larger than \d+ bytes/)
      assertCleanFailure(await runCli(['token', 'verify', '-f', file, '--key', keys.RS256.pub]), 1, /token file "[^"]+huge\.jwt" is larger than \d+ bytes/)
      const json = await viaShell('"$NODE" "$CLI" token decode --json < "$HUGE"')
      assert.equal(json.exitCode, 1)
      assert.equal(JSON.parse(json.stdout).error.code, 'TOO_LARGE')
    })

    it('verify without any key source is a usage error', async () => {
      assertCleanFailure(await runCli(['token', 'verify', 'a.b.c']), 2, /no verification key/)
    })
  })

  describe('decode sources', () => {
    it('reads data.token from a Secret manifest on stdin', async () => {
      const signed = await runCli(['token', 'sign', '--key', keys.EdDSA.priv, '--service-account', 'ci:old', '--legacy'])
      const secret = `apiVersion: v1\nkind: Secret\nmetadata:\n  name: old-token\ntype: kubernetes.io/service-account-token\ndata:\n  token: ${Buffer.from(signed.stdout.trim()).toString('base64')}\n`
      const r = await runCli(['token', 'decode', '--from-secret', '-', '--json'], {input: secret})
      assert.equal(r.exitCode, 0, r.stderr)
      assert.equal(JSON.parse(r.stdout).kubernetes.user.username, 'system:serviceaccount:ci:old')
      assertCleanFailure(await runCli(['token', 'decode', '--from-secret', '-'], {input: 'kind: ConfigMap\n'}), 1, /is not a Secret/)
    })

    it('describes a bootstrap token without printing its secret', async () => {
      const r = await runCli(['token', 'decode', 'abcdef.0123456789abcdef'])
      assert.equal(r.exitCode, 0, r.stderr)
      assert.match(r.stdout, /Username: +system:bootstrap:abcdef/)
      assert.ok(!r.stdout.includes('0123456789abcdef'))
    })

    it('refuses two token sources at once', async () => {
      assertCleanFailure(await runCli(['token', 'decode', 'a.b.c', '--file', 'x']), 2, /give the token one way/)
    })
  })

  describe('sign usage', () => {
    it('needs exactly one of --sub and --service-account, and a private key', async () => {
      assertCleanFailure(await runCli(['token', 'sign', '--key', keys.RS256.priv, '--issuer', ISSUER]), 2, /exactly one of --sub/)
      assertCleanFailure(await runCli(['token', 'sign', '--key', keys.RS256.pub, '--issuer', ISSUER, '--service-account', 'a:b']), 1, /invalid signing key .*no PRIVATE KEY block found/)
      assertCleanFailure(await runCli(['token', 'sign', '--key', keys.RS256.priv, '--issuer', ISSUER, '--sub', 'x']), 2, /--audience is required with --sub/)
    })
  })
})
