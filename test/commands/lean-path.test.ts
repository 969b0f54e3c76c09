import assert from 'node:assert/strict'
import {writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {cliPath, makeTempDir, runProgram} from '../helpers/cli.js'

// Start-up is a feature: ordinary command lines must run on the lean path, which never imports oclif (~90 ms) and
// loads, as CommonJS, the runner and the command's own bundle and nothing else from dist. A preload reports at exit
// which @oclif and dist modules were loaded into the process (ES modules never show in require.cache; the lean path
// has none).
const PRELOAD = `process.on('exit', () => {
  const loaded = Object.keys(require.cache)
  if (loaded.some((k) => k.includes('/@oclif/'))) process.stderr.write('\\nOCLIF-LOADED\\n')
  const dist = loaded.filter((k) => k.includes('/dist/')).map((k) => k.slice(k.lastIndexOf('/dist/') + 6))
  process.stderr.write('\\nDIST ' + dist.join(' ') + '\\n')
})
`

// kubectl and talosctl accept flow-style YAML; such files need the yaml library, bundled into the command.
const FLOW_KUBECONFIG = `{apiVersion: v1, kind: Config, current-context: c, clusters: [{name: c, cluster: {server: "https://127.0.0.1:6443"}}],
  contexts: [{name: c, context: {cluster: c, user: u}}], users: [{name: u, user: {token: abc}}]}
`
const FLOW_TALOSCONFIG = 'context: a\ncontexts: {a: {endpoints: [10.0.0.1], nodes: [10.0.0.2], ca: x, crt: y, key: z}}\n'

describe('lean start-up path: ordinary command lines never load oclif', () => {
  let dir: string
  let cleanup: () => Promise<void>
  const run = (args: string[]) =>
    runProgram(process.execPath, ['--require', join(dir, 'preload.cjs'), cliPath, ...args], {cwd: dir, env: {KUBECONFIG: join(dir, 'kubeconfig')}})

  before(async () => {
    ;({cleanup, dir} = await makeTempDir())
    await writeFile(join(dir, 'preload.cjs'), PRELOAD)
    await writeFile(join(dir, 'flow-kubeconfig'), FLOW_KUBECONFIG)
    await writeFile(join(dir, 'flow-talosconfig'), FLOW_TALOSCONFIG)
    assert.equal((await run(['pki', 'ca', '--name', 'ca'])).exitCode, 0)
  })
  after(() => cleanup())

  // [the command's lean bundle, the command line, whether it needs the shared yaml bundle (editing, flow-style files)]
  const lean: [string, string[], boolean?][] = [
    ['pki.issue', ['pki', 'issue', '--profile', 'kubernetes-user', '--ca', 'ca.crt', '--user', 'alice', '--group', 'dev', '--group', 'ops', '--name', 'alice']],
    ['pki.issue', ['pki', 'issue', '--profile', 'talos-client', '--ca', 'ca.crt', '--roles', 'os:reader,os:operator', '--name', 'talos']],
    ['pki.issue', ['pki', 'issue', '--profile', 'server', '--ca', 'ca.crt', '--cn', 'api', '--dns', 'a.example', '--ip', '127.0.0.1', '--name', 'server']],
    ['pki.inspect', ['pki', 'inspect', 'alice.crt', '--json']],
    ['pki.inspect', ['pki', 'inspect', 'alice.crt']],
    ['pki.verify', ['pki', 'verify', 'alice.crt', '--ca', 'ca.crt', '--usage', 'client']],
    ['kubeconfig.set-cluster', ['kubeconfig', 'set-cluster', 'dev', '--server', 'https://127.0.0.1:6443'], true],
    ['kubeconfig.set-context', ['kubeconfig', 'set-context', 'dev', '--cluster', 'dev', '--user', 'dev'], true],
    ['kubeconfig.use-context', ['kubeconfig', 'use-context', 'dev'], true],
    ['kubeconfig.current-context', ['kubeconfig', 'current-context']],
    ['kubeconfig.get-contexts', ['kubeconfig', 'get-contexts']],
    ['kubeconfig.set', ['kubeconfig', 'set', 'clusters.gone.server', 'https://gone:6443'], true],
    ['kubeconfig.set', ['kubeconfig', 'set', 'users.gone.token', 'x'], true],
    ['kubeconfig.get-clusters', ['kubeconfig', 'get-clusters']],
    ['kubeconfig.get-users', ['kubeconfig', 'get-users']],
    ['kubeconfig.unset', ['kubeconfig', 'unset', 'clusters.gone.server'], true],
    ['kubeconfig.delete-cluster', ['kubeconfig', 'delete-cluster', 'gone'], true],
    ['kubeconfig.delete-user', ['kubeconfig', 'delete-user', 'gone'], true],
    ['kubeconfig.view', ['kubeconfig', 'view', '--raw=true', '-o', 'jsonpath={.clusters[*].name}', '--allow-missing-template-keys=false']],
    ['kubeconfig.view', ['kubeconfig', 'view', '-o', 'json', '--flatten=false']],
    ['kubeconfig.view', ['kubeconfig', 'view', '--kubeconfig', 'flow-kubeconfig'], true],
    ['talosconfig.contexts', ['talosconfig', 'get-contexts', '--talosconfig', 'flow-talosconfig'], true],
  ]
  for (const [bundle, args, yaml] of lean) {
    it(args.join(' '), async () => {
      const r = await run(args)
      assert.equal(r.exitCode, 0, r.stderr)
      assert.doesNotMatch(r.stderr, /OCLIF-LOADED/)
      const expected = [`lean/${bundle}.cjs`, 'lean/runner.cjs', ...(yaml ? ['lean/yaml.cjs'] : [])]
      assert.deepEqual(r.stderr.match(/^DIST (.*)$/m)?.[1].split(' ').sort(), expected.sort())
    })
  }

  it('the CEL bundle is loaded only when a configuration file is given', async () => {
    const loaded = async (args: string[]) => (await run(args)).stderr.match(/^DIST (.*)$/m)?.[1].split(' ') ?? []
    assert.ok(!(await loaded(['rbac', 'can-i', 'get', '/version', '--as', 'jane'])).includes('lean/cel.cjs'))
    await writeFile(join(dir, 'authz.yaml'), 'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthorizationConfiguration\nauthorizers: [{type: RBAC, name: rbac}]\n')
    assert.ok((await loaded(['rbac', 'can-i', 'get', '/version', '--as', 'jane', '--authorization-config', 'authz.yaml'])).includes('lean/cel.cjs'))
  })

  it('errors from a handler keep their one-line form and exit code on the lean path', async () => {
    const r = await run(['kubeconfig', 'current-context', '--kubeconfig', 'nosuch'])
    assert.equal(r.exitCode, 1)
    assert.match(r.stderr, /^error: current-context is not set$/m)
    assert.doesNotMatch(r.stderr, /OCLIF-LOADED/)
  })

  it('the preload does notice oclif (help goes through it)', async () => {
    const r = await run(['pki', 'issue', '--help'])
    assert.equal(r.exitCode, 0)
    assert.match(r.stderr, /OCLIF-LOADED/)
  })
})
