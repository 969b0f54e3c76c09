// `authctl kubeconfig view -o jsonpath=…` against `kubectl config view -o jsonpath=…` (kubectl 1.32) over fixture
// kubeconfigs: the same stdout and exit code for each template, and authctl's one-line error is the start of
// kubectl's (which goes on to dump the whole object it was given).
import assert from 'node:assert/strict'
import {writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {makeTempDir, runCli, runProgram} from '../../helpers/cli.js'
import {generateFileSet, isolatedEnv, KUBECTL} from './fixtures.js'

const TEAM = `apiVersion: v1
kind: Config
clusters:
- name: prod
  cluster:
    server: https://1.2.3.4:6443
    certificate-authority-data: Q0EK
- name: dev
  cluster:
    server: https://dev:6443
    insecure-skip-tls-verify: true
users:
- name: jane
  user:
    token: jane-token-123
- name: admin
  user:
    client-certificate-data: Q1JUCg==
    client-key-data: S0VZCg==
- name: ci
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      command: aws
      args: [eks, get-token, --cluster-name, "<prod&co>"]
contexts:
- name: prod
  context: {cluster: prod, user: admin, namespace: kube-system}
- name: dev
  context: {cluster: dev, user: jane}
- name: ci
  context: {cluster: prod, user: ci}
current-context: dev
`

// Numbers, nulls and odd strings live only in extensions; kubectl passes them through untouched.
const EXTENSIONS = `apiVersion: v1
kind: Config
preferences:
  extensions:
  - name: values
    extension: {x: null, list: [null, 1.5, "a"], empty: {}, none: [], tab: "a\\tb", big: 1000000, huge: 123456789, small: 0.00001, port: 6443, neg: -2}
`

interface Case {
  template: string
  file?: 'team' | 'extensions' | 'generated'
  raw?: boolean
  args?: string[]
  /** Go walks maps in random order for * and ..: compare the printed words as a set. */
  unordered?: boolean
}

const CASES: Case[] = [
  {raw: true, template: '{.users[?(@.name=="jane")].user.token}'},
  {template: '{.users[?(@.name=="jane")].user.token}'},
  {raw: true, template: '{.users[?(@.name=="jane")].user.token}{"\\n"}'},
  {template: '{range .contexts[*]}{.name}{"\\t"}{.context.cluster}{"\\n"}{end}'},
  {template: '{range .users[*]}[{.name}]{end}'},
  {template: '{range .contexts[*]}{.name}:{range .context.*}{@},{end};{end}', unordered: true},
  {template: '{.clusters[*].name}'},
  {template: '{.clusters}'},
  {template: '{.clusters[*].cluster}'},
  {template: '{.preferences}'},
  {template: '{.current-context}'},
  {template: '{.kind} {.apiVersion}'},
  {template: 'current: {.current-context}!'},
  {template: '.kind'},
  {template: '{@}'},
  {template: '{$.kind}'},
  {template: '{ .kind }'},
  {template: '{.users[-1].name}'},
  {template: '{.users[0:2].name}'},
  {template: '{.users[:1].name}'},
  {template: '{.users[::2].name}'},
  {template: '{.users[].name}'},
  {template: '{.users[0,2].name}'},
  {template: "{.users[*]['name']}"},
  {template: '{.users[?(@.name!="jane")].name}'},
  {template: '{.users[?(@.name<"b")].name}'},
  {template: '{.contexts[?(@.context.namespace)].name}'},
  {template: '{.clusters[?(@.cluster.insecure-skip-tls-verify==true)].name}'},
  {template: '{range .users[?(@.user.token)]}{.name}{"\\n"}{end}'},
  {template: '{.users[?(@.name=="ci")].user.exec.args}'},
  {template: '{.users[?(@.name=="ci")].user.exec.args[3]}'},
  {template: '{..name}', unordered: true},
  {template: '{.users[*].user.*}', unordered: true},
  {template: '{range .users[*]}{.name}'},
  {template: '{.foo}'},
  {template: '{.users.name}'},
  {template: '{.kind.foo}'},
  {template: '{"a\\"b"}{\'single\'}'},
  {template: '{5}{1.5}{true}'},
  {template: '{.kind}}'},
  {args: ['--allow-missing-template-keys=false'], template: '{.foo}'},
  {args: ['--allow-missing-template-keys=false'], template: '{.users[*].user.token}'},
  {template: '{.users[5]}'},
  {template: '{.users[-9]}'},
  {template: '{.users[2:1]}'},
  {template: '{.users[::0]}'},
  {template: '{.kind[0]}'},
  {template: '{end}'},
  {template: '{range .users[*]}{end}{end}'},
  {template: '{.users[?(@.name>1)].name}'},
  {template: '{.users[?(@.name=~"^j")].name}'},
  {template: '{.users[x]}'},
  {template: '{.a'},
  {template: '{{.kind}}'},
  {template: '{.users[?(@.name=="jane")'},
  {template: '{.users[0]..}', unordered: true},
  {template: '{"unterminated}'},
  {template: ''},
  {file: 'extensions', template: '{.preferences.extensions[0].extension}'},
  {file: 'extensions', template: '{.preferences.extensions[0].extension.x}{.preferences.extensions[0].extension.list}'},
  {file: 'extensions', template: '{.preferences.extensions[0].extension.list[*]}'},
  {file: 'extensions', template: '{range .preferences.extensions[0].extension.list[*]}[{@}]{end}'},
  {file: 'extensions', template: '{.preferences.extensions[0].extension.big} {.preferences.extensions[0].extension.huge} {.preferences.extensions[0].extension.small} {.preferences.extensions[0].extension.neg}'},
  {file: 'extensions', template: '{.preferences.extensions[?(@.extension.port==6443)].name}'},
  {file: 'extensions', template: '{.preferences.extensions[?(@.extension.port==6443.0)].name}'},
  {file: 'extensions', template: '{.clusters[?(@.name=="x")]}'},
  {file: 'extensions', template: '{.clusters}{.clusters[*]}'},
  {file: 'generated', raw: true, template: '{range .users[*]}{.name}={.user.token}{"\\n"}{end}'},
  {file: 'generated', template: '{.contexts[?(@.context.namespace=="team-a")].name}'},
  {file: 'generated', raw: true, template: '{.clusters[*].cluster.certificate-authority-data}'},
]

describe('JSONPath vs kubectl 1.32 config view -o jsonpath (differential)', function () {
  this.timeout(300_000)
  let temp: Awaited<ReturnType<typeof makeTempDir>>
  const files: Record<string, string> = {}
  before(async () => {
    temp = await makeTempDir('authctl-jsonpath-')
    files.team = join(temp.dir, 'team.yaml')
    files.extensions = join(temp.dir, 'extensions.yaml')
    await writeFile(files.team, TEAM)
    await writeFile(files.extensions, EXTENSIONS)
    files.generated = (await generateFileSet(join(temp.dir, 'generated'), 4)).files[0]
  })
  after(async () => temp.cleanup())

  const words = (text: string) => text.split(/[\s,;:]+/).filter(Boolean).sort()

  for (const c of CASES) {
    it(`${c.raw ? '--raw ' : ''}${c.args ? c.args.join(' ') + ' ' : ''}-o jsonpath=${c.template}${c.file ? ` (${c.file})` : ''}`, async () => {
      const args = ['view', ...(c.raw ? ['--raw'] : []), '-o', `jsonpath=${c.template}`, ...(c.args ?? [])]
      const env = isolatedEnv(temp.dir, files[c.file ?? 'team'])
      const [ours, theirs] = await Promise.all([runCli(['kubeconfig', ...args], {env}), runProgram(KUBECTL, ['config', ...args], {env})])
      assert.equal(ours.exitCode, theirs.exitCode, `exit ${ours.exitCode} vs ${theirs.exitCode}: ${ours.stderr} | ${theirs.stderr}`)
      if (c.unordered) assert.deepEqual(words(ours.stdout), words(theirs.stdout))
      else assert.equal(ours.stdout, theirs.stdout)
      if (theirs.exitCode === 0) assert.equal(ours.stderr, '')
      else {
        assert.equal(ours.stderr.split('\n').filter(Boolean).length, 1, ours.stderr)
        assert.ok(theirs.stderr.split('\n')[0].startsWith(ours.stderr.trimEnd()), `${ours.stderr} is not the start of ${theirs.stderr.split('\n')[0]}`)
      }
    })
  }

  it('jsonpath-as-json, -o jsonpath --template, jsonpath-file and -o name agree too', async () => {
    const tpl = join(temp.dir, 'names.tpl')
    await writeFile(tpl, '{range .users[*]}{.name}{"\\n"}{end}')
    const env = isolatedEnv(temp.dir, files.team)
    for (const args of [
      ['-o', 'jsonpath-as-json={.users[*].name}'],
      ['-o', 'jsonpath-as-json={.kind}{.clusters[0]}'],
      ['-o', 'jsonpath', '--template', '{.current-context}'],
      ['-o', `jsonpath-file=${tpl}`],
      ['-o', `jsonpath-file=${join(temp.dir, 'missing.tpl')}`],
      ['-o', 'name'],
      ['--minify', '--raw', '-o', 'jsonpath={.users[0].user.token}'],
    ]) {
      const [ours, theirs] = await Promise.all([runCli(['kubeconfig', 'view', ...args], {env}), runProgram(KUBECTL, ['config', 'view', ...args], {env})])
      assert.equal(ours.exitCode, theirs.exitCode, `${args.join(' ')}: ${ours.stderr} | ${theirs.stderr}`)
      assert.equal(ours.stdout, theirs.stdout, args.join(' '))
      assert.equal(ours.stderr, theirs.stderr, args.join(' '))
    }
  })
})
