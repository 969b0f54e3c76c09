// The library API as a consumer gets it: npm pack, install the tarball into a fresh project, import each entry point
// from ESM and require it from CommonJS, type-check TypeScript against the shipped .d.ts, run one call per entry point.
import assert from 'node:assert/strict'
import {readFile, writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {makeTempDir, repoRoot, runProgram} from '../../helpers/cli.js'

const ENTRIES = ['files', 'kubeconfig', 'pki', 'rbac', 'server', 'talosconfig', 'token']

// One real call per entry point; `lib(name)` is import() or require().
const calls = (lib: string) => `
const KUBECONFIG = 'apiVersion: v1\\nkind: Config\\nclusters:\\n- name: c\\n  cluster: {server: "https://10.0.0.1:6443"}\\nusers:\\n- name: u\\n  user: {token: t}\\ncontexts:\\n- name: ctx\\n  context: {cluster: c, user: u}\\ncurrent-context: ctx\\n'
const results = {}
const pki = await ${lib}('pki')
const ca = await pki.createCa({cn: 'consumer-ca', ttlMs: 3600e3})
const user = await pki.issueKubernetesUser(ca, {user: 'jane', groups: ['dev'], ttlMs: 600e3})
results.pki = pki.inspectPem(user.certPem, new Date())[0].subject.dn
const files = await ${lib}('files')
await files.writeFileAtomic(process.env.DIR + '/kubeconfig', KUBECONFIG, {force: true})
results.files = (await files.readInputText(process.env.DIR + '/kubeconfig')).length === KUBECONFIG.length
const kubeconfig = await ${lib}('kubeconfig')
const loaded = await kubeconfig.loadKubeconfig({env: {}, kubeconfig: process.env.DIR + '/kubeconfig'})
results.kubeconfig = kubeconfig.resolveContext(loaded).name
const talosconfig = await ${lib}('talosconfig')
results.talosconfig = [...talosconfig.parseTalosconfig('context: a\\ncontexts:\\n  a:\\n    endpoints: [10.0.0.2]\\n').contexts.keys()]
const token = await ${lib}('token')
results.token = token.parseJwt('eyJhbGciOiJub25lIn0.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6ZGVmYXVsdDpib3QifQ.').claims.sub
const rbac = await ${lib}('rbac')
const policy = await rbac.parsePolicy('kind: ClusterRole\\napiVersion: rbac.authorization.k8s.io/v1\\nmetadata: {name: r}\\nrules: [{apiGroups: [""], resources: [pods], verbs: [get]}]\\n---\\nkind: ClusterRoleBinding\\napiVersion: rbac.authorization.k8s.io/v1\\nmetadata: {name: b}\\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: r}\\nsubjects: [{kind: User, name: jane, apiGroup: rbac.authorization.k8s.io}]\\n')
results.rbac = rbac.authorize(rbac.buildPolicyStore(policy.objects), {user: {username: 'jane', groups: []}, verb: 'get', resourceRequest: true, resource: 'pods', namespace: 'default', apiGroup: ''}).decision
const server = await ${lib}('server')
const running = await server.startServer({port: 0, certDir: process.env.DIR + '/serve'})
results.server = running.url.startsWith('https://127.0.0.1:')
await running.close()
process.stdout.write(JSON.stringify(results))
`

const EXPECTED = {files: true, kubeconfig: 'ctx', pki: 'O=dev, CN=jane', rbac: 'Allow', server: true, talosconfig: ['a'], token: 'system:serviceaccount:default:bot'}

const TYPED = `import {createCa, type CertAndKey} from 'authctl/pki'
import {loadKubeconfig, type LoadOptions} from 'authctl/kubeconfig'
import {loadTalosconfig, type TalosconfigLocation} from 'authctl/talosconfig'
import {verifyToken, type VerifyReport} from 'authctl/token'
import {authorize, type Attributes} from 'authctl/rbac'
import {startServer, type ServerOptions} from 'authctl/server'
import {writeFileAtomic, type AgeOptions} from 'authctl/files'

const options: LoadOptions = {env: {}, kubeconfig: 'config'}
const server: ServerOptions = {port: 0}
const age: AgeOptions = {identityFiles: ['keys.txt']}
const where: TalosconfigLocation | undefined = undefined
const attributes: Partial<Attributes> = {verb: 'get'}
export async function use(): Promise<string> {
  const ca: CertAndKey = await createCa({cn: 'x'})
  const report: VerifyReport | undefined = undefined
  void [loadKubeconfig, loadTalosconfig, verifyToken, authorize, startServer, writeFileAtomic, options, server, age, where, attributes, report]
  return ca.certPem
}
// A wrong type is an error: the declarations are real, not \`any\`.
// @ts-expect-error ttlMs is a number
void createCa({ttlMs: 'soon'})
`

describe('the library API, packed and installed as a dependency', function () {
  this.timeout(600_000)
  let dir: string
  let cleanup: () => Promise<void>
  let project: string
  const npm = async (args: string[], cwd: string) => {
    const r = await runProgram('npm', args, {cwd, env: {npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false'}})
    assert.equal(r.exitCode, 0, `npm ${args.join(' ')}: ${r.stderr}`)
    return r.stdout
  }
  const node = async (args: string[]) => {
    const r = await runProgram(process.execPath, args, {cwd: project, env: {DIR: project}})
    assert.equal(r.exitCode, 0, `node ${args.join(' ')}: ${r.stderr}`)
    return r.stdout
  }

  before(async () => {
    ;({cleanup, dir} = await makeTempDir('authctl-package-'))
    // prepack is `npm run build && npm run build:lib`; the CLI bundle is built before any test runs, so only the
    // library build runs here and the pack itself skips the scripts.
    const manifest = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8'))
    assert.match(manifest.scripts.prepack, /npm run build && npm run build:lib/)
    await npm(['run', 'build:lib'], repoRoot)
    const [packed] = JSON.parse(await npm(['pack', '--ignore-scripts', '--json', '--pack-destination', dir], repoRoot))
    project = join(dir, 'consumer')
    await runProgram('mkdir', [project])
    await writeFile(join(project, 'package.json'), JSON.stringify({name: 'consumer', private: true, version: '1.0.0'}))
    await npm(['install', '--prefer-offline', '--no-package-lock', join(dir, packed.filename)], project)
  })
  after(() => cleanup?.())

  it('exports one typed entry point per library area, each with ESM, CommonJS and .d.ts files in the tarball', async () => {
    const installed = JSON.parse(await readFile(join(project, 'node_modules/authctl/package.json'), 'utf8'))
    assert.deepEqual(Object.keys(installed.exports).filter((k) => k !== './package.json').sort(), ENTRIES.map((e) => `./${e}`))
    for (const entry of ENTRIES) {
      for (const file of Object.values(installed.exports[`./${entry}`]) as string[]) await readFile(join(project, 'node_modules/authctl', file))
    }
  })

  it('import from ESM: one call per entry point', async () => {
    await writeFile(join(project, 'esm.mjs'), `const load = (name) => import('authctl/' + name)\n${calls('load')}`)
    assert.deepEqual(JSON.parse(await node(['esm.mjs'])), EXPECTED)
  })

  it('require from CommonJS: one call per entry point', async () => {
    await writeFile(join(project, 'cjs.cjs'), `const load = async (name) => require('authctl/' + name)\n;(async () => {${calls('load')}})().catch((e) => { console.error(e); process.exit(1) })`)
    assert.deepEqual(JSON.parse(await node(['cjs.cjs'])), EXPECTED)
  })

  it('type-checks a TypeScript consumer against the shipped declarations', async () => {
    await writeFile(join(project, 'check.ts'), TYPED)
    const tsc = join(repoRoot, 'node_modules/typescript/bin/tsc')
    await node([tsc, '--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022',
      '--typeRoots', join(repoRoot, 'node_modules/@types'), '--types', 'node', 'check.ts'])
  })
})
