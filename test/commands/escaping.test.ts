// Untrusted strings in human output: a certificate whose CN, O and SANs hold ESC/BEL/CR/LF/NUL/DEL/C1 codes, a token
// with such claims, kubeconfig and talosconfig names with ESC, and an API server answering with them. No raw control
// byte may reach the terminal (the values appear as Go's %q escapes), no forged line may appear, and --json stays
// exactly the data (JSON escapes on its own).
import assert from 'node:assert/strict'
import {writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {createCa} from '../../src/lib/pki/issue.js'
import {makeTempDir, runCli, type CliResult} from '../helpers/cli.js'
import {HOSTILE, hostileLeaf} from '../helpers/hostile-pki.js'
import {type FakeApi, makePki, startFakeApi} from '../e2e/kube/fixtures.js'

/** C0 controls but TAB and LF (which the output itself uses), DEL, and C1 controls. */
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/

function assertNoRawControl(r: CliResult, label: string): void {
  for (const [stream, text] of [['stdout', r.stdout], ['stderr', r.stderr]]) {
    const hit = RAW_CONTROL.exec(text)
    assert.equal(hit, null, `${label}: raw control byte ${JSON.stringify(hit?.[0])} on ${stream}: ${JSON.stringify(text)}`)
  }
  assert.doesNotMatch(r.stdout, /^\s*Kubernetes:\s+user "admin"/m, `${label}: a forged identity line`)
}

const b64 = (s: string) => Buffer.from(s).toString('base64')

describe('escaping of untrusted strings in human output', function () {
  this.timeout(120_000)
  let dir: string
  let cleanup: () => Promise<void>
  const cli = (...args: string[]) => runCli(args, {cwd: dir})

  before(async () => {
    ;({cleanup, dir} = await makeTempDir('authctl-escaping-'))
    const ca = await createCa({algorithm: 'ed25519', cn: 'escaping CA', keyFormat: 'pkcs8'})
    const leaf = hostileLeaf(ca)
    await writeFile(join(dir, 'ca.crt'), ca.certPem)
    await writeFile(join(dir, 'evil.crt'), leaf.certPem)
    await writeFile(join(dir, 'evil.key'), leaf.keyPem)
    await writeFile(
      join(dir, 'kubeconfig'),
      `apiVersion: v1
kind: Config
clusters:
- name: "c\\e[31m"
  cluster: {server: "https://127.0.0.1:1", certificate-authority: ca.crt}
users:
- name: "u\\e]0;title\\a"
  user: {client-certificate-data: ${b64(leaf.certPem)}, client-key-data: ${b64(leaf.keyPem)}}
contexts:
- name: "dev\\e[2Jx\\r\\nforged"
  context: {cluster: "c\\e[31m", user: "u\\e]0;title\\a", namespace: "ns\\x9b"}
current-context: "dev\\e[2Jx\\r\\nforged"
`,
    )
  })
  after(() => cleanup())

  it('pki inspect: CN, O and SANs escaped as Go %q does; --json keeps the raw values', async () => {
    const r = await cli('pki', 'inspect', 'evil.crt')
    assert.equal(r.exitCode, 0, r.stderr)
    assertNoRawControl(r, 'pki inspect')
    // (The subject line is a DN, so , ; + " may also carry DN escapes; the control characters are %q escapes.)
    assert.ok(r.stdout.includes('CN=evil\\x1b[2J\\a\\r\\nKubernetes: user'), r.stdout)
    assert.ok(r.stdout.includes('O=sys\\x1b]0') && r.stdout.includes('pwned\\atem\\x7f\\u009b1m'), r.stdout)
    assert.ok(r.stdout.includes('DNS:a\\x1b[31m.example\\r\\n'), r.stdout)
    assert.match(r.stdout, /Kubernetes: +user "evil\\x1b\[2J\\a\\r\\nKubernetes: user \\"admin\\", groups \[system:masters\]\\x00", groups \[/)
    const doc = JSON.parse((await cli('pki', 'inspect', 'evil.crt', '--json')).stdout)
    assert.deepEqual(doc.sans.dns, [HOSTILE.dns])
    assert.ok(doc.subject.attributes.some((a: {value: string}) => a.value === HOSTILE.cn))
  })

  it('pki verify: the chain and the reasons escaped, valid or not', async () => {
    const valid = await cli('pki', 'verify', 'evil.crt', '--ca', 'ca.crt')
    assert.equal(valid.exitCode, 0, valid.stdout + valid.stderr)
    assertNoRawControl(valid, 'pki verify (valid)')
    assert.match(valid.stdout, /^valid: .*\\x1b\[2J.* <- CN=escaping CA\n$/)
    const invalid = await cli('pki', 'verify', 'evil.crt', '--ca', 'evil.crt', '--host', 'x.example')
    assert.equal(invalid.exitCode, 1)
    assertNoRawControl(invalid, 'pki verify (invalid)')
    assert.match(invalid.stdout, /\\x1b\[31m\.example\\r\\n/)
  })

  it('doctor: certificate subjects and context names escaped', async () => {
    const r = await runCli(['doctor', '--kubeconfig', join(dir, 'kubeconfig'), '--offline'], {cwd: dir})
    assertNoRawControl(r, 'doctor')
    assert.match(r.stdout, /^context "dev\\x1b\[2Jx\\r\\nforged":/m)
    assert.match(r.stdout, /certificate "[^\n]*evil\\(x1b|1B)\[2J/)
  })

  it('kubeconfig get-contexts (table and -o name) and current-context escape the names', async () => {
    const env = {KUBECONFIG: join(dir, 'kubeconfig')}
    for (const args of [['get-contexts'], ['get-contexts', '-o', 'name'], ['current-context']]) {
      const r = await runCli(['kubeconfig', ...args], {cwd: dir, env})
      assert.equal(r.exitCode, 0, r.stderr)
      assertNoRawControl(r, `kubeconfig ${args.join(' ')}`)
      assert.ok(r.stdout.includes('dev\\x1b[2Jx\\r\\nforged'), r.stdout)
    }
    const table = await runCli(['kubeconfig', 'get-contexts'], {cwd: dir, env})
    assert.ok(table.stdout.includes('u\\x1b]0;title\\a') && table.stdout.includes('ns\\u009b'), table.stdout)
    const json = JSON.parse((await runCli(['kubeconfig', 'get-contexts', '--json'], {cwd: dir, env})).stdout)
    assert.equal(json.currentContext, 'dev\u001b[2Jx\r\nforged')
    const missing = await runCli(['kubeconfig', 'get-contexts', 'no\u001b[2Jsuch'], {cwd: dir, env})
    assert.equal(missing.exitCode, 1)
    assertNoRawControl(missing, 'get-contexts error line')
  })

  it('talosconfig contexts and info escape context names and endpoints', async () => {
    await writeFile(join(dir, 'talosconfig'), `context: "t\\e[2J"\ncontexts:\n  "t\\e[2J":\n    endpoints: ["10.0.0.1\\a"]\n    ca: ${b64('x')}\n`)
    const r = await runCli(['talosconfig', 'contexts', '--talosconfig', join(dir, 'talosconfig')], {cwd: dir})
    assert.equal(r.exitCode, 0, r.stderr)
    assertNoRawControl(r, 'talosconfig contexts')
    assert.ok(r.stdout.includes('t\\x1b[2J') && r.stdout.includes('10.0.0.1\\a'), r.stdout)
    const info = await runCli(['talosconfig', 'info', '--talosconfig', join(dir, 'talosconfig')], {cwd: dir})
    assertNoRawControl(info, 'talosconfig info')
    assert.ok(info.stdout.includes('t\\x1b[2J'), info.stdout + info.stderr)
  })

  it('token decode: claims and the Kubernetes user escaped (C1 controls too, which JSON leaves raw)', async () => {
    const claims = {exp: 4102444800, groups: ['ops\u009b2J', 'g\u0007'], iss: 'https://issuer.example', sub: 'x\u001b[2J\r\nKubernetes: user "admin"'}
    const token = `${Buffer.from('{"alg":"RS256","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.c2ln`
    const r = await cli('token', 'decode', token)
    assert.equal(r.exitCode, 0, r.stderr)
    assertNoRawControl(r, 'token decode')
    assert.ok(r.stdout.includes('ops\\u009b2J'), r.stdout)
    const json = JSON.parse((await cli('token', 'decode', token, '--json')).stdout)
    assert.deepEqual(json.claims, claims)
  })

  describe('messages from an API server', () => {
    let api: FakeApi
    let kubeconfig: string
    before(async () => {
      const pki = makePki(dir)
      api = await startFakeApi(pki, {
        decide: () => ({allowed: false, reason: 'denied\u001b[2J\r\nyes'}),
        override: (req) =>
          req.headers.authorization === 'Bearer tok-403' && req.method === 'POST'
            ? {body: JSON.stringify({apiVersion: 'v1', code: 403, kind: 'Status', message: 'forbidden\u001b]0;x\u0007: User "n\u009b"', metadata: {}, reason: 'Forbidden', status: 'Failure'}), status: 403}
            : undefined,
        tokens: {'tok-403': {groups: [], username: 'n'}, 'tok-evil': {groups: ['g\u001b[31m', 'h\u0000'], username: 'evil\u001b[2J\r\nUsername admin'}},
      })
      kubeconfig = join(dir, 'api-kubeconfig')
      await writeFile(
        kubeconfig,
        `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "${api.url}", certificate-authority: ${pki.caFile}}}]
users: [{name: evil, user: {token: tok-evil}}, {name: f, user: {token: tok-403}}]
contexts: [{name: evil, context: {cluster: c, user: evil}}, {name: f, context: {cluster: c, user: f}}]
current-context: evil
`,
      )
    })
    after(() => api?.close())

    it('auth whoami, auth can-i and their error lines print the server\'s strings escaped', async () => {
      const env = {KUBECACHEDIR: join(dir, 'cache'), KUBECONFIG: kubeconfig}
      const whoami = await runCli(['auth', 'whoami'], {env})
      assert.equal(whoami.exitCode, 0, whoami.stderr)
      assertNoRawControl(whoami, 'auth whoami')
      assert.ok(whoami.stdout.includes('evil\\x1b[2J\\r\\nUsername admin'), whoami.stdout)
      const canI = await runCli(['auth', 'can-i', 'get', 'pods'], {env})
      assert.equal(canI.exitCode, 1)
      assertNoRawControl(canI, 'auth can-i')
      assert.match(canI.stdout, /^no - denied\\x1b\[2J\\r\\nyes\n$/)
      const forbidden = await runCli(['auth', 'can-i', 'get', 'pods', '--context', 'f'], {env})
      assert.equal(forbidden.exitCode, 1)
      assertNoRawControl(forbidden, 'auth can-i error')
      assert.ok(forbidden.stderr.includes('forbidden\\x1b]0;x\\a'), forbidden.stderr)
    })
  })
})
