// openssl as an independent implementation of RS256: it verifies what `token sign` made, and signs what
// `token verify` must accept.
import assert from 'node:assert/strict'
import {execFileSync} from 'node:child_process'
import {writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {makeTempDir, runCli} from '../../helpers/cli.js'

const ISSUER = 'https://kubernetes.default.svc.cluster.local'

describe('token sign/verify agree with openssl (RS256)', function () {
  this.timeout(30_000)
  let dir: string
  let cleanup: () => Promise<void>
  let key: string
  let pub: string

  before(async () => {
    ;({cleanup, dir} = await makeTempDir('authctl-token-openssl-'))
    key = join(dir, 'sa.key')
    pub = join(dir, 'sa.pub')
    execFileSync('openssl', ['genrsa', '-traditional', '-out', key, '2048'], {stdio: 'ignore'})
    execFileSync('openssl', ['rsa', '-in', key, '-pubout', '-out', pub], {stdio: 'ignore'})
  })
  after(() => cleanup())

  it('openssl verifies the signature of a token from token sign (PKCS#1 key from openssl)', async () => {
    const signed = await runCli(['token', 'sign', '--key', key, '--issuer', ISSUER, '--service-account', 'ci:builder'])
    assert.equal(signed.exitCode, 0, signed.stderr)
    const [h, p, s] = signed.stdout.trim().split('.')
    await writeFile(join(dir, 'input'), `${h}.${p}`)
    await writeFile(join(dir, 'sig'), Buffer.from(s, 'base64url'))
    const out = execFileSync('openssl', ['dgst', '-sha256', '-verify', pub, '-signature', join(dir, 'sig'), join(dir, 'input')]).toString()
    assert.match(out, /Verified OK/)
  })

  it('token verify accepts a token signed by openssl, and rejects it once a claim changes', async () => {
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url')
    const now = Math.floor(Date.now() / 1000)
    const claims = {aud: [ISSUER], exp: now + 600, iat: now, iss: ISSUER, 'kubernetes.io': {namespace: 'ci', serviceaccount: {name: 'deployer', uid: 'u-1'}}, nbf: now, sub: 'system:serviceaccount:ci:deployer'}
    const input = `${b64({alg: 'RS256', kid: 'openssl'})}.${b64(claims)}`
    await writeFile(join(dir, 'input2'), input)
    const sig = execFileSync('openssl', ['dgst', '-sha256', '-sign', key, join(dir, 'input2')]).toString('base64url')
    const ok = await runCli(['token', 'verify', `${input}.${sig}`, '--key', pub, '--issuer', ISSUER])
    assert.equal(ok.exitCode, 0, ok.stderr + ok.stdout)
    assert.match(ok.stdout, /Username: +system:serviceaccount:ci:deployer/)
    const forged = `${b64({alg: 'RS256', kid: 'openssl'})}.${b64({...claims, sub: 'system:serviceaccount:kube-system:admin'})}.${sig}`
    const bad = await runCli(['token', 'verify', forged, '--key', pub, '--issuer', ISSUER])
    assert.equal(bad.exitCode, 1)
    assert.match(bad.stderr, /error in cryptographic primitive/)
  })
})
