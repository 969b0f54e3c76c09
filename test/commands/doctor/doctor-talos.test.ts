import assert from 'node:assert/strict'
import {chmod, writeFile} from 'node:fs/promises'
import type {AddressInfo} from 'node:net'
import {join} from 'node:path'

import {createCa, issueKubernetesUser, issueServer, issueTalosClient} from '../../../src/lib/pki/index.js'
import {type ApidLike, startApidLikeServer} from '../../helpers/apid-server.js'
import {makeTempDir, runCli} from '../../helpers/cli.js'

const DAY = 86_400_000
const b64 = (s: string) => Buffer.from(s).toString('base64')

// Talos contexts, each broken in one way, checked against nodes that judge client certificates as apid does.
describe('authctl doctor --talosconfig', function () {
  this.timeout(60_000)
  let dir: string
  let cleanup: () => Promise<void>
  let node: ApidLike
  let strangerNode: ApidLike
  let talosconfig: string

  before(async () => {
    ;({cleanup, dir} = await makeTempDir('authctl-doctor-talos-'))
    const talosCa = await createCa({cn: 'talos', orgs: ['talos'], profile: 'talos'})
    const otherCa = await createCa({algorithm: 'ed25519', cn: 'other'})
    const serving = {ips: ['127.0.0.1'], keyFormat: 'pkcs8' as const}
    const nodeCert = await issueServer(talosCa, serving)
    const strangerCert = await issueServer(otherCa, serving)
    node = await startApidLikeServer(talosCa.certPem, nodeCert.certPem, nodeCert.keyPem)
    strangerNode = await startApidLikeServer(talosCa.certPem, strangerCert.certPem, strangerCert.keyPem)
    const endpoint = (s: ApidLike) => `127.0.0.1:${(s.server.address() as AddressInfo).port}`

    const operator = await issueTalosClient(talosCa, {roles: ['os:operator']})
    const pair = {
      expired: await issueTalosClient(talosCa, {now: new Date(Date.now() - 10 * DAY), roles: ['os:admin'], ttlMs: DAY}),
      foreign: await issueTalosClient(otherCa, {roles: ['os:operator']}),
      noRoles: await issueKubernetesUser(talosCa, {user: 'nobody'}),
      operator,
      serverEku: await issueServer(talosCa, {cn: 'not-a-client', dnsNames: ['x.example']}),
      unknownRole: await issueTalosClient(talosCa, {allowUnknownRoles: true, roles: ['os:reader', 'os:future']}),
    }
    const context = (name: string, cert: {certPem: string; keyPem: string}, endpoints: string[], keyPem = cert.keyPem) =>
      `    ${name}:\n        endpoints:\n${endpoints.map((e) => `            - ${e}\n`).join('')}        ca: ${b64(talosCa.certPem)}\n        crt: ${b64(cert.certPem)}\n        key: ${b64(keyPem)}\n`
    talosconfig = join(dir, 'talosconfig')
    await writeFile(talosconfig, [
      'context: healthy\ncontexts:\n',
      context('healthy', pair.operator, [endpoint(node)]),
      context('expired', pair.expired, [endpoint(node)]),
      context('wrong-eku', pair.serverEku, [endpoint(node)]),
      context('wrong-ca', pair.foreign, [endpoint(node)]),
      context('no-roles', pair.noRoles, [endpoint(node)]),
      context('unknown-role', pair.unknownRole, [endpoint(node)]),
      context('key-mismatch', pair.operator, [endpoint(node)], pair.foreign.keyPem),
      context('stranger-node', pair.operator, [endpoint(strangerNode)]),
      context('unreachable', pair.operator, ['127.0.0.1:1']),
      context('no-endpoints', pair.operator, []).replace('        endpoints:\n', '        endpoints: []\n'),
    ].join(''))
    await chmod(talosconfig, 0o600)
  })
  after(async () => {
    for (const s of [node, strangerNode]) await new Promise((r) => (s ? s.server.close(r) : r(undefined)))
    await cleanup()
  })

  const doctor = (...args: string[]) => runCli(['doctor', '--talosconfig', talosconfig, '--timeout', '3s', ...args])

  it('a healthy context passes every check, including the node accepting the certificate (exit 0)', async () => {
    const r = await doctor()
    assert.equal(r.exitCode, 0, r.stdout + r.stderr)
    assert.match(r.stdout, /^context "healthy":\n/)
    assert.doesNotMatch(r.stdout, /WARN|FAIL/)
    assert.match(r.stdout, /PASS {2}client certificate EKU: exactly \[clientAuth\], as apid requires/)
    assert.match(r.stdout, /PASS {2}Talos roles: roles os:operator/)
    assert.match(r.stdout, /PASS {2}endpoint 127\.0\.0\.1:\d+: the node verified the client certificate/)
  })

  it('each broken context fails the right check with a one-line fix (--all-contexts --json, exit 1)', async () => {
    const r = await doctor('--all-contexts', '--json')
    assert.equal(r.exitCode, 1, r.stderr)
    const doc = JSON.parse(r.stdout)
    assert.ok(doc.contexts, r.stdout)
    const by = Object.fromEntries(doc.contexts.map((c: any) => [c.context, c.checks]))
    const check = (context: string, name: RegExp | string) => {
      const found = by[context].find((c: any) => (typeof name === 'string' ? c.name === name : name.test(c.name)))
      assert.ok(found, `${context}: no ${name} check in ${JSON.stringify(by[context])}`)
      if (found.status !== 'pass') assert.ok(found.fix && !found.fix.includes('\n'), JSON.stringify(found))
      return found
    }
    const expect = (context: string, name: RegExp | string, status: string, message: RegExp) => {
      const found = check(context, name)
      assert.equal(found.status, status, `${context}: ${JSON.stringify(found)}`)
      assert.match(found.message, message)
    }
    assert.ok(by.healthy.every((c: any) => c.status === 'pass'), JSON.stringify(by.healthy))
    expect('expired', 'client certificate validity', 'fail', /expired .* ago/)
    expect('wrong-eku', 'client certificate EKU', 'fail', /missing the client auth extended key usage: Talos apid requires EKU exactly \[clientAuth\]/)
    expect('wrong-eku', /^endpoint /, 'fail', /refused|closed/)
    expect('wrong-ca', 'client certificate CA', 'fail', /not signed by the context's ca: apid rejects it \(x509: certificate signed by unknown authority.*: issued by "[^"]+" \(AKID ([0-9A-F]{2}:){4}…\), not by "O=talos" \(SKID ([0-9A-F]{2}:){4}…\)\)$/)
    // The fix reissues the certificate with its own roles, not more.
    assert.equal(check('wrong-ca', 'client certificate CA').fix, 'reissue it: authctl pki issue --profile talos-client --ca <Talos OS CA> --roles os:operator (or authctl talosconfig new)')
    assert.match(check('expired', 'client certificate validity').fix, /^renew it: authctl talosconfig renew /)
    expect('wrong-ca', /^endpoint /, 'fail', /refused|closed/)
    expect('no-roles', 'Talos roles', 'fail', /no roles \(O\): apid authorizes it for nothing/)
    expect('unknown-role', 'Talos roles', 'warn', /unknown to this version and granting nothing here: os:future/)
    expect('key-mismatch', 'client key matches certificate', 'fail', /key does not belong to crt/)
    expect('stranger-node', /server certificate$/, 'fail', /from "[^"]+" \(AKID ([0-9A-F]{2}:){4}…\), which the context's ca "O=talos" \(SKID ([0-9A-F]{2}:){4}…\) does not vouch for/)
    expect('unreachable', /^endpoint /, 'fail', /cannot connect to 127\.0\.0\.1:1/)
    expect('no-endpoints', 'endpoints', 'fail', /no endpoints/)
  })

  it('--offline checks the certificates only; --expires-within fails a certificate near expiry', async () => {
    const offline = await doctor('--context', 'unreachable', '--offline')
    assert.equal(offline.exitCode, 0, offline.stdout)
    assert.doesNotMatch(offline.stdout, /endpoint 127/)
    const strict = await doctor('--context', 'healthy', '--offline', '--expires-within', '400d')
    assert.equal(strict.exitCode, 1)
    assert.match(strict.stdout, /FAIL {2}client certificate validity: certificate "O=os:operator" expires in/)
  })

  it('--kubeconfig and --talosconfig cannot be combined; a missing talosconfig is an error', async () => {
    const both = await runCli(['doctor', '--talosconfig', talosconfig, '--kubeconfig', talosconfig])
    assert.equal(both.exitCode, 2)
    const missing = await runCli(['doctor', '--talosconfig', join(dir, 'nope')])
    assert.equal(missing.exitCode, 1)
    assert.match(missing.stderr, /^error: cannot read talosconfig ".*nope": no such file or directory/)
  })

  it('--talos finds the talosconfig as talosctl does (TALOSCONFIG)', async () => {
    const r = await runCli(['doctor', '--talos', '--offline'], {env: {TALOSCONFIG: talosconfig}})
    assert.equal(r.exitCode, 0, r.stdout + r.stderr)
    assert.match(r.stdout, /^context "healthy":\n {2}PASS {2}talosconfig permissions/)
  })
})
